import type { EntityManager } from 'typeorm';
import { closeLedger } from '../close-ledger';
import type { InvoiceReconciliation } from '../../../books/invoices/reconcile';
import { invoiceBlockers } from '../../../books/invoices/blockers';
import { keepReconciliation, syncPeriodInvoices } from '../../invoices/sync-invoices';
import type { ActivityDeps, StepInput } from '../deps';
import { recordedStep } from '../record-step';

/**
 * 6. Invoice sync (发票同步) with the tax platform: the shared sync (activities/invoices/sync-invoices.ts:
 * upload what the platform lacks, compare by digest, else field by field), each invoice's state and a
 * report kept per close, and a blocker for every difference not accepted with a reason.
 */
export function createInvoiceSync(deps: ActivityDeps) {
  const db = deps.dataSource;
  return recordedStep<StepInput>(deps, 'invoice_sync', async ({ closeId, ledger, period }, ctx) => {
    const l = await closeLedger(deps, { closeId, ledger });
    const outcome = await syncPeriodInvoices(deps, l, period, ctx);
    const r = await db.transaction(async (em) => {
      const kept = await keepReconciliation(em, l.id, period, outcome, 'close');
      await saveReport(em, closeId, l.id, period, outcome.uploaded, kept, outcome.reconciledBy);
      return kept;
    });
    return {
      blockers: invoiceBlockers(r),
      details: { uploaded: outcome.uploaded, matched: r.matched, platform: outcome.platform, reconciledBy: outcome.reconciledBy },
    };
  });
}

async function saveReport(
  em: EntityManager,
  closeId: string,
  ledgerId: number,
  period: string,
  uploaded: number,
  r: InvoiceReconciliation,
  by: 'digest' | 'listing',
): Promise<void> {
  await em.query(
    `INSERT INTO invoice_sync_report (close_id, ledger_id, period, uploaded, matched, missing_on_platform, missing_in_ledger, mismatches, reconciled_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (close_id) DO UPDATE SET uploaded = EXCLUDED.uploaded, matched = EXCLUDED.matched, missing_on_platform = EXCLUDED.missing_on_platform,
       missing_in_ledger = EXCLUDED.missing_in_ledger, mismatches = EXCLUDED.mismatches, reconciled_by = EXCLUDED.reconciled_by, created_at = now()`,
    [closeId, ledgerId, period, uploaded, r.matched, JSON.stringify(r.missingOnPlatform), JSON.stringify(r.missingInLedger), JSON.stringify(r.mismatches), by],
  );
}
