import { AppError } from '../../../lib/errors';
import { inBooksTransaction } from '../../../db/session';
import { one } from '../../../db/sql';
import { periodLockWait, type ActivityDeps, type StepInput } from '../deps';
import { closeLedger } from '../close-ledger';
import { recordedStep } from '../record-step';
import { checksumSql, perAccountFromTallySql } from '../../../books/snapshot';
import { checkDocumentStates } from '../../../books/checks/documents';
import { checkPendingApprovals } from '../../../books/checks/pending-approvals';
import { checkReimbursements } from '../../../books/checks/reimbursements';
import { checkReconciliation } from '../../../books/checks/reconciliation';
import { checkTrialBalance } from '../../../books/checks/trial-balance';

/**
 * 备份: in one transaction, re-checks that nothing blocks the close any more, freezes the period (from
 * here only the close itself may write it) and snapshots its lines per account with a checksum, from
 * the tally the database keeps of them (the frozen period's tally cannot move any more).
 * Carry forward then reads the snapshot, so what was backed up is exactly what was carried.
 */
export function createBackup(deps: ActivityDeps) {
  return recordedStep<StepInput>(deps, 'backup', async ({ closeId, ledger, period, initiatedBy }) => {
    const l = await closeLedger(deps, { closeId, ledger });
    // Every writer of the period's rows holds its row FOR SHARE until it commits (the books' guards),
    // so the FOR UPDATE below waits for writers that came first, and what they wrote is re-checked and
    // backed up. A writer that stays open past the wait fails this attempt with PERIOD_BUSY (retried).
    return inBooksTransaction(deps.dataSource, { actor: initiatedBy, lockWaitMs: periodLockWait(deps) }, async (em) => {
      const p = await one<{ close_id: string | null; state: string }>(
        em,
        `SELECT close_id, state FROM period WHERE ledger_id = $1 AND period = $2 FOR UPDATE`,
        [l.id, period],
      );
      if (p?.close_id !== closeId) throw new AppError('CLOSE_NOT_ACTIVE', `Close ${closeId} no longer owns period ${period}.`);
      const done = await one<{ close_id: string; result: Record<string, unknown> }>(
        em,
        `SELECT close_id, result FROM close_operation WHERE ledger_id = $1 AND period = $2 AND operation = 'backup'`,
        [l.id, period],
      );
      if (done?.close_id === closeId) return { details: done.result };

      const blockers = [
        ...(await checkPendingApprovals(em, l.id, period)),
        ...(await checkReimbursements(em, l.id, period)),
        ...(await checkDocumentStates(em, l.id, period)),
        ...(await checkReconciliation(em, l.id, period)),
        ...(await checkTrialBalance(em, l.id, period)),
      ];
      if (blockers.length > 0) return { blockers };

      await em.query(`UPDATE period SET frozen_at = now() WHERE ledger_id = $1 AND period = $2`, [l.id, period]);
      const snap = await one<{ id: string; line_count: string; checksum: string }>(
        em,
        `WITH per_account AS (${perAccountFromTallySql})
         INSERT INTO period_snapshot (close_id, ledger_id, period, line_count, debit_total, credit_total, checksum, accounts)
         SELECT $3, $1, $2, coalesce(sum(lines), 0), coalesce(sum(debit), 0), coalesce(sum(credit), 0),
                ${checksumSql},
                coalesce(jsonb_agg(jsonb_build_object('account', account, 'lines', lines, 'debit', debit::text, 'credit', credit::text) ORDER BY account), '[]')
         FROM per_account RETURNING id, line_count, checksum`,
        [l.id, period, closeId],
      );
      const result = { snapshotId: snap!.id, lines: Number(snap!.line_count), checksum: snap!.checksum };
      await em.query(`INSERT INTO close_operation (ledger_id, period, operation, close_id, result) VALUES ($1, $2, 'backup', $3, $4)`, [
        l.id,
        period,
        closeId,
        JSON.stringify(result),
      ]);
      return { details: result };
    });
  });
}
