import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/errors';
import { hasEnded } from '../../lib/period';
import { one, rows } from '../../db/sql';
import { assertScopeExists, monthEndWithin, type MonthEndScope } from '../../books/month-end-scope';
import { registerMonthEndRun } from '../../books/month-end-runs';
import { monthEndWorkflow } from '../../workflows/month-end/month-end-workflow';
import type { CloseSettings } from '../../close';
import type { ApiUser } from '../auth';
import { decodeCursor, encodeCursor, invalidCursor } from '../validation';
import { monthEndCounts, monthEndSummary, type MonthEndCounts, type MonthEndSummary } from './month-end-summary';

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

/** One month-end run as listed: the run and its counts (GET /month-ends/{id} adds the ledgers that need someone). */
export type MonthEndListItem = Omit<MonthEndView, 'summary'> & { counts: MonthEndCounts };

export interface MonthEndFilter {
  period?: string;
  state?: 'running' | 'completed' | 'failed' | 'cancelled';
  limit: number;
  cursor?: string;
}

const SELECT_RUN = `SELECT r.id, r.workflow_id AS "workflowId", r.period, r.scope, r.initiated_by AS "initiatedBy", r.state,
  r.ledger_count AS "ledgerCount", r.started_at AS "startedAt", r.ended_at AS "endedAt"`;

export const monthEndWorkflowId = (id: string): string => `month-end:${id}`;

/** Month-end for many ledgers at once: one monthEndWorkflow, which starts a close per ledger. */
export function createMonthEndService(deps: MonthEndServiceDeps) {
  const db = deps.dataSource;

  /** A month-end the user may see: one whose ledgers lie wholly in their scope (otherwise not found). */
  async function get(user: ApiUser, id: string): Promise<MonthEndView> {
    const run = await one<Omit<MonthEndView, 'summary'>>(db, `${SELECT_RUN} FROM month_end_run r WHERE r.id = $1 AND ${monthEndWithin('r.scope', 2)}`, [
      id,
      user.scopeLedgerId,
    ]);
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
    await registerMonthEndRun(db, { monthEndId: id, workflowId, period: input.period, scope, initiatedBy: user.name });
    return get(user, id);
  }

  /**
   * Every month-end run the user may see (manual or scheduled), newest first, paged by keyset on
   * (started_at, id), each with its counts: the runs from month_end_run, their counts in one more
   * statement for the whole page (never a question to Temporal per run).
   */
  async function list(user: ApiUser, f: MonthEndFilter): Promise<{ items: MonthEndListItem[]; next: string | null }> {
    const params: unknown[] = [user.scopeLedgerId];
    const where = [monthEndWithin('r.scope', 1)];
    const add = (sql: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(sql(params.length));
    };
    if (f.period) add((n) => `r.period = $${n}`, f.period);
    if (f.state) add((n) => `r.state = $${n}`, f.state);
    const after = decodeCursor(f.cursor, ['string', 'string']);
    if (after) {
      if (!/^\d{1,18}$/.test(String(after[0]))) invalidCursor();
      params.push(after[0], after[1]);
      where.push(`(r.started_at, r.id) < (timestamptz 'epoch' + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length})`);
    }
    params.push(f.limit + 1);
    const found = await rows<Omit<MonthEndListItem, 'counts'> & { sortKey: string }>(
      db,
      `${SELECT_RUN}, (extract(epoch FROM r.started_at) * 1000000)::bigint::text AS "sortKey"
       FROM month_end_run r WHERE ${where.join(' AND ')} ORDER BY r.started_at DESC, r.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = found.slice(0, f.limit);
    const counts = await monthEndCounts(db, page);
    const last = page[page.length - 1];
    return {
      items: page.map(({ sortKey: _sortKey, ...run }) => ({ ...run, counts: counts.get(run.id)! })),
      next: found.length > f.limit && last ? encodeCursor([last.sortKey, last.id]) : null,
    };
  }

  return { start, get, list };
}

export type MonthEndService = ReturnType<typeof createMonthEndService>;
