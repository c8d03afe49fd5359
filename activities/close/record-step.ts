import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { LedgerRef } from '../../books/ledgers';
import { closeLedger } from './close-ledger';
import { markStepEnded, markStepFailed, markStepStarted } from '../../books/close-runs';
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
    let started: Promise<string> | undefined;
    const markStarted = () => (started ??= markStepStarted(deps.dataSource, input.closeId, step, attempt));
    const showRunning = setTimeout(markStarted, deps.stepStartShownAfterMs ?? DEFAULT_STEP_START_SHOWN_AFTER_MS);
    try {
      const result = await heartbeating(deps.heartbeatEveryMs ?? 5_000, (p) => work(input, p));
      clearTimeout(showRunning);
      const blockers = (result.blockers ?? []).map((b) => ({ ...b, step }));
      if (started) await started;
      const { startedAt, endedAt } = await markStepEnded(deps.dataSource, input.closeId, step, blockers, started ? undefined : { attempt, startedAt: begun });
      return { blockers, attempts: attempt, startedAt, endedAt, details: result.details };
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
