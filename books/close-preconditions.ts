import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../lib/errors';
import { hasEnded, isPeriod } from '../lib/period';
import { one } from '../db/sql';
import { findLedger, type LedgerRef } from './ledgers';
import type { LedgerScope } from './scope';

/**
 * What must hold before a ledger's period can be closed, checked by the API before it starts a close
 * (so a refused request leaves nothing behind) and by the close's authorise step again: a period
 * written YYYY-MM, a ledger that exists and is active, a month that is over, a period the ledger has
 * (not before its first), and not closed already. Each failure has its own code.
 */
export async function assertClosable(
  db: DataSource | EntityManager,
  ledgerCode: string,
  period: string,
  now: Date,
  scope: LedgerScope = null,
): Promise<LedgerRef> {
  if (!isPeriod(period)) throw new AppError('PERIOD_INVALID', `"${period}" is not a period (YYYY-MM).`);
  const ledger = await findLedger(db, ledgerCode, scope);
  if (!ledger.active) throw new AppError('LEDGER_INACTIVE', `Ledger ${ledger.code} is not active.`);
  if (!hasEnded(period, now)) throw new AppError('PERIOD_IN_FUTURE', `Period ${period} has not ended yet; close it once the month is over.`);
  if (period < ledger.firstPeriod) throw new AppError('PERIOD_NOT_FOUND', `Ledger ${ledger.code} starts in ${ledger.firstPeriod}; it has no period ${period}.`);
  const p = await one<{ state: string }>(db, `SELECT state FROM period WHERE ledger_id = $1 AND period = $2`, [ledger.id, period]);
  if (p?.state === 'closed') throw periodAlreadyClosed(ledger.code, period);
  return ledger;
}

export function periodAlreadyClosed(ledger: string, period: string): AppError {
  return new AppError('PERIOD_ALREADY_CLOSED', `Period ${period} of ledger ${ledger} is already closed; reopen it first if it must change.`);
}
