import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../lib/errors';
import { one } from '../db/sql';

/** A period whose invoices may be synced ahead: it exists, is not closed, and no close is syncing them itself. */
export async function assertSyncable(db: DataSource | EntityManager, ledgerId: number, code: string, period: string): Promise<void> {
  const p = await one<{ state: string }>(db, `SELECT state FROM period WHERE ledger_id = $1 AND period = $2`, [ledgerId, period]);
  if (!p) throw new AppError('PERIOD_NOT_FOUND', `Ledger ${code} has no period ${period} yet.`);
  if (p.state === 'closed') throw new AppError('PERIOD_ALREADY_CLOSED', `Period ${period} of ledger ${code} is closed; its invoices no longer change.`);
  if (p.state === 'closing')
    throw new AppError('CLOSE_RUNNING_SYNCS_INVOICES', `A close of ${code} ${period} is running and syncs its invoices itself; watch the close.`);
}
