import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { findLedger, type LedgerRef } from '../../books/ledgers';
import { markStepEnded, markStepFailed, markStepStarted } from '../../books/close-runs';
import type { Blocker, NewBlocker, StepName } from '../../close';
import { asActivityFailure, failureCode } from '../activity-failure';
import { heartbeating, type Progress } from '../heartbeat';
import type { ActivityDeps, StepInput } from './deps';

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
    // Recorded while the step already works: one database round trip less per step. It never lands
    // on a run that has ended meanwhile, and always before the step's end is recorded.
    const started = markStepStarted(deps.dataSource, input.closeId, step, attempt);
    try {
      const result = await heartbeating(deps.heartbeatEveryMs ?? 5_000, (p) => work(input, p));
      const blockers = (result.blockers ?? []).map((b) => ({ ...b, step }));
      const startedAt = await started;
      const endedAt = await markStepEnded(deps.dataSource, input.closeId, step, blockers);
      return { blockers, attempts: attempt, startedAt, endedAt, details: result.details };
    } catch (raw) {
      const failure = asActivityFailure(raw);
      const code = failureCode(raw);
      const message = (failure as Error).message ?? String(failure);
      await started;
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
  return recordedStep<StepInput>(deps, step, async ({ ledger, period }) => ({
    blockers: await check(deps.dataSource, await findLedger(deps.dataSource, ledger), period),
  }));
}
