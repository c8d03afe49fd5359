import type { DataSource, EntityManager } from 'typeorm';
import { BACKUP_INDEX, CLOSE_STEPS, initialSteps, type Blocker, type StepError, type StepName } from '../close';
import { inBooksTransaction } from '../db/session';
import { one } from '../db/sql';
import { storableValue } from '../lib/text';

type Db = DataSource | EntityManager;

/**
 * The one owner of every write to close_run, the database's copy of each close's status (lists and
 * the dashboard read it; nobody asks Temporal per row). Its transitions, all here:
 *
 *   registered ── step started ──> running ── step ended, no blockers ──> running (next step)
 *                                     │  └─── step ended with blockers ──> blocked ── step started ──> running
 *                                     ├─── step failed (retried) ──> same state, the error recorded
 *                                     ├─── lock ──> closed
 *                                     └─── release ──> cancelled | failed (or closed, if lock came first)
 *
 * Only a live run (running, blocked) changes state; a step's start never lands on a run that has ended
 * (its end still does: lock closes the run before its step is recorded done).
 */

/**
 * Registers a close once (the API when it starts one, authorise again inside it), retiring a live run
 * a terminated earlier workflow left; the period's row is made if it is new, audited as the initiator's act.
 */
export async function registerCloseRun(
  ds: DataSource,
  run: {
    closeId: string;
    workflowId: string;
    runId?: string | null;
    ledgerId: number;
    period: string;
    initiatedBy: string;
    monthEndId?: string | null;
  },
): Promise<void> {
  await inBooksTransaction(ds, { actor: run.initiatedBy }, async (em) => {
    // Apart and in this order, never in one statement (a statement's parts run in no set order): a run's
    // row taken before its period's deadlocked with a second registration of it, or with its lock.
    await em.query(`INSERT INTO period (ledger_id, period) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [run.ledgerId, run.period]);
    await em.query(
      `UPDATE close_run SET state = 'failed', ended_at = now(), updated_at = now(),
         errors = errors || jsonb_build_array(jsonb_build_object('code', 'CLOSE_SUPERSEDED', 'message', 'A newer close of this period replaced this one.'))
       WHERE ledger_id = $1 AND period = $2 AND state IN ('running', 'blocked') AND id <> $3`,
      [run.ledgerId, run.period, run.closeId],
    );
    await em.query(
      `INSERT INTO close_run (id, workflow_id, run_id, ledger_id, period, initiated_by, month_end_id, steps)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET run_id = coalesce(EXCLUDED.run_id, close_run.run_id), updated_at = now()`,
      [run.closeId, run.workflowId, run.runId ?? null, run.ledgerId, run.period, run.initiatedBy, run.monthEndId ?? null, JSON.stringify(initialSteps())],
    );
  });
}

const nowIso = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A step starts (an attempt): running, its first start kept. Best effort while the database is down; returns when it started. */
export async function markStepStarted(db: Db, closeId: string, step: StepName, attempt: number): Promise<string> {
  try {
    const row = await one<{ startedAt: string }>(
      db,
      // While blocked the run rests on its first blocked step, also as it re-checks every step.
      `UPDATE close_run SET current_step = CASE WHEN state = 'blocked' THEN current_step ELSE $2 END, updated_at = now(),
         steps = jsonb_set(steps, ARRAY[$3::text], (steps -> $3::int) || jsonb_build_object(
           'state', 'running', 'attempts', $4::int, 'endedAt', null, 'startedAt', coalesce(steps -> $3::int ->> 'startedAt', ${nowIso})))
       WHERE id = $1 AND state IN ('running', 'blocked') RETURNING steps -> $3::int ->> 'startedAt' AS "startedAt"`,
      [closeId, step, CLOSE_STEPS.indexOf(step), attempt],
    );
    return row?.startedAt ?? new Date().toISOString();
  } catch {
    return new Date().toISOString();
  }
}

/** One step's end as markStepsEnded records it; `attempt` and `startedAt` when its start was never recorded. */
export interface StepEnd {
  step: StepName;
  endedAt: string;
  attempt?: number;
  startedAt?: string;
}

/**
 * Steps end, in one statement, as if recorded one after another in their order: every one done but
 * the last, which is blocked if `blockers` has any (run-ahead writes its steps' ends together:
 * record-step.ts, step-ends.ts; a month-end pays for every statement). The run is blocked while any
 * blocker is left (the close reports every check's at once), resting on the first blocked step. A
 * step's end drops its own earlier blockers and those of the steps that write (backup on): those are
 * stale once a check runs again, as after a backup that sent the close back to the checks, and a
 * blocked writing step goes back to pending. Other checks' blockers stay until those checks run again,
 * so a re-check never shows the close running between two blocked steps. A step whose start was never
 * recorded (it ended within a moment) has its attempt and first start recorded here, in the same
 * statement. Returns each step's first start, in order.
 */
export async function markStepsEnded(db: Db, closeId: string, ends: StepEnd[], blockers: Blocker[]): Promise<string[]> {
  const indexes = ends.map((e) => CLOSE_STEPS.indexOf(e.step));
  // What the ends make stale (their own blockers; the writing steps' after the first of them), and from where a blocked writing step goes back to pending.
  const pendingFrom = Math.max(BACKUP_INDEX, Math.min(...indexes) + 1);
  const stale = [...new Set([...ends.map((e) => e.step), ...CLOSE_STEPS.slice(pendingFrom)])];
  const last = indexes[indexes.length - 1];
  const row = await one<{ startedAts: Array<string | null> | null }>(
    db,
    `WITH e AS (SELECT * FROM unnest($2::int[], $3::text[], $4::int[], $5::text[]) AS e(i, ended_at, attempt, started_at)),
     next AS (
       SELECT (SELECT jsonb_agg(CASE
                 WHEN e.i IS NOT NULL THEN t.s || jsonb_build_object('state', CASE WHEN e.i = $6 AND $7::int > 0 THEN 'blocked' ELSE 'done' END,
                                                                'endedAt', CASE WHEN e.i = $6 AND $7::int > 0 THEN NULL ELSE e.ended_at END, 'lastError', null)
                                         || CASE WHEN e.attempt IS NULL THEN '{}'::jsonb
                                                 ELSE jsonb_build_object('attempts', e.attempt, 'startedAt', coalesce(t.s ->> 'startedAt', e.started_at)) END
                 WHEN t.i - 1 >= $8 AND t.s ->> 'state' = 'blocked' THEN t.s || '{"state": "pending"}'::jsonb
                 ELSE t.s END ORDER BY t.i)
               FROM jsonb_array_elements(c.steps) WITH ORDINALITY AS t(s, i) LEFT JOIN e ON e.i = t.i - 1) AS steps,
              coalesce((SELECT jsonb_agg(b) FROM jsonb_array_elements(c.blockers) b WHERE NOT (b ->> 'step' = ANY ($9::text[]))), '[]'::jsonb) || $10::jsonb AS blockers
       FROM close_run c WHERE c.id = $1)
     UPDATE close_run SET updated_at = now(), steps = next.steps, blockers = next.blockers,
       -- Blocked while any blocker is left (the close reports every check's at once); where it waits: the first blocked step.
       state = CASE WHEN close_run.state IN ('running', 'blocked') THEN (CASE WHEN jsonb_array_length(next.blockers) > 0 THEN 'blocked' ELSE 'running' END)
                    ELSE close_run.state END,
       current_step = CASE WHEN close_run.state IN ('running', 'blocked')
                           THEN coalesce((SELECT s ->> 'name' FROM jsonb_array_elements(next.steps) WITH ORDINALITY AS t(s, i) WHERE s ->> 'state' = 'blocked' ORDER BY i LIMIT 1), $11)
                           ELSE close_run.current_step END
     FROM next WHERE close_run.id = $1
     RETURNING (SELECT jsonb_agg(next.steps -> k.i ->> 'startedAt' ORDER BY k.n) FROM unnest($2::int[]) WITH ORDINALITY AS k(i, n)) AS "startedAts"`,
    [
      closeId,
      indexes,
      ends.map((e) => e.endedAt),
      ends.map((e) => e.attempt ?? null),
      ends.map((e) => e.startedAt ?? null),
      last,
      blockers.length,
      pendingFrom,
      stale,
      JSON.stringify(storableValue(blockers)),
      ends[ends.length - 1].step,
    ],
  );
  return ends.map((e, k) => row?.startedAts?.[k] ?? e.startedAt ?? e.endedAt);
}

/** A step's attempt failed: its last error and the run's error log (the newest 50), state unchanged. */
export async function markStepFailed(db: Db, closeId: string, step: StepName, e: { code: string; message: string; attempt: number }): Promise<void> {
  const error: StepError = storableValue({ ...e, step, at: new Date().toISOString() });
  // Twice: a connection the failure broke may still sit in the pool and fail the first write.
  for (let tries = 0; tries < 2; tries++) {
    try {
      await db.query(
        `UPDATE close_run SET updated_at = now(),
           steps = jsonb_set(steps, ARRAY[$2::text], (steps -> $2::int) || jsonb_build_object('lastError', $3::jsonb, 'attempts', $4::int)),
           errors = (CASE WHEN jsonb_array_length(errors) >= 50 THEN errors - 0 ELSE errors END) || jsonb_build_array($3::jsonb)
         WHERE id = $1`,
        [closeId, CLOSE_STEPS.indexOf(step), JSON.stringify(error), e.attempt],
      );
      return;
    } catch {
      // the database may be the thing that failed; the error still reaches Temporal and the log
    }
  }
}

/** The lock step closed the period: so is the run, in the same transaction. */
export async function markClosed(em: EntityManager, closeId: string): Promise<void> {
  await em.query(
    `UPDATE close_run SET state = 'closed', current_step = NULL, ended_at = coalesce(ended_at, now()), updated_at = now(), blockers = '[]' WHERE id = $1`,
    [closeId],
  );
}

/** The close ends without closing: cancelled or failed; its unfinished steps say so, a business failure joins its errors. */
export async function markEnded(em: EntityManager, closeId: string, outcome: 'cancelled' | 'failed', error?: StepError): Promise<void> {
  await em.query(
    `UPDATE close_run SET state = $2, ended_at = now(), updated_at = now(), current_step = NULL,
       steps = (SELECT jsonb_agg(CASE WHEN s ->> 'state' IN ('running', 'blocked') OR ($2 = 'cancelled' AND s ->> 'state' = 'pending')
                                      THEN s || jsonb_build_object('state', $2::text) ELSE s END ORDER BY i)
                FROM jsonb_array_elements(steps) WITH ORDINALITY AS t(s, i)),
       errors = CASE WHEN $3::jsonb IS NULL THEN errors ELSE errors || jsonb_build_array($3::jsonb) END
     WHERE id = $1 AND state IN ('running', 'blocked')`,
    [closeId, outcome, error ? JSON.stringify(storableValue(error)) : null],
  );
}
