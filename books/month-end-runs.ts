import type { DataSource } from 'typeorm';
import { audit } from '../db/session';
import { rows } from '../db/sql';
import { scopeSql, type MonthEndScope } from './month-end-scope';

export interface NewMonthEndRun {
  monthEndId: string;
  workflowId: string;
  period: string;
  scope: MonthEndScope;
  initiatedBy: string;
}

/**
 * Registers a month-end run with the count of its ledgers, audited as started by its initiator.
 * Whoever comes first registers it: the API at once (so GET answers), or the workflow's first
 * activity; the second finds the row and changes nothing.
 */
export async function registerMonthEndRun(db: DataSource, run: NewMonthEndRun): Promise<void> {
  const s = scopeSql(run.scope, 1);
  const n = s.params.length;
  await db.transaction(async (em) => {
    const created = await rows<{ ledger_count: number }>(
      em,
      `INSERT INTO month_end_run (id, workflow_id, period, scope, initiated_by, ledger_count)
       SELECT $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, count(*)::int FROM ledger l WHERE l.active AND ${s.where}
       ON CONFLICT (id) DO NOTHING RETURNING ledger_count`,
      [...s.params, run.monthEndId, run.workflowId, run.period, JSON.stringify(run.scope), run.initiatedBy],
    );
    if (created.length > 0) {
      await audit(em, {
        actor: run.initiatedBy,
        action: 'month_end.started',
        period: run.period,
        target: run.monthEndId,
        details: { scope: run.scope, ledgers: created[0].ledger_count },
      });
    }
  });
}
