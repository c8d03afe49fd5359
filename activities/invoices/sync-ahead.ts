import { Context } from '@temporalio/activity';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { audit, inBooksTransaction } from '../../db/session';
import { one } from '../../db/sql';
import type { InvoiceSyncInput, InvoiceSyncSummary } from '../../workflows/invoices/invoice-sync';
import type { ActivityDeps } from '../close/deps';
import { findLedger } from '../close/ledger-lookup';
import { invoiceBlockers, reconciliationOf, recordSyncStates, syncPeriodInvoices } from './sync-invoices';

/**
 * The invoice sync ahead of the close: refuses a period that is closed or being closed (the close
 * syncs its invoices itself), runs the shared sync, writes each invoice's state and an audit entry
 * in one transaction, and answers the differences the close would block on.
 */
export function createInvoiceSyncAhead(deps: ActivityDeps) {
  return {
    async syncInvoicesAhead(input: InvoiceSyncInput): Promise<InvoiceSyncSummary> {
      const activity = Context.current();
      let latest: unknown = activity.info.heartbeatDetails;
      const ticker = setInterval(() => activity.heartbeat(latest), deps.heartbeatEveryMs ?? 5_000);
      try {
        const l = await findLedger(deps.dataSource, input.ledger);
        await assertSyncable(deps.dataSource, l.id, l.code, input.period);
        const outcome = await syncPeriodInvoices(deps, l, input.period, {
          checkpoint: activity.info.heartbeatDetails,
          progress: (d) => { latest = d; activity.heartbeat(d); },
        });
        const r = reconciliationOf(outcome);
        const differences = invoiceBlockers(r).map((b) => ({ ...b, step: 'invoice_sync' as const }));
        await inBooksTransaction(deps.dataSource, { actor: input.requestedBy }, async (em) => {
          await recordSyncStates(em, l.id, input.period, outcome);
          await audit(em, {
            actor: input.requestedBy, action: 'invoices.synced', ledgerId: l.id, period: input.period,
            details: { uploaded: outcome.uploaded, matched: r.matched, reconciledBy: outcome.reconciledBy, differences: differences.map((d) => ({ code: d.code, total: d.total })) },
          });
        });
        return {
          ledger: l.code, period: input.period, requestedBy: input.requestedBy, uploaded: outcome.uploaded, matched: r.matched,
          platform: outcome.platform, reconciledBy: outcome.reconciledBy, differences, syncedAt: new Date().toISOString(),
        };
      } finally {
        clearInterval(ticker);
      }
    },
  };
}

export type InvoiceSyncActivities = ReturnType<typeof createInvoiceSyncAhead>;

/** A period whose invoices may be synced ahead: it exists, is not closed, and no close is syncing them itself. */
export async function assertSyncable(db: DataSource | EntityManager, ledgerId: number, code: string, period: string): Promise<void> {
  const p = await one<{ state: string }>(db, `SELECT state FROM period WHERE ledger_id = $1 AND period = $2`, [ledgerId, period]);
  if (!p) throw new AppError('PERIOD_NOT_FOUND', `Ledger ${code} has no period ${period} yet.`);
  if (p.state === 'closed') throw new AppError('PERIOD_ALREADY_CLOSED', `Period ${period} of ledger ${code} is closed; its invoices no longer change.`);
  if (p.state === 'closing') throw new AppError('CLOSE_RUNNING_SYNCS_INVOICES', `A close of ${code} ${period} is running and syncs its invoices itself; watch the close.`);
}
