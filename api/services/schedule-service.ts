import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleSummary } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/errors';
import { audit } from '../../db/session';
import { assertScopeExists, scopesWithin, scopeSql, type MonthEndScope } from '../../books/month-end-scope';
import { one, rows } from '../../db/sql';
import { registerMonthEndRun } from '../../books/month-end-runs';
import { SCHEDULER_USER, scheduleInitiator } from '../../books/initiators';
import { periodOf, previousPeriod } from '../../lib/period';
import { monthEndCounts, type MonthEndCounts } from './month-end-summary';
import { monthEndWorkflow, type MonthEndInput } from '../../workflows/month-end/month-end-workflow';
import type { CloseSettings } from '../../close';
import type { ApiUser } from '../auth';

export interface ScheduleServiceDeps {
  dataSource: DataSource;
  temporalClient: Client;
  taskQueue: string;
  closeSettings: CloseSettings;
  concurrency: number;
}

export interface ScheduleDefinition {
  scope: MonthEndScope;
  dayOfMonth: number;
  hour: number;
  minute: number;
  timeZone: string;
  concurrency: number;
}
export interface ScheduleView extends ScheduleDefinition {
  id: string;
  paused: boolean;
  note: string | null;
  nextActionTimes: string[];
  recentActions: Array<{ scheduledAt: string; takenAt: string; workflowId: string }>;
  /** The period the next run will close: the month before its due time, in the schedule's time zone (as the workflow reads it). */
  nextPeriod: string | null;
  /** The latest run this schedule started, as month_end_run has it now (null before its first run). */
  lastRun: ScheduleRun | null;
}
export interface ScheduleRun {
  id: string;
  period: string;
  state: string;
  startedAt: string;
  endedAt: string | null;
  counts: MonthEndCounts;
}
/** Run now's answer: the schedule, and the month-end run it started (null if Temporal had not taken the action within the wait). */
export type TriggeredSchedule = ScheduleView & { monthEnd: { id: string; workflowId: string; period: string } | null };
export type CreateScheduleInput = Omit<ScheduleDefinition, 'scope' | 'concurrency'> & {
  id: string;
  ledgers?: string[];
  parent?: string;
  concurrency?: number;
  paused: boolean;
  note?: string;
};

/** How long run now waits for Temporal to take the action it asked for, so it can name the run it started. */
const TRIGGER_WAIT_MS = 10_000;

/**
 * Automatic month-end on Temporal Schedules: a calendar spec in the ledgers' time zone starting
 * monthEndWorkflow without a period, so each run closes the month before it. What the schedule was
 * made from rides in its memo, which also marks it as this service's (same task queue).
 */
export function createScheduleService(deps: ScheduleServiceDeps) {
  const schedules = deps.temporalClient.schedule;
  const db = deps.dataSource;
  const act = (user: ApiUser, action: string, id: string, details: Record<string, unknown> = {}) =>
    audit(db.manager, { actor: user.name, action: `schedule.${action}`, target: id, details });

  /**
   * Our schedule, or 404: a schedule of another service on the same Temporal is not ours to show, and
   * one covering ledgers outside the user's scope reads as missing too.
   */
  async function describe(user: ApiUser, id: string): Promise<ScheduleDescription> {
    try {
      const found = await schedules.getHandle(id).describe();
      const definition = found.memo?.definition as ScheduleDefinition | undefined;
      if (found.memo?.taskQueue === deps.taskQueue && definition && (await scopesWithin(db, [definition.scope], user.scopeLedgerId))[0]) return found;
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
    throw new AppError('SCHEDULE_NOT_FOUND', `There is no schedule with id ${id}.`);
  }

  async function create(user: ApiUser, input: CreateScheduleInput): Promise<ScheduleView> {
    const scope: MonthEndScope = input.parent !== undefined ? { parent: input.parent } : { ledgers: [...new Set(input.ledgers)] };
    await assertScopeExists(db, scope, user.scopeLedgerId);
    const definition: ScheduleDefinition = {
      scope,
      dayOfMonth: input.dayOfMonth,
      hour: input.hour,
      minute: input.minute,
      timeZone: input.timeZone,
      concurrency: input.concurrency ?? deps.concurrency,
    };
    const args: [MonthEndInput] = [
      { scope, initiatedBy: scheduleInitiator(input.id), timeZone: input.timeZone, concurrency: definition.concurrency, closeSettings: deps.closeSettings },
    ];
    try {
      await schedules.create({
        scheduleId: input.id,
        spec: { calendars: [{ dayOfMonth: input.dayOfMonth, hour: input.hour, minute: input.minute, comment: 'month-end close' }], timezone: input.timeZone },
        action: { type: 'startWorkflow', workflowType: monthEndWorkflow, taskQueue: deps.taskQueue, workflowId: `month-end:schedule-${input.id}`, args },
        // A month-end missed while Temporal was down still runs when it is back, within a week.
        policies: { overlap: 'SKIP', catchupWindow: '7 days' },
        memo: { taskQueue: deps.taskQueue, definition, createdBy: user.name },
        state: { paused: input.paused, note: input.note },
      });
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) throw new AppError('SCHEDULE_EXISTS', `A schedule with id ${input.id} already exists.`);
      throw err;
    }
    await act(user, 'created', input.id, { ...definition, paused: input.paused });
    return view(input.id, await describe(user, input.id));
  }

  /** Our schedules whose ledgers lie in the user's scope; the scopes live in Temporal, so the database judges them all in one query. */
  async function list(user: ApiUser): Promise<{ items: ScheduleView[] }> {
    const ours: ScheduleView[] = [];
    for await (const summary of schedules.list()) {
      if (summary.memo?.taskQueue === deps.taskQueue) ours.push(toView(summary.scheduleId, summary));
    }
    const within = await scopesWithin(
      db,
      ours.map((s) => s.scope),
      user.scopeLedgerId,
    );
    return {
      items: await withLastRuns(
        db,
        ours.filter((_, i) => within[i]).sort((a, b) => a.id.localeCompare(b.id)),
      ),
    };
  }

  /** Runs an act on an existing schedule of ours, audits it, and answers with the schedule as it is now. */
  async function change(user: ApiUser, id: string, action: string, work: () => Promise<unknown>, details: Record<string, unknown> = {}): Promise<ScheduleView> {
    await describe(user, id);
    await work();
    await act(user, action, id, details);
    return view(id, await describe(user, id));
  }

  const view = async (id: string, found: ScheduleDescription): Promise<ScheduleView> => (await withLastRuns(db, [toView(id, found)]))[0];

  /**
   * Run now, answering the run it started: Temporal takes a triggered action asynchronously, so this
   * waits (bounded) for the new action, then registers its month-end run as the workflow's first
   * activity would, so the run's page answers at once.
   */
  async function trigger(user: ApiUser, id: string): Promise<TriggeredSchedule> {
    const before = await describe(user, id);
    const seen = new Set(before.info.recentActions.map((a) => a.action.workflow.workflowId));
    await schedules.getHandle(id).trigger();
    await act(user, 'triggered', id);
    const deadline = Date.now() + TRIGGER_WAIT_MS;
    for (;;) {
      const now = await describe(user, id);
      const taken = now.info.recentActions.find((a) => !seen.has(a.action.workflow.workflowId));
      if (taken || Date.now() > deadline) {
        if (!taken) return { ...(await view(id, now)), monthEnd: null };
        const definition = now.memo?.definition as ScheduleDefinition;
        const args = (now.action.args as MonthEndInput[] | undefined)?.[0];
        const workflowId = taken.action.workflow.workflowId;
        const period = previousPeriod(periodOf(taken.scheduledAt, definition.timeZone));
        // A schedule made before runs named their schedule still starts them as the scheduler user.
        await registerMonthEndRun(db, {
          monthEndId: workflowId,
          workflowId,
          period,
          scope: definition.scope,
          initiatedBy: args?.initiatedBy ?? SCHEDULER_USER,
        });
        return { ...(await view(id, now)), monthEnd: { id: workflowId, workflowId, period } };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  return {
    create,
    list,
    get: async (user: ApiUser, id: string) => view(id, await describe(user, id)),
    pause: (user: ApiUser, id: string, note?: string) =>
      change(user, id, 'paused', () => schedules.getHandle(id).pause(note ?? `paused by ${user.name}`), { note }),
    unpause: (user: ApiUser, id: string, note?: string) =>
      change(user, id, 'unpaused', () => schedules.getHandle(id).unpause(note ?? `unpaused by ${user.name}`), { note }),
    trigger,
    // Missed months run one after another rather than being skipped as overlapping.
    async backfill(user: ApiUser, id: string, range: { from: string; to: string }): Promise<ScheduleView> {
      const definition = (await describe(user, id)).memo?.definition as ScheduleDefinition;
      await assertBackfillRange(db, definition.scope, range, new Date());
      return change(
        user,
        id,
        'backfilled',
        () => schedules.getHandle(id).backfill({ start: new Date(range.from), end: new Date(range.to), overlap: 'BUFFER_ALL' }),
        range,
      );
    },
    async remove(user: ApiUser, id: string): Promise<void> {
      await describe(user, id);
      await schedules.getHandle(id).delete();
      await act(user, 'deleted', id);
    },
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;

/** The longest range one backfill may cover: a year of month-ends. */
export const MAX_BACKFILL_DAYS = 366;

/**
 * A backfill only re-runs month-ends that could have run: not before the first period of the
 * schedule's ledgers, not in the future, and at most MAX_BACKFILL_DAYS at once (a typo of a year
 * must not start a month-end for the year 0293).
 */
export async function assertBackfillRange(db: DataSource, scope: MonthEndScope, range: { from: string; to: string }, now: Date): Promise<void> {
  const s = scopeSql(scope, 1);
  const first = await one<{ period: string | null }>(db, `SELECT min(l.first_period) AS period FROM ledger l WHERE ${s.where}`, s.params);
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  const earliest = first?.period ? Date.parse(`${first.period}-01T00:00:00Z`) - 86_400_000 : now.getTime();
  const problems: string[] = [];
  if (from < earliest) problems.push(`"from" is before ${first?.period ?? "the ledgers' first period"}, the first period of the schedule's ledgers`);
  if (to > now.getTime()) problems.push('"to" is in the future');
  if (to - from > MAX_BACKFILL_DAYS * 86_400_000) problems.push(`the range is longer than ${MAX_BACKFILL_DAYS} days`);
  if (problems.length > 0) {
    throw new AppError('BACKFILL_OUT_OF_RANGE', `Cannot backfill: ${problems.join('; ')}.`, {
      from: range.from,
      to: range.to,
      firstPeriod: first?.period ?? null,
      maxDays: MAX_BACKFILL_DAYS,
    });
  }
}

function toView(id: string, s: ScheduleDescription | ScheduleSummary): ScheduleView {
  const definition = s.memo?.definition as ScheduleDefinition;
  const next = s.info.nextActionTimes[0];
  return {
    id,
    ...definition,
    paused: s.state.paused,
    note: s.state.note ?? null,
    nextActionTimes: s.info.nextActionTimes.map((d) => d.toISOString()),
    recentActions: s.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      takenAt: a.takenAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
    nextPeriod: next ? previousPeriod(periodOf(next, definition.timeZone)) : null,
    lastRun: null,
  };
}

/** Each schedule's latest run from month_end_run (a scheduled run's id is its workflow id), counted; two statements for all of them. */
async function withLastRuns(db: DataSource, views: ScheduleView[]): Promise<ScheduleView[]> {
  const latest = (v: ScheduleView) => [...v.recentActions].sort((a, b) => a.takenAt.localeCompare(b.takenAt)).pop()?.workflowId;
  const wanted = views.map(latest).filter((w): w is string => w !== undefined);
  if (wanted.length === 0) return views;
  const runs = await rows<Omit<ScheduleRun, 'counts'> & { workflowId: string; scope: MonthEndScope }>(
    db,
    `SELECT id, workflow_id AS "workflowId", period, scope, state, started_at AS "startedAt", ended_at AS "endedAt"
     FROM month_end_run WHERE workflow_id = ANY ($1::text[]) ORDER BY started_at DESC`,
    [wanted],
  );
  const counts = await monthEndCounts(db, runs);
  return views.map((v) => {
    const run = runs.find((r) => r.workflowId === latest(v));
    if (!run) return v;
    const { workflowId: _workflowId, scope: _scope, ...rest } = run;
    return { ...v, lastRun: { ...rest, counts: counts.get(run.id)! } };
  });
}
