import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/errors';
import { hasEnded } from '../../lib/period';
import { audit } from '../../db/session';
import { one, rows } from '../../db/sql';
import { assertScopeExists, monthEndWithin, scopeSql, type MonthEndScope } from '../../books/month-end-scope';
import { monthEndWorkflow } from '../../workflows/month-end/month-end-workflow';
import type { CloseSettings } from '../../close';
import type { ApiUser } from '../auth';
import { monthEndSummary, type MonthEndSummary } from './month-end-summary';

export interface MonthEndServiceDeps {
  dataSource: DataSource;
  temporalClient: Client;
  taskQueue: string;
  closeSettings: CloseSettings;
  concurrency: number;
}

export interface MonthEndView {
  id: string;
  workflowId: string;
  period: string;
  scope: MonthEndScope;
  initiatedBy: string;
  state: string;
  ledgerCount: number | null;
  startedAt: string;
  endedAt: string | null;
  summary: MonthEndSummary;
}

export const monthEndWorkflowId = (id: string): string => `month-end:${id}`;

/** Month-end for many ledgers at once: one monthEndWorkflow, which starts a close per ledger. */
export function createMonthEndService(deps: MonthEndServiceDeps) {
  const db = deps.dataSource;

  /** A month-end the user may see: one whose ledgers lie wholly in their scope (otherwise not found). */
  async function get(user: ApiUser, id: string): Promise<MonthEndView> {
    const run = await one<Omit<MonthEndView, 'summary'>>(
      db,
      `SELECT id, workflow_id AS "workflowId", period, scope, initiated_by AS "initiatedBy", state, ledger_count AS "ledgerCount",
              started_at AS "startedAt", ended_at AS "endedAt" FROM month_end_run r WHERE id = $1 AND ${monthEndWithin('r.scope', 2)}`,
      [id, user.scopeLedgerId],
    );
    if (!run) throw new AppError('MONTH_END_NOT_FOUND', `There is no month-end run with id ${id}.`);
    return { ...run, summary: await monthEndSummary(db, run.scope, run.period) };
  }

  async function start(user: ApiUser, input: { period: string; ledgers?: string[]; parent?: string }): Promise<MonthEndView> {
    const scope: MonthEndScope = input.parent !== undefined ? { parent: input.parent } : { ledgers: [...new Set(input.ledgers)] };
    // The scope first: ledgers outside the caller's subtree read as missing whatever the period.
    await assertScopeExists(db, scope, user.scopeLedgerId);
    if (!hasEnded(input.period, new Date())) throw new AppError('PERIOD_IN_FUTURE', `Period ${input.period} has not ended yet.`);
    const id = randomUUID();
    const workflowId = monthEndWorkflowId(id);
    await deps.temporalClient.workflow.start(monthEndWorkflow, {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [{ monthEndId: id, period: input.period, scope, initiatedBy: user.name, concurrency: deps.concurrency, closeSettings: deps.closeSettings }],
    });
    // Registered now (as the workflow's first activity would), so GET answers at once.
    const s = scopeSql(scope, 1);
    await db.transaction(async (em) => {
      const created = await rows(
        em,
        `INSERT INTO month_end_run (id, workflow_id, period, scope, initiated_by, ledger_count)
         SELECT $${s.params.length + 1}, $${s.params.length + 2}, $${s.params.length + 3}, $${s.params.length + 4}, $${s.params.length + 5}, count(*)::int
         FROM ledger l WHERE l.active AND ${s.where}
         ON CONFLICT (id) DO NOTHING RETURNING id, ledger_count`,
        [...s.params, id, workflowId, input.period, JSON.stringify(scope), user.name],
      );
      if (created.length > 0) {
        await audit(em, {
          actor: user.name,
          action: 'month_end.started',
          period: input.period,
          target: id,
          details: { scope, ledgers: (created[0] as { ledger_count: number }).ledger_count },
        });
      }
    });
    return get(user, id);
  }

  return { start, get };
}

export type MonthEndService = ReturnType<typeof createMonthEndService>;
