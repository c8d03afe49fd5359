import { z } from 'zod';
import { AppError } from '../lib/errors';
import { createJsonCaller, type ExternalSystem, type HttpJsonOptions } from './http-json';

export type TransferState = 'in_transit' | 'settled' | 'failed' | 'returned' | 'unknown';

/** What the bank says of one transfer. `amount` in integer fen; `settledAt` an ISO time. */
export interface TransferStatus {
  reference: string;
  state: TransferState;
  reason?: string;
  settledAt?: string;
  amount?: number;
}

export interface BankClient {
  /** One status per distinct reference, in the order asked; a reference the bank does not know is `unknown`. */
  transferStatuses(references: string[]): Promise<TransferStatus[]>;
  /**
   * Sends a failed transfer again. Idempotent at the bank (keyed by reference and `idempotencyKey`):
   * asked twice, it sends once. Answers the transfer's status after the re-send.
   */
  resendTransfer(reference: string, idempotencyKey: string): Promise<TransferStatus>;
}

export const MAX_REFERENCES_PER_QUERY = 500;

export type HttpBankClientOptions = HttpJsonOptions;

const bank: ExternalSystem = {
  name: 'the bank',
  unavailable: 'BANK_UNAVAILABLE',
  badResponse: 'BANK_BAD_RESPONSE',
  rejected: 'BANK_REJECTED',
};

const transferStatusSchema = z.object({
  reference: z.string(),
  state: z.enum(['in_transit', 'settled', 'failed', 'returned', 'unknown']),
  reason: z.string().optional(),
  settledAt: z.iso.datetime({ offset: true }).optional(),
  amount: z.number().int().refine(Number.isSafeInteger, 'must be a whole number of fen').optional(),
});

const statusAnswerSchema = z.object({ items: z.array(transferStatusSchema) });

export function createHttpBankClient(options: HttpBankClientOptions): BankClient {
  const call = createJsonCaller(bank, options);

  return {
    async transferStatuses(references) {
      const distinct = [...new Set(references)];
      const byReference = new Map<string, TransferStatus>();
      // A status query only reads, so splitting it into several requests is safe.
      for (let start = 0; start < distinct.length; start += MAX_REFERENCES_PER_QUERY) {
        const chunk = distinct.slice(start, start + MAX_REFERENCES_PER_QUERY);
        const answer = await call({
          method: 'POST',
          path: '/v1/transfers/status',
          what: `status query for ${chunk.length} transfer(s)`,
          body: { references: chunk },
          schema: statusAnswerSchema,
        });
        for (const item of answer.items) byReference.set(item.reference, item);
      }
      const missing = distinct.filter((reference) => !byReference.has(reference));
      if (missing.length > 0) {
        throw new AppError('BANK_BAD_RESPONSE', `The bank gave no status for ${missing.length} transfer(s), e.g. ${missing.slice(0, 5).join(', ')}.`, {
          missing: missing.slice(0, 50),
        });
      }
      return distinct.map((reference) => byReference.get(reference)!);
    },

    async resendTransfer(reference, idempotencyKey) {
      return call({
        method: 'POST',
        path: `/v1/transfers/${encodeURIComponent(reference)}/resend`,
        what: `re-send of transfer ${reference}`,
        headers: { 'idempotency-key': idempotencyKey },
        body: {},
        schema: transferStatusSchema,
      });
    },
  };
}
