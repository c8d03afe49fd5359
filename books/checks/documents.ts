import type { DataSource, EntityManager } from 'typeorm';
import { rows } from '../../db/sql';
import { MAX_BLOCKER_ITEMS } from '../../close';
import type { NewBlocker } from '../../close';
import { checkTransfers } from './transfers';

/**
 * What the database says of transfers and invoices, without asking the bank or the platform: used
 * by the backup to make sure nothing reappeared after those steps passed.
 */
export async function checkDocumentStates(db: DataSource | EntityManager, ledgerId: number, period: string): Promise<NewBlocker[]> {
  const blockers: NewBlocker[] = await checkTransfers(db, ledgerId, period);
  const invoices = await rows<{ id: string; number: string; sync_state: string; total: string }>(
    db,
    `SELECT id, number, sync_state, count(*) OVER () AS total FROM invoice
     WHERE ledger_id = $1 AND period = $2 AND sync_state <> 'matched' ORDER BY number LIMIT ${MAX_BLOCKER_ITEMS}`,
    [ledgerId, period],
  );
  if (invoices.length > 0) {
    blockers.push({
      code: 'INVOICE_MISSING_ON_PLATFORM',
      owner: 'operations',
      total: Number(invoices[0].total),
      params: { count: Number(invoices[0].total) },
      message: `${invoices[0].total} invoice(s) are not yet confirmed by the tax platform; the close syncs them again.`,
      items: invoices.map((i) => ({ invoiceId: i.id, number: i.number, syncState: i.sync_state })),
    });
  }
  return blockers;
}
