import { AppError } from '../../../lib/errors';
import { nextPeriod } from '../../../lib/period';
import { inBooksTransaction } from '../../../db/session';
import { one } from '../../../db/sql';
import { periodLockWait, type ActivityDeps, type StepInput } from '../deps';
import { closeLedger } from '../close-ledger';
import { recordedStep } from '../record-step';

/**
 * Each account's balance before carrying: opening + the snapshot's movements ($1 ledger, $2 period,
 * $3 snapshot). A query the carry forward's statements share rather than a temporary table: creating
 * and dropping one writes the catalogs in every close of a month-end (~6 ms each, and their bloat).
 */
const MOVEMENT_SQL = `
  SELECT a.code AS account, a.class, coalesce(b.opening, 0)::bigint AS opening,
         coalesce((s.a ->> 'debit')::bigint, 0) AS debit, coalesce((s.a ->> 'credit')::bigint, 0) AS credit
  FROM account a
  LEFT JOIN balance b ON b.ledger_id = a.ledger_id AND b.period = $2 AND b.account_code = a.code
  LEFT JOIN (SELECT jsonb_array_elements(accounts) AS a FROM period_snapshot WHERE id = $3) s ON s.a ->> 'account' = a.code
  WHERE a.ledger_id = $1`;

/**
 * 结转, exactly once per ledger and period, in one transaction with set-based SQL over the backup's
 * per-account snapshot (the lines themselves are never loaded): income and expenditure balances are
 * carried to the designated net-asset account by a posted voucher, every account's movements and
 * closing balance are written, and the next period opens with those closing balances.
 * A retried step finds its close_operation row and returns what it did the first time.
 */
export function createCarryForward(deps: ActivityDeps) {
  return recordedStep<StepInput>(deps, 'carry_forward', async ({ closeId, ledger, period, initiatedBy }) => {
    const l = await closeLedger(deps, { closeId, ledger });
    return inBooksTransaction(deps.dataSource, { actor: initiatedBy, closeWriter: true, lockWaitMs: periodLockWait(deps) }, async (em) => {
      await em.query(`SELECT 1 FROM period WHERE ledger_id = $1 AND period = $2 FOR UPDATE`, [l.id, period]);
      const done = await one<{ close_id: string; result: Record<string, unknown> }>(
        em,
        `SELECT close_id, result FROM close_operation WHERE ledger_id = $1 AND period = $2 AND operation = 'carry_forward'`,
        [l.id, period],
      );
      if (done) return { details: done.result };

      const target = await one<{ code: string }>(em, `SELECT code FROM account WHERE ledger_id = $1 AND carry_forward_target`, [l.id]);
      if (!target)
        throw new AppError(
          'CARRY_FORWARD_TARGET_MISSING',
          `Ledger ${l.code} has no net-asset account marked to receive carried-forward income and expenditure.`,
        );
      const snap = await one<{ id: string }>(
        em,
        `SELECT id FROM period_snapshot WHERE close_id = $1 AND ledger_id = $2 AND period = $3 ORDER BY id DESC LIMIT 1`,
        [closeId, l.id, period],
      );
      if (!snap) throw new AppError('SNAPSHOT_MISMATCH', `Close ${closeId} has no backup of ${period}; the backup step runs again.`);

      const voucher = await one<{ id: string; carried: string; lines: number }>(
        em,
        `
        WITH cf_movement AS (${MOVEMENT_SQL}),
        ie AS (
          SELECT account, opening + debit - credit AS bal FROM cf_movement
          WHERE class IN ('income', 'expenditure') AND opening + debit - credit <> 0),
        cf_lines AS (
          SELECT account, CASE WHEN bal < 0 THEN -bal ELSE 0 END AS debit, CASE WHEN bal > 0 THEN bal ELSE 0 END AS credit FROM ie
          UNION ALL
          SELECT $4::text, CASE WHEN sum(bal) > 0 THEN sum(bal) ELSE 0 END, CASE WHEN sum(bal) < 0 THEN -sum(bal) ELSE 0 END FROM ie HAVING sum(bal) <> 0),
        v AS (
          INSERT INTO voucher (ledger_id, period, number, voucher_date, description, preparer, approver, state, source_type, source_id, approved_at, posted_at)
          SELECT $1::int, $2::text, coalesce((SELECT max(number) FROM voucher WHERE ledger_id = $1::int AND period = $2::text), 0) + 1,
                 (to_date($2::text || '-01', 'YYYY-MM-DD') + interval '1 month - 1 day')::date,
                 '期末收支结转 carry forward income and expenditure to net assets', 'system:close', $5::text, 'posted', 'carry_forward', $3::bigint, now(), now()
          WHERE EXISTS (SELECT 1 FROM ie)
          RETURNING id),
        ins AS (
          INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit, memo)
          SELECT v.id, $1::int, $2::text, row_number() OVER (ORDER BY c.account), c.account, c.debit, c.credit, '结转'
          FROM v CROSS JOIN cf_lines c
          RETURNING debit)
        SELECT (SELECT id FROM v) AS id, (SELECT coalesce(sum(bal), 0) FROM ie) AS carried, (SELECT count(*) FROM ins)::int AS lines`,
        [l.id, period, snap.id, target.code, initiatedBy],
      );

      await em.query(
        `
        WITH cf_movement AS (${MOVEMENT_SQL})
        INSERT INTO balance (ledger_id, period, account_code, opening, debit, credit, closing)
        SELECT $1, $2, m.account, m.opening, m.debit + coalesce(cf.debit, 0), m.credit + coalesce(cf.credit, 0),
               m.opening + m.debit + coalesce(cf.debit, 0) - m.credit - coalesce(cf.credit, 0)
        FROM cf_movement m
        LEFT JOIN (SELECT account_code, sum(debit) AS debit, sum(credit) AS credit FROM voucher_line
                   WHERE voucher_id = $4 GROUP BY account_code) cf ON cf.account_code = m.account
        ON CONFLICT (ledger_id, period, account_code) DO UPDATE
          SET debit = EXCLUDED.debit, credit = EXCLUDED.credit, closing = EXCLUDED.closing`,
        [l.id, period, snap.id, voucher?.id ?? null],
      );

      const next = nextPeriod(period);
      await em.query(`INSERT INTO period (ledger_id, period) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [l.id, next]);
      await em.query(
        `
        INSERT INTO balance (ledger_id, period, account_code, opening)
        SELECT ledger_id, $3, account_code, closing FROM balance WHERE ledger_id = $1 AND period = $2
        ON CONFLICT (ledger_id, period, account_code) DO UPDATE SET opening = EXCLUDED.opening`,
        [l.id, period, next],
      );

      const result = {
        voucherId: voucher?.id ?? null,
        carried: voucher?.carried ?? '0',
        voucherLines: voucher?.lines ?? 0,
        snapshotId: snap.id,
        nextPeriod: next,
      };
      await em.query(`INSERT INTO close_operation (ledger_id, period, operation, close_id, result) VALUES ($1, $2, 'carry_forward', $3, $4)`, [
        l.id,
        period,
        closeId,
        JSON.stringify(result),
      ]);
      return { details: result };
    });
  });
}
