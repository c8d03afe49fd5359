import type { DataSource, EntityManager } from 'typeorm';
import { rows } from '../../db/sql';
import type { NewBlocker } from '../../close';
import { invoiceBlockers } from '../invoices/blockers';
import type { LedgerInvoice } from '../invoices/reconcile';
import { acceptedDifferences, latestReconciliation, withoutAccepted } from '../invoices/reconciliation-store';

/**
 * 发票同步 as the books know it, without asking the platform: the latest reconciliation (by the
 * close or by a sync ahead of it) less the differences accepted since, and every invoice the platform
 * has not confirmed yet (never uploaded, or changed since). `knownAt` says how old that knowledge is.
 */
export async function checkInvoices(
  db: DataSource | EntityManager,
  ledgerId: number,
  period: string,
): Promise<{ blockers: NewBlocker[]; knownAt: string | null }> {
  const [known, accepted, unconfirmed] = await Promise.all([
    latestReconciliation(db, ledgerId, period),
    acceptedDifferences(db, ledgerId, period),
    rows<LedgerInvoice & { syncState: string }>(
      db,
      `SELECT id::text, number, seller_tax_id AS "sellerTaxId", buyer_name AS "buyerName", buyer_tax_id AS "buyerTaxId", amount::int AS amount,
              tax::int AS tax, to_char(invoice_date, 'YYYY-MM-DD') AS date, sync_state AS "syncState"
       FROM invoice WHERE ledger_id = $1 AND period = $2 AND sync_state IN ('pending', 'uploaded') ORDER BY number LIMIT 500`,
      [ledgerId, period],
    ),
  ]);
  const r = withoutAccepted(known?.reconciliation ?? { missingOnPlatform: [], missingInLedger: [], mismatches: [], matched: 0 }, accepted);
  const listed = new Set([...r.missingOnPlatform.map((i) => i.number), ...r.mismatches.map((m) => m.number)]);
  const acceptedWhole = new Set(accepted.filter((a) => a.field === null).map((a) => a.number));
  const missingOnPlatform = [...r.missingOnPlatform, ...unconfirmed.filter((i) => !listed.has(i.number) && !acceptedWhole.has(i.number))];
  return { blockers: invoiceBlockers({ ...r, missingOnPlatform }), knownAt: known?.checkedAt ?? null };
}
