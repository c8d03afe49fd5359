import { one, rows } from '../../db/sql';
import type { ActivityDeps } from '../close/deps';
import { scopeSql, type MonthEndScope } from '../../books/month-end-scope';
import { registerMonthEndRun } from '../../books/month-end-runs';

export type { MonthEndScope };

/** The month-end's bookkeeping: its run record, and the pages of ledgers still to close. */
export function createMonthEndActivities(deps: ActivityDeps) {
  const db = deps.dataSource;
  return {
    async beginMonthEnd(input: {
      monthEndId: string;
      workflowId: string;
      period: string;
      scope: MonthEndScope;
      initiatedBy: string;
    }): Promise<{ ledgerCount: number }> {
      await registerMonthEndRun(db, input);
      const run = await one<{ n: number }>(db, `SELECT ledger_count AS n FROM month_end_run WHERE id = $1`, [input.monthEndId]);
      return { ledgerCount: run?.n ?? 0 };
    },

    /** The next page of ledgers, by code, whose period is not closed yet. */
    async listMonthEndLedgers(input: { scope: MonthEndScope; period: string; after: string | null; limit: number }): Promise<string[]> {
      const s = scopeSql(input.scope, 4);
      const found = await rows<{ code: string }>(
        db,
        `SELECT l.code FROM ledger l LEFT JOIN period p ON p.ledger_id = l.id AND p.period = $1
         WHERE l.active AND l.first_period <= $1 AND coalesce(p.state, 'open') <> 'closed' AND l.code > $2 AND ${s.where}
         ORDER BY l.code LIMIT $3`,
        [input.period, input.after ?? '', input.limit, ...s.params],
      );
      return found.map((r) => r.code);
    },

    async finishMonthEnd(input: { monthEndId: string; state: 'completed' | 'failed' | 'cancelled' }): Promise<void> {
      await db.query(`UPDATE month_end_run SET state = $2, ended_at = now() WHERE id = $1 AND state = 'running'`, [input.monthEndId, input.state]);
    },
  };
}

export type MonthEndActivities = ReturnType<typeof createMonthEndActivities>;
