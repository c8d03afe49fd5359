import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { LedgerRef } from '../../books/ledgers';
import { closeLedger } from './close-ledger';
import { markStepFailed, markStepStarted, type StepEnd } from '../../books/close-runs';
import { HeldStepEnds, heldStepEnds } from './step-ends';
import type { Blocker, NewBlocker, StepName } from '../../close';
import { asActivityFailure, failureCode } from '../activity-failure';
import { heartbeating, type Progress } from '../heartbeat';
import { DEFAULT_STEP_START_SHOWN_AFTER_MS, type ActivityDeps, type StepInput } from './deps';

export interface StepOutcome {
  blockers: Blocker[];
  attempts: number;
  startedAt: string;
  endedAt: string;
  details?: Record<string, unknown>;
}

export type StepContext = Progress;

export type StepWork<I extends StepInput> = (input: I, ctx: StepContext) => Promise<{ blockers?: NewBlocker[]; details?: Record<string, unknown> }>;

/**
 * Wraps a close step so its progress lands in close_run as it happens (attempt, start, end, blockers,
 * last error; books/close-runs.ts), it heartbeats while it works, and its failures carry stable codes
 * (asActivityFailure: retryable or not as the error table says).
 */
export function recordedStep<I extends StepInput>(deps: ActivityDeps, step: StepName, work: StepWork<I>): (input: I) => Promise<StepOutcome> {
  return async (input: I) => {
    const attempt = Context.current().info.attempt + (input.attemptsBefore ?? 0);
    const begun = new Date().toISOString();
    // A step's start is recorded only once it outlasts a moment (the dashboard shows it running); a
    // step done sooner has its start recorded with its end, in one statement: most steps of most
    // closes take milliseconds, and a month-end of thousands of closes pays for every round trip.
    // A start never lands on a run that has ended, and always before the step's end is recorded.
    // Run ahead (run-ahead.ts), a clean step's end is held and written with the next write to the run.
    const held = heldStepEnds(input.closeId);
    let started: Promise<string> | undefined;
    const markStarted = () =>
      (started ??= (held ? held.write(deps.dataSource).catch(() => undefined) : Promise.resolve()).then(() =>
        markStepStarted(deps.dataSource, input.closeId, step, attempt),
      ));
    const showRunning = setTimeout(markStarted, deps.stepStartShownAfterMs ?? DEFAULT_STEP_START_SHOWN_AFTER_MS);
    try {
      const result = await heartbeating(deps.heartbeatEveryMs ?? 5_000, (p) => work(input, p));
      clearTimeout(showRunning);
      const blockers = (result.blockers ?? []).map((b) => ({ ...b, step }));
      if (started) await started;
      const endedAt = new Date().toISOString();
      const end: StepEnd = started ? { step, endedAt } : { step, endedAt, attempt, startedAt: begun };
      const shownAfterMs = deps.stepStartShownAfterMs ?? DEFAULT_STEP_START_SHOWN_AFTER_MS;
      if (held && !started && blockers.length === 0 && held.heldForMs() < shownAfterMs) {
        held.hold(deps.dataSource, end);
        return { blockers, attempts: attempt, startedAt: begun, endedAt, details: result.details };
      }
      const startedAt = await (held ?? new HeldStepEnds(input.closeId)).write(deps.dataSource, end, blockers);
      return { blockers, attempts: attempt, startedAt: startedAt ?? begun, endedAt, details: result.details };
    } catch (raw) {
      clearTimeout(showRunning);
      const failure = asActivityFailure(raw);
      const code = failureCode(raw);
      const message = (failure as Error).message ?? String(failure);
      // A failed attempt always shows as started: its error is recorded on a running step.
      await markStarted();
      await markStepFailed(deps.dataSource, input.closeId, step, { code, message, attempt });
      deps.logger.warn({ closeId: input.closeId, step, attempt, code, err: message }, 'close step failed');
      throw failure;
    }
  };
}

/** A read-only check as a close step: the ledger looked up, the check run, its blockers recorded. */
export function checkStep(
  deps: ActivityDeps,
  step: StepName,
  check: (db: DataSource, ledger: LedgerRef, period: string) => Promise<NewBlocker[]>,
): (input: StepInput) => Promise<StepOutcome> {
  return recordedStep<StepInput>(deps, step, async (input) => ({
    blockers: await check(deps.dataSource, await closeLedger(deps, input), input.period),
  }));
}
