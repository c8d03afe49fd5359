import type { EntityManager } from 'typeorm';
import { nextPeriod } from '../lib/period';

/**
 * Removes what a close wrote for a period — the carry-forward voucher, the period's movements and
 * closing balances, the next period's opening balances, the record of its write steps — so the
 * period is as it was before the close. Used by cancel, by a failed close and by reopen (反结账).
 * The caller's transaction must be allowed to write the period (open, or close_writer set).
 */
export async function undoCloseWrites(em: EntityManager, ledgerId: number, period: string): Promise<{ removedCarryForward: number; removedOpenings: number }> {
  const cf = await em.query(`DELETE FROM voucher WHERE ledger_id = $1 AND period = $2 AND source_type = 'carry_forward' RETURNING id`, [ledgerId, period]);
  await em.query(`UPDATE balance SET debit = NULL, credit = NULL, closing = NULL WHERE ledger_id = $1 AND period = $2 AND closing IS NOT NULL`, [
    ledgerId,
    period,
  ]);
  const openings = await em.query(`DELETE FROM balance WHERE ledger_id = $1 AND period = $2 RETURNING account_code`, [ledgerId, nextPeriod(period)]);
  await em.query(`DELETE FROM close_operation WHERE ledger_id = $1 AND period = $2`, [ledgerId, period]);
  return { removedCarryForward: countOf(cf), removedOpenings: countOf(openings) };
}

function countOf(result: unknown): number {
  // DELETE … RETURNING comes back from TypeORM as [rows, count]
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : Array.isArray(result) ? result.length : 0;
}
