import { audit, inBooksTransaction } from '../../db/session';
import type { InvoiceSyncInput, InvoiceSyncSummary } from '../../workflows/invoices/invoice-sync';
import type { ActivityDeps } from '../close/deps';
import { heartbeating } from '../heartbeat';
import { findLedger } from '../../books/ledgers';
import { assertSyncable } from '../../books/invoice-sync-periods';
import { invoiceBlockers } from '../../books/invoices/blockers';
import { keepReconciliation, syncPeriodInvoices } from './sync-invoices';

/**
 * The invoice sync ahead of the close: refuses a period that is closed or being closed (the close
 * syncs its invoices itself), runs the shared sync, writes each invoice's state and an audit entry
 * in one transaction, and answers the differences the close would block on.
 */
export function createInvoiceSyncAhead(deps: ActivityDeps) {
  return {
    async syncInvoicesAhead(input: InvoiceSyncInput): Promise<InvoiceSyncSummary> {
      return heartbeating(deps.heartbeatEveryMs ?? 5_000, async (progress) => {
        const l = await findLedger(deps.dataSource, input.ledger);
        await assertSyncable(deps.dataSource, l.id, l.code, input.period);
        const outcome = await syncPeriodInvoices(deps, l, input.period, progress);
        const { r, differences } = await inBooksTransaction(deps.dataSource, { actor: input.requestedBy }, async (em) => {
          const kept = await keepReconciliation(em, l.id, input.period, outcome, 'ahead');
          const found = invoiceBlockers(kept).map((b) => ({ ...b, step: 'invoice_sync' as const }));
          await audit(em, {
            actor: input.requestedBy,
            action: 'invoices.synced',
            ledgerId: l.id,
            period: input.period,
            details: {
              uploaded: outcome.uploaded,
              matched: kept.matched,
              reconciledBy: outcome.reconciledBy,
              differences: found.map((d) => ({ code: d.code, total: d.total })),
            },
          });
          return { r: kept, differences: found };
        });
        return {
          ledger: l.code,
          period: input.period,
          requestedBy: input.requestedBy,
          uploaded: outcome.uploaded,
          matched: r.matched,
          platform: outcome.platform,
          reconciledBy: outcome.reconciledBy,
          differences,
          syncedAt: new Date().toISOString(),
        };
      });
    },
  };
}

export type InvoiceSyncActivities = ReturnType<typeof createInvoiceSyncAhead>;
