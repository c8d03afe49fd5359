import { audit, inBooksTransaction } from '../../db/session';
import { one } from '../../db/sql';
import type { StepError } from '../../close';
import type { ActivityDeps } from './deps';
import { markClosed, markEnded } from '../../books/close-runs';
import { undoCloseWrites } from '../../books/undo-close-writes';
import { storableValue } from '../../lib/text';

export interface ReleaseInput {
  closeId: string;
  ledger: string;
  period: string;
  outcome: 'cancelled' | 'failed';
  by: string;
  reason?: string;
  error?: StepError;
}

/**
 * Ends a close that will not finish — cancelled, or failed on a business rule — leaving nothing
 * half-written: what the close wrote is removed and the period is open again. A period this close
 * already locked stays closed (cancel came too late), and the run says so.
 */
export function createRelease(deps: ActivityDeps) {
  return async function releaseClose(raw: ReleaseInput): Promise<{ lockedByThisClose: boolean; endedAt: string }> {
    // A cancel may come from outside the API (Temporal's UI or CLI), unvalidated: its text is made
    // storable rather than left to fail this step, which must always be able to end the close.
    const input = storableValue(raw);
    return inBooksTransaction(deps.dataSource, { actor: input.by, reason: input.reason, closeWriter: true }, async (em) => {
      const ledger = await one<{ id: number }>(em, `SELECT id FROM ledger WHERE code = $1`, [input.ledger]);
      if (!ledger) return { lockedByThisClose: false, endedAt: new Date().toISOString() };
      const p = await one<{ state: string; close_id: string | null }>(
        em,
        `SELECT state, close_id FROM period WHERE ledger_id = $1 AND period = $2 FOR UPDATE`,
        [ledger.id, input.period],
      );
      if (p?.state === 'closed' && p.close_id === input.closeId) {
        await markClosed(em, input.closeId);
        return { lockedByThisClose: true, endedAt: new Date().toISOString() };
      }
      if (p && p.state !== 'closed' && p.close_id === input.closeId) {
        await undoCloseWrites(em, ledger.id, input.period);
        await em.query(`UPDATE period SET state = 'open', frozen_at = NULL, close_id = NULL WHERE ledger_id = $1 AND period = $2`, [ledger.id, input.period]);
      }
      await markEnded(em, input.closeId, input.outcome, input.error);
      await audit(em, {
        actor: input.by,
        action: `close.${input.outcome}`,
        ledgerId: ledger.id,
        period: input.period,
        target: input.closeId,
        reason: input.reason ?? input.error?.message ?? null,
        details: input.error ? { code: input.error.code } : {},
      });
      return { lockedByThisClose: false, endedAt: new Date().toISOString() };
    });
  };
}
