import { audit } from '../../db/session';
import { one, rows } from '../../db/sql';
import type { ActivityDeps } from '../close/deps';
import { scopeSql, type MonthEndScope } from '../../books/month-end-scope';

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
      const s = scopeSql(input.scope, 1);
      const count = await one<{ n: number }>(db, `SELECT count(*)::int AS n FROM ledger l WHERE l.active AND ${s.where}`, s.params);
      await db.transaction(async (em) => {
        const created = await em.query(
          `INSERT INTO month_end_run (id, workflow_id, period, scope, initiated_by, ledger_count) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO NOTHING RETURNING id`,
          [input.monthEndId, input.workflowId, input.period, JSON.stringify(input.scope), input.initiatedBy, count!.n],
        );
        if (created.length > 0)
          await audit(em, {
            actor: input.initiatedBy,
            action: 'month_end.started',
            period: input.period,
            target: input.monthEndId,
            details: { scope: input.scope, ledgers: count!.n },
          });
      });
      return { ledgerCount: count!.n };
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
