import { z } from 'zod';

export const MAX_REFERENCES_PER_QUERY = 500;

const reference = z.string().min(1).max(64);

export const transferStatesSchema = z.enum(['in_transit', 'settled', 'failed', 'returned']);

export const adminTransfersBodySchema = z.strictObject({
  transfers: z.array(
    z.strictObject({
      reference,
      state: transferStatesSchema,
      reason: z.string().min(1).max(500).optional(),
      amount: z.number().int().refine(Number.isSafeInteger, 'must be a whole number of fen').optional(),
      settledAt: z.iso.datetime({ offset: true }).optional(),
    }),
  ),
});
type TransferInput = z.output<typeof adminTransfersBodySchema>['transfers'][number];

export const statusQueryBodySchema = z.strictObject({
  references: z.array(reference).min(1).max(MAX_REFERENCES_PER_QUERY),
});

export interface TransferRecord {
  reference: string;
  state: z.output<typeof transferStatesSchema> | 'unknown';
  reason?: string;
  settledAt?: string;
  amount?: number;
}

/** The bank's view of transfers, by reference. */
export class TransferBook {
  private readonly byReference = new Map<string, TransferRecord>();

  get size(): number {
    return this.byReference.size;
  }

  /** Sets a transfer's state; a settled transfer without a settlement time settles now. */
  set(transfer: TransferInput): void {
    const settledAt = transfer.state === 'settled' ? (transfer.settledAt ?? new Date().toISOString()) : undefined;
    this.byReference.set(transfer.reference, {
      reference: transfer.reference,
      state: transfer.state,
      ...(transfer.reason === undefined ? {} : { reason: transfer.reason }),
      ...(transfer.amount === undefined ? {} : { amount: transfer.amount }),
      ...(settledAt === undefined ? {} : { settledAt }),
    });
  }

  statusOf(reference: string): TransferRecord {
    return this.byReference.get(reference) ?? { reference, state: 'unknown' };
  }

  clear(): void {
    this.byReference.clear();
  }
}
