import { Context } from '@temporalio/activity';
import { one } from '../../db/sql';
import { asActivityFailure, failureCode } from '../activity-failure';
import { CLOSE_STEPS, type Blocker, type StepName } from '../../workflows/close/status';
import type { ActivityDeps, StepInput } from './deps';

export interface StepOutcome {
  blockers: Blocker[];
  attempts: number;
  startedAt: string;
  endedAt: string;
  details?: Record<string, unknown>;
}

export interface StepContext {
  /** What the previous attempt last reported through `progress`, to resume from. */
  checkpoint: unknown;
  /** Reports progress; it rides on every heartbeat, so a retry resumes from it. */
  progress(details: unknown): void;
}

export type StepWork<I extends StepInput> = (input: I, ctx: StepContext) => Promise<{ blockers?: Array<Omit<Blocker, 'step'>>; details?: Record<string, unknown> }>;

/**
 * Wraps a close step so its progress lands in close_run as it happens (attempt, start, end, blockers,
 * last error), it heartbeats while it works, and its failures carry stable codes (asActivityFailure:
 * retryable or not as the error table says).
 */
export function recordedStep<I extends StepInput>(deps: ActivityDeps, step: StepName, work: StepWork<I>): (input: I) => Promise<StepOutcome> {
  const index = CLOSE_STEPS.indexOf(step);
  return async (input: I) => {
    const activity = Context.current();
    const { attempt, heartbeatDetails } = activity.info;
    // Recorded while the step already works: one database round trip less per step. It never lands
    // on a run that has ended meanwhile (see markStarted), and always before the step's end is recorded.
    const started = markStarted(deps, input.closeId, step, index, attempt);
    let latest: unknown = heartbeatDetails;
    const ctx: StepContext = { checkpoint: heartbeatDetails, progress: (d) => { latest = d; if (!activity.info.isLocal) activity.heartbeat(d); } };
    // A local activity (the read-only checks) lives inside a workflow task and has no heartbeat of its own.
    const ticker = activity.info.isLocal ? undefined : setInterval(() => activity.heartbeat(latest), deps.heartbeatEveryMs ?? 5_000);
    try {
      const result = await work(input, ctx);
      const blockers = (result.blockers ?? []).map((b) => ({ ...b, step }));
      const startedAt = await started;
      const endedAt = await markEnded(deps, input.closeId, step, index, blockers);
      return { blockers, attempts: attempt, startedAt, endedAt, details: result.details };
    } catch (raw) {
      const failure = asActivityFailure(raw);
      const code = failureCode(raw);
      const message = (failure as Error).message ?? String(failure);
      await started;
      await markFailed(deps, input.closeId, step, index, { code, message, attempt });
      deps.logger.warn({ closeId: input.closeId, step, attempt, code, err: message }, 'close step failed');
      throw failure;
    } finally {
      clearInterval(ticker);
    }
  };
}

// Progress is best effort while the database is down: the step itself retries, and the next write catches up.
async function markStarted(deps: ActivityDeps, closeId: string, step: StepName, index: number, attempt: number): Promise<string> {
  try {
    const row = await one<{ startedAt: string }>(deps.dataSource, 
      `UPDATE close_run SET current_step = $2, updated_at = now(),
         steps = jsonb_set(steps, ARRAY[$3::text], (steps -> $3::int) || jsonb_build_object(
           'state', 'running', 'attempts', $4::int, 'endedAt', null,
           'startedAt', coalesce(steps -> $3::int ->> 'startedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))))
       WHERE id = $1 AND state IN ('running', 'blocked') RETURNING steps -> $3::int ->> 'startedAt' AS "startedAt"`,
      [closeId, step, index, attempt],
    );
    return row?.startedAt ?? new Date().toISOString();
  } catch {
    return new Date().toISOString();
  }
}

async function markEnded(deps: ActivityDeps, closeId: string, step: StepName, index: number, blockers: Blocker[]): Promise<string> {
  const endedAt = new Date().toISOString();
  await deps.dataSource.query(
    `UPDATE close_run SET updated_at = now(),
       state = CASE WHEN state IN ('running', 'blocked') THEN (CASE WHEN $4::int > 0 THEN 'blocked' ELSE 'running' END) ELSE state END,
       steps = (SELECT jsonb_agg(CASE
                  WHEN t.i - 1 = $2 THEN t.s || jsonb_build_object('state', CASE WHEN $4::int > 0 THEN 'blocked' ELSE 'done' END,
                                                                 'endedAt', CASE WHEN $4::int > 0 THEN NULL ELSE $5 END, 'lastError', null)
                  WHEN t.i - 1 > $2 AND t.s ->> 'state' = 'blocked' THEN t.s || '{"state": "pending"}'::jsonb
                  ELSE t.s END ORDER BY t.i)
                FROM jsonb_array_elements(steps) WITH ORDINALITY AS t(s, i)),
       blockers = coalesce((SELECT jsonb_agg(b) FROM jsonb_array_elements(blockers) b WHERE NOT (b ->> 'step' = ANY ($3::text[]))), '[]'::jsonb) || $6::jsonb
     WHERE id = $1`,
    // Blockers of this step and of every later one go (a later step's are stale once an earlier one runs
    // again, as after a backup that sent the close back to the checks), and a later blocked step is pending.
    [closeId, index, CLOSE_STEPS.slice(index), blockers.length, endedAt, JSON.stringify(blockers)],
  );
  return endedAt;
}

async function markFailed(deps: ActivityDeps, closeId: string, step: StepName, index: number, e: { code: string; message: string; attempt: number }): Promise<void> {
  const error = { ...e, step, at: new Date().toISOString() };
  // Twice: a connection the failure broke may still sit in the pool and fail the first write.
  for (let tries = 0; tries < 2; tries++) {
    try {
      await deps.dataSource.query(
        `UPDATE close_run SET updated_at = now(),
           steps = jsonb_set(steps, ARRAY[$2::text], (steps -> $2::int) || jsonb_build_object('lastError', $3::jsonb, 'attempts', $4::int)),
           errors = (CASE WHEN jsonb_array_length(errors) >= 50 THEN errors - 0 ELSE errors END) || jsonb_build_array($3::jsonb)
         WHERE id = $1`,
        [closeId, index, JSON.stringify(error), e.attempt],
      );
      return;
    } catch {
      // the database may be the thing that failed; the error still reaches Temporal and the log
    }
  }
}
