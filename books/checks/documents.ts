import type { DataSource, EntityManager } from 'typeorm';
import { formatMinor } from '../../lib/money';
import { rows } from '../../db/sql';
import { MAX_BLOCKER_ITEMS } from '../../close';
import type { NewBlocker } from '../../close';

/**
 * What the database says of transfers and invoices, without asking the bank or the platform: used
 * by the backup to make sure nothing reappeared after those steps passed.
 */
export async function checkDocumentStates(db: DataSource | EntityManager, ledgerId: number, period: string): Promise<NewBlocker[]> {
  const blockers: NewBlocker[] = [];
  const transfers = await rows<{ id: string; reference: string; amount: string; state: string; bank_reason: string | null; total: string }>(
    db,
    `SELECT id, reference, amount, state, bank_reason, count(*) OVER () AS total FROM fund_transfer
     WHERE ledger_id = $1 AND period = $2 AND state <> 'posted' ORDER BY reference LIMIT ${MAX_BLOCKER_ITEMS}`,
    [ledgerId, period],
  );
  if (transfers.length > 0) {
    blockers.push({
      code: 'TRANSFER_IN_TRANSIT',
      owner: 'finance_manager',
      total: Number(transfers[0].total),
      message: `${transfers[0].total} fund transfer(s) (资金划拨) are not posted; the close confirms them with the bank again.`,
      items: transfers.map((t) => ({ transferId: t.id, reference: t.reference, amount: formatMinor(t.amount), state: t.state, bankReason: t.bank_reason })),
    });
  }
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
      message: `${invoices[0].total} invoice(s) are not yet confirmed by the tax platform; the close syncs them again.`,
      items: invoices.map((i) => ({ invoiceId: i.id, number: i.number, syncState: i.sync_state })),
    });
  }
  return blockers;
}
