import type { Logger } from '../../lib/logger';
import { FaultInjector, type FaultKind } from '../common/faults';
import { InvoiceStore, type UploadOutcome } from './store';

export interface TaxPlatformStats {
  requests: number;
  batchesStored: number;
  duplicateBatchReplays: number;
  invoicesAccepted: number;
  invoicesDuplicate: number;
  invoicesRejected: number;
  /** Pages of invoices listed, and summaries given. */
  pagesListed: number;
  summaries: number;
}

/** What GET /admin/stats answers. */
export type TaxPlatformStatsSnapshot = TaxPlatformStats & { invoicesStored: number; faults: Record<FaultKind, number> };

/** Everything one running tax platform stand-in holds in memory. */
export class TaxPlatformState {
  readonly store = new InvoiceStore();
  /** Answers already given, by Idempotency-Key, with a fingerprint of the batch they answered. */
  readonly replies = new Map<string, { fingerprint: string; reply: UploadOutcome }>();
  readonly faults: FaultInjector;
  stats: TaxPlatformStats = TaxPlatformState.noStats();

  constructor(seed: number, logger?: Logger) {
    this.faults = new FaultInjector(seed, 'tax-platform', logger);
  }

  snapshot(): TaxPlatformStatsSnapshot {
    return { ...this.stats, invoicesStored: this.store.size, faults: this.faults.counts() };
  }

  reset(): void {
    this.store.clear();
    this.replies.clear();
    this.faults.reset();
    this.stats = TaxPlatformState.noStats();
  }

  private static noStats(): TaxPlatformStats {
    return {
      requests: 0,
      batchesStored: 0,
      duplicateBatchReplays: 0,
      invoicesAccepted: 0,
      invoicesDuplicate: 0,
      invoicesRejected: 0,
      pagesListed: 0,
      summaries: 0,
    };
  }
}
