import { AppError } from '../../../lib/errors';
import { audit, inBooksTransaction } from '../../../db/session';
import { one } from '../../../db/sql';
import { periodLockWait, type ActivityDeps, type StepInput } from '../deps';
import { closeLedger } from '../close-ledger';
import { recordedStep } from '../record-step';
import { markClosed } from '../../../books/close-runs';

/**
 * 11. Lock: the period becomes closed — from now on the database refuses every change to its data — and
 * the close run is closed, in one transaction. Retried, it finds the period closed by this close.
 */
export function createLock(deps: ActivityDeps) {
  return recordedStep<StepInput>(deps, 'lock', async ({ closeId, ledger, period, initiatedBy }) => {
    const l = await closeLedger(deps, { closeId, ledger });
    return inBooksTransaction(deps.dataSource, { actor: initiatedBy, lockWaitMs: periodLockWait(deps) }, async (em) => {
      const p = await one<{ state: string; close_id: string | null }>(
        em,
        `SELECT state, close_id FROM period WHERE ledger_id = $1 AND period = $2 FOR UPDATE`,
        [l.id, period],
      );
      if (p?.state === 'closed' && p.close_id === closeId) return { details: { alreadyLocked: true } };
      if (p?.close_id !== closeId || p.state !== 'closing') throw new AppError('CLOSE_NOT_ACTIVE', `Close ${closeId} no longer owns period ${period}.`);
      const cf = await one(em, `SELECT 1 FROM close_operation WHERE ledger_id = $1 AND period = $2 AND operation = 'carry_forward'`, [l.id, period]);
      if (!cf) throw new AppError('SNAPSHOT_MISMATCH', `Period ${period} has not been carried forward yet.`);
      await em.query(`UPDATE period SET state = 'closed', closed_by = $3, closed_at = now(), frozen_at = NULL WHERE ledger_id = $1 AND period = $2`, [
        l.id,
        period,
        initiatedBy,
      ]);
      await em.query(`INSERT INTO close_operation (ledger_id, period, operation, close_id) VALUES ($1, $2, 'lock', $3)`, [l.id, period, closeId]);
      await markClosed(em, closeId);
      await audit(em, { actor: initiatedBy, action: 'close.closed', ledgerId: l.id, period, target: closeId });
      return { details: { alreadyLocked: false } };
    });
  });
}
