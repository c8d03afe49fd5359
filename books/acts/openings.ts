import type { EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { formatMinor } from '../../lib/money';
import { previousPeriod } from '../../lib/period';
import { audit } from '../../db/session';
import { one, rows } from '../../db/sql';
import type { Actor, ActResult } from './act';

/**
 * 期初余额对齐: every opening balance of the period that differs from the previous period's closing
 * balance is set to it (the previous period must be closed), with a reason; each change is audited.
 */
export async function alignOpenings(
  em: EntityManager,
  user: Actor,
  ledgerId: number,
  period: string,
  reason: string,
): Promise<ActResult<{ period: string; aligned: Array<{ account: string; from: string; to: string }> }>> {
  const prev = previousPeriod(period);
  const p = await one<{ state: string }>(em, `SELECT state FROM period WHERE ledger_id = $1 AND period = $2`, [ledgerId, prev]);
  if (p?.state !== 'closed') throw new AppError('PERIOD_NOT_CLOSED', `Period ${prev} is not closed; its closing balances are not final yet.`, { period: prev });
  const changed = await rows<{ account: string; from: string; to: string }>(
    em,
    `WITH c AS (SELECT account_code, closing FROM balance WHERE ledger_id = $1 AND period = $2),
     o AS (SELECT account_code, opening FROM balance WHERE ledger_id = $1 AND period = $3),
     diff AS (SELECT coalesce(c.account_code, o.account_code) AS account, coalesce(o.opening, 0) AS was, coalesce(c.closing, 0) AS now
              FROM c FULL JOIN o USING (account_code) WHERE coalesce(c.closing, 0) <> coalesce(o.opening, 0)),
     up AS (INSERT INTO balance (ledger_id, period, account_code, opening) SELECT $1, $3, account, now FROM diff
            ON CONFLICT (ledger_id, period, account_code) DO UPDATE SET opening = EXCLUDED.opening RETURNING account_code)
     SELECT account, was::text AS from, now::text AS to FROM diff ORDER BY account`,
    [ledgerId, prev, period],
  );
  const aligned = changed.map((c) => ({ account: c.account, from: formatMinor(c.from), to: formatMinor(c.to) }));
  await audit(em, { actor: user.name, action: 'balance.openings_aligned', ledgerId, period, reason, details: { previous: prev, aligned } });
  return { ledgerId, period, result: { period, aligned } };
}
