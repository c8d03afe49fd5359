import type { EntityManager, DataSource } from 'typeorm';
import { formatMinor } from '../../lib/money';
import { previousPeriod } from '../../lib/period';
import { one, rows } from '../../db/sql';
import { MAX_BLOCKER_ITEMS } from '../../close';
import type { NewBlocker } from '../../close';

/**
 * Periods close one after another, and a period opens with what the last one closed with:
 * the previous period is closed, every opening balance equals the previous closing balance,
 * and the openings balance (signed debit-positive, they sum to zero).
 */
export async function checkPreviousPeriod(db: DataSource | EntityManager, ledgerId: number, period: string, firstPeriod: string): Promise<NewBlocker[]> {
  const blockers: NewBlocker[] = [];
  if (period > firstPeriod) {
    const prev = previousPeriod(period);
    const state = await one<{ state: string }>(db, `SELECT state FROM period WHERE ledger_id = $1 AND period = $2`, [ledgerId, prev]);
    if (state?.state !== 'closed') {
      return [
        {
          code: 'PREVIOUS_PERIOD_NOT_CLOSED',
          owner: 'finance_manager',
          total: 1,
          params: { previous: prev },
          message: `Close period ${prev} first: periods close one after another.`,
          items: [{ period: prev, state: state?.state ?? 'missing' }],
        },
      ];
    }
    const diffs = await rows<{ account: string; expected: string; actual: string; total: string }>(
      db,
      `SELECT coalesce(c.account_code, o.account_code) AS account, coalesce(c.closing, 0) AS expected, coalesce(o.opening, 0) AS actual,
              count(*) OVER () AS total
       FROM (SELECT account_code, closing FROM balance WHERE ledger_id = $1 AND period = $2) c
       FULL JOIN (SELECT account_code, opening FROM balance WHERE ledger_id = $1 AND period = $3) o USING (account_code)
       WHERE coalesce(c.closing, 0) <> coalesce(o.opening, 0)
       ORDER BY 1 LIMIT ${MAX_BLOCKER_ITEMS}`,
      [ledgerId, prev, period],
    );
    if (diffs.length > 0) {
      blockers.push({
        code: 'OPENING_BALANCE_MISMATCH',
        owner: 'accountant',
        total: Number(diffs[0].total),
        params: { count: Number(diffs[0].total), previous: prev },
        message: `Opening balances of ${period} differ from the closing balances of ${prev}; correct them (期初余额).`,
        items: diffs.map((d) => ({
          account: d.account,
          expectedOpening: formatMinor(d.expected),
          actualOpening: formatMinor(d.actual),
          difference: formatMinor(BigInt(d.actual) - BigInt(d.expected)),
        })),
      });
    }
  }
  const sum = await one<{ total: string }>(db, `SELECT coalesce(sum(opening), 0) AS total FROM balance WHERE ledger_id = $1 AND period = $2`, [
    ledgerId,
    period,
  ]);
  if (sum && BigInt(sum.total) !== 0n) {
    blockers.push({
      code: 'OPENING_BALANCE_UNBALANCED',
      owner: 'accountant',
      total: 1,
      params: { difference: formatMinor(sum.total) },
      message: `Opening balances of ${period} do not balance: debit balances exceed credit balances by ${formatMinor(sum.total)}.`,
      items: [{ period, difference: formatMinor(sum.total) }],
    });
  }
  return blockers;
}
