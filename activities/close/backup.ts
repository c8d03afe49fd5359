import { AppError } from '../../lib/errors';
import { inBooksTransaction } from '../../db/session';
import { one } from '../../db/sql';
import { periodLockWait, type ActivityDeps, type StepInput } from './deps';
import { findLedger } from './ledger-lookup';
import { recordedStep } from './record-step';
import { checkDocumentStates } from './checks/documents';
import { checkPendingApprovals } from './checks/pending-approvals';
import { checkReimbursements } from './checks/reimbursements';
import { checkSubledgers } from './checks/reconciliation';
import { checkTrialBalance } from './checks/trial-balance';

/**
 * 备份: in one transaction, re-checks that nothing blocks the close any more, freezes the period (from
 * here only the close itself may write it) and snapshots its lines per account with a checksum, from
 * the tally the database keeps of them (the frozen period's tally cannot move any more).
 * Carry forward then reads the snapshot, so what was backed up is exactly what was carried.
 */
export function createBackup(deps: ActivityDeps) {
  return recordedStep<StepInput>(deps, 'backup', async ({ closeId, ledger, period, initiatedBy }) => {
    const l = await findLedger(deps.dataSource, ledger);
    // Every writer of the period's rows holds its row FOR SHARE until it commits (the books' guards),
    // so the FOR UPDATE below waits for writers that came first, and what they wrote is re-checked and
    // backed up. A writer that stays open past the wait fails this attempt with PERIOD_BUSY (retried).
    return inBooksTransaction(deps.dataSource, { actor: initiatedBy, lockWaitMs: periodLockWait(deps) }, async (em) => {
      const p = await one<{ close_id: string | null; state: string }>(em,
        `SELECT close_id, state FROM period WHERE ledger_id = $1 AND period = $2 FOR UPDATE`, [l.id, period]);
      if (p?.close_id !== closeId) throw new AppError('CLOSE_NOT_ACTIVE', `Close ${closeId} no longer owns period ${period}.`);
      const done = await one<{ close_id: string; result: Record<string, unknown> }>(em,
        `SELECT close_id, result FROM close_operation WHERE ledger_id = $1 AND period = $2 AND operation = 'backup'`, [l.id, period]);
      if (done?.close_id === closeId) return { details: done.result };

      const blockers = [
        ...(await checkPendingApprovals(em, l.id, period)),
        ...(await checkReimbursements(em, l.id, period)),
        ...(await checkDocumentStates(em, l.id, period)),
        ...(await checkSubledgers(em, l.id, period)),
        ...(await checkTrialBalance(em, l.id, period)),
      ];
      if (blockers.length > 0) return { blockers };

      await em.query(`UPDATE period SET frozen_at = now() WHERE ledger_id = $1 AND period = $2`, [l.id, period]);
      const snap = await one<{ id: string; line_count: string; checksum: string }>(em,
        `WITH per_account AS (${perAccountFromTallySql})
         INSERT INTO period_snapshot (close_id, ledger_id, period, line_count, debit_total, credit_total, checksum, accounts)
         SELECT $3, $1, $2, coalesce(sum(lines), 0), coalesce(sum(debit), 0), coalesce(sum(credit), 0),
                ${checksumSql},
                coalesce(jsonb_agg(jsonb_build_object('account', account, 'lines', lines, 'debit', debit::text, 'credit', credit::text) ORDER BY account), '[]')
         FROM per_account RETURNING id, line_count, checksum`, [l.id, period, closeId]);
      const result = { snapshotId: snap!.id, lines: Number(snap!.line_count), checksum: snap!.checksum };
      await em.query(`INSERT INTO close_operation (ledger_id, period, operation, close_id, result) VALUES ($1, $2, 'backup', $3, $4)`,
        [l.id, period, closeId, JSON.stringify(result)]);
      return { details: result };
    });
  });
}

const carryForwardLines = `SELECT * FROM voucher_line
  WHERE voucher_id = (SELECT id FROM voucher WHERE ledger_id = $1 AND period = $2 AND source_type = 'carry_forward')`;

/**
 * Per account: line count, debit and credit totals, and an order-independent hash of its lines (the
 * sum of books_line_hash), the carry-forward voucher excluded: it comes after. Recomputed from the lines.
 */
export const perAccountFromLinesSql = `
  SELECT account_code AS account, count(*) AS lines, sum(debit) AS debit, sum(credit) AS credit,
         sum(books_line_hash(id, voucher_id, account_code, debit, credit)) AS hash
  FROM voucher_line WHERE ledger_id = $1 AND period = $2
    AND voucher_id NOT IN (SELECT id FROM voucher WHERE ledger_id = $1 AND period = $2 AND source_type = 'carry_forward')
  GROUP BY account_code`;

/**
 * The same, from the tally the database keeps of the lines (period_account_total) less the
 * carry-forward voucher's few lines, if a retried close left one: the accounts are read, never the lines.
 */
export const perAccountFromTallySql = `
  SELECT t.account_code AS account, t.lines - coalesce(cf.lines, 0) AS lines, t.debit - coalesce(cf.debit, 0) AS debit,
         t.credit - coalesce(cf.credit, 0) AS credit, t.line_hash - coalesce(cf.hash, 0) AS hash
  FROM period_account_total t
  LEFT JOIN (SELECT account_code, count(*) AS lines, sum(debit) AS debit, sum(credit) AS credit,
                    sum(books_line_hash(id, voucher_id, account_code, debit, credit)) AS hash
             FROM (${carryForwardLines}) l GROUP BY account_code) cf ON cf.account_code = t.account_code
  WHERE t.ledger_id = $1 AND t.period = $2 AND t.lines - coalesce(cf.lines, 0) > 0`;

export const checksumSql = `md5(coalesce(string_agg(account || ':' || lines || ':' || debit || ':' || credit || ':' || hash, ',' ORDER BY account), ''))`;
