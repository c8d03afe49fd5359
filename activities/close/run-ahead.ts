import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { BACKUP_INDEX, CLOSE_STEPS, FIRST_CHECK_INDEX, LOCK_INDEX, type StepName } from '../../close';
import { endsTheClose } from '../../lib/errors';
import type { StepOutcome } from './record-step';
import type { AuthoriseInput } from './steps/authorise';
import { HeldStepEnds, holdingStepEnds } from './step-ends';

export interface RunAheadInput extends AuthoriseInput {
  /** The step to start from (its index in CLOSE_STEPS). */
  from: number;
}

export interface RunAheadResult {
  /** The outcomes of the steps run, in order from `from`; the close goes on from the first step not among them. */
  outcomes: StepOutcome[];
  /** The business rule that failed the next step: the close fails with it, as if that step had thrown it. */
  failure?: { type: string; message: string };
  /** The next step failed once on a technical cause (its attempt counts when it runs on its own). */
  nextTried?: boolean;
}

/** Past this, run-ahead starts no further step: the close goes on step by step (each with its own time-out). */
export const RUN_AHEAD_BUDGET_MS = 10_000;

/**
 * A close's steps, one after another in one local activity, as far as the close workflow would go
 * without waiting or deciding anything else: every check (the close reports all their blockers at
 * once), then — only if none blocked — backup and carry forward, never lock. It stops before a step
 * past its time budget or when cancelled, after a step that blocks outside the checks, and at a
 * step that fails (the workflow runs that one again on its own, local-first then through the server;
 * a business rule's failure is returned for the close to fail with). Each step is the same activity
 * function, recording its progress in close_run — the clean ends of quick steps held and written
 * together with the next write (step-ends.ts) — and idempotent, so a lost worker costs a re-run. A
 * month-end pays one local activity per close for these ten steps instead of ten: one history marker,
 * one workflow activation (README, Benchmarks).
 */
export function createRunAhead(steps: Record<StepName, (input: AuthoriseInput) => Promise<StepOutcome>>, budgetMs = RUN_AHEAD_BUDGET_MS) {
  return async (input: RunAheadInput): Promise<RunAheadResult> => {
    const held = new HeldStepEnds(input.closeId);
    const result = await holdingStepEnds(held, () => runSteps(steps, input, budgetMs));
    // The clean ends still held, in one statement; failing, run-ahead fails and the steps run on their own.
    await held.write();
    // Each outcome with its step's first start, as close_run shows it (a re-checked step keeps its first).
    result.outcomes.forEach((o, k) => {
      o.startedAt = held.firstStarts.get(CLOSE_STEPS[input.from + k]) ?? o.startedAt;
    });
    return result;
  };
}

async function runSteps(
  steps: Record<StepName, (input: AuthoriseInput) => Promise<StepOutcome>>,
  input: RunAheadInput,
  budgetMs: number,
): Promise<RunAheadResult> {
  const began = Date.now();
  const { from, ...stepInput } = input;
  const signal = Context.current().cancellationSignal;
  const outcomes: StepOutcome[] = [];
  let checksBlocked = false;
  for (let i = from; i < LOCK_INDEX; i++) {
    // A cancelled close writes nothing more (it is being released); a slow one goes on step by step.
    if (signal.aborted || Date.now() - began > budgetMs) break;
    if (i === BACKUP_INDEX && checksBlocked) break;
    let outcome: StepOutcome;
    try {
      outcome = await steps[CLOSE_STEPS[i]](i === 0 ? stepInput : withoutMonthEnd(stepInput));
    } catch (err) {
      const failure = businessFailure(err);
      return failure ? { outcomes, failure } : { outcomes, nextTried: true };
    }
    outcomes.push(outcome);
    if (outcome.blockers.length === 0) continue;
    if (i >= FIRST_CHECK_INDEX && i < BACKUP_INDEX) checksBlocked = true;
    else break;
  }
  return { outcomes };
}

function withoutMonthEnd(input: AuthoriseInput): AuthoriseInput {
  const { monthEndId: _, ...rest } = input;
  return rest;
}

/** A business rule's failure, as the workflow tells one (workflows/close/failures.ts). */
function businessFailure(err: unknown): { type: string; message: string } | undefined {
  return err instanceof ApplicationFailure && endsTheClose(err) ? { type: err.type ?? 'INTERNAL', message: err.message } : undefined;
}
