import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/errors';
import { nextPeriod } from '../../lib/period';
import { audit, inBooksTransaction } from '../../db/session';
import { one } from '../../db/sql';
import { findLedger } from '../../books/ledgers';
import { undoCloseWrites } from '../../books/undo-close-writes';
import type { ApiUser } from '../auth';

export interface ReopenResult {
  ledger: string;
  period: string;
  state: 'open';
  reopenedBy: string;
  reason: string;
  removedCarryForward: number;
  removedOpenings: number;
}

/**
 * 反结账: the latest closed period of a ledger becomes open again, with everything its close wrote
 * (carry-forward voucher, closing balances, next period's openings) removed — in one transaction,
 * with the reason handed to the database, which refuses to touch a closed period without one.
 */
export function createReopenService(dataSource: DataSource) {
  return {
    async reopen(user: ApiUser, ledgerCode: string, period: string, reason: string): Promise<ReopenResult> {
      const ledger = await findLedger(dataSource, ledgerCode, user.scopeLedgerId);
      return inBooksTransaction(dataSource, { actor: user.name, reason, reopenReason: reason }, async (em) => {
        const p = await one<{ state: string; close_id: string | null }>(
          em,
          `SELECT state, close_id FROM period WHERE ledger_id = $1 AND period = $2 FOR UPDATE`,
          [ledger.id, period],
        );
        if (p?.state !== 'closed')
          throw new AppError('PERIOD_NOT_CLOSED', `Period ${period} of ledger ${ledger.code} is not closed.`, { state: p?.state ?? 'open' });
        const later = await one<{ period: string }>(
          em,
          `SELECT period FROM period WHERE ledger_id = $1 AND period > $2 AND state = 'closed' ORDER BY period DESC LIMIT 1`,
          [ledger.id, period],
        );
        if (later) {
          throw new AppError('PERIOD_NOT_LATEST_CLOSED', `Period ${later.period} of ledger ${ledger.code} is closed too; reopen it first.`, {
            latestClosed: later.period,
          });
        }
        const next = nextPeriod(period);
        const running = await one<{ id: string }>(
          em,
          `SELECT c.id FROM close_run c WHERE c.ledger_id = $1 AND c.period = $2 AND c.state IN ('running', 'blocked')
           UNION ALL SELECT p.close_id FROM period p WHERE p.ledger_id = $1 AND p.period = $2 AND p.state = 'closing'
           LIMIT 1`,
          [ledger.id, next],
        );
        if (running) {
          throw new AppError(
            'PERIOD_CLOSE_RUNNING',
            `A close of ${next}, the next period of ledger ${ledger.code}, is running; cancel it before reopening ${period}.`,
            { period: next, closeId: running.id },
          );
        }
        await em.query(
          `UPDATE period SET state = 'open', closed_by = NULL, closed_at = NULL, close_id = NULL, frozen_at = NULL WHERE ledger_id = $1 AND period = $2`,
          [ledger.id, period],
        );
        const undone = await undoCloseWrites(em, ledger.id, period);
        await audit(em, { actor: user.name, action: 'period.reopen', ledgerId: ledger.id, period, target: p.close_id, reason, details: { ...undone } });
        return { ledger: ledger.code, period, state: 'open', reopenedBy: user.name, reason, ...undone };
      });
    },
  };
}

export type ReopenService = ReturnType<typeof createReopenService>;
