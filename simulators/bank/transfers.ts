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

  /**
   * Sends a failed transfer again: a transfer the bank knows as failed is sent anew and settles (the
   * stand-in's bank pays at once); any other transfer is left as it is, so sending twice sends once.
   */
  resend(reference: string): TransferRecord | null {
    const found = this.byReference.get(reference);
    if (!found) return null;
    if (found.state === 'failed') {
      const { reason: _reason, ...rest } = found;
      this.byReference.set(reference, { ...rest, state: 'settled', settledAt: new Date().toISOString() });
    }
    return this.byReference.get(reference)!;
  }

  statusOf(reference: string): TransferRecord {
    return this.byReference.get(reference) ?? { reference, state: 'unknown' };
  }

  clear(): void {
    this.byReference.clear();
  }
}
