import {
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { StepOutcome } from '../../activities/close/record-step';
import type { RunAheadResult } from '../../activities/close/run-ahead';
import {
  BACKUP_INDEX,
  CLOSE_STEPS,
  FIRST_CHECK_INDEX,
  LOCK_INDEX,
  initialSteps,
  type Blocker,
  type CloseSettings,
  type CloseStatus,
  type StepStatus,
} from '../../close';
import { businessFailure } from './failures';
import { cancelSignal, closeSettledSignal, resumeSignal, statusQuery } from './messages';
import {
  BACKUP_RECHECKS_PATCH,
  CHECKS_TOGETHER_PATCH,
  PATCHES_DECIDED_AT_START_PATCH,
  PATCHES_IN_ONE_PATCH,
  RECHECK_BACKOFF_PATCH,
  STEPS_LOCAL_FIRST_PATCH,
  STEPS_RUN_AHEAD_PATCH,
} from './patches';
import { nextPace, type RecheckPace } from './recheck-pace';
import { closeActivities } from './step-activities';

export interface CloseInput {
  closeId: string;
  ledger: string;
  period: string;
  initiatedBy: string;
  monthEndId?: string | null;
  settings: CloseSettings;
  /** Carried over continue-as-new while a close waits on blockers for a long time. */
  resume?: { stepIndex: number; status: CloseStatus; recheck?: RecheckPace };
}

/**
 * 期末结账 of one ledger's period, under the workflow id close:<ledger>:<period>. Runs the steps in
 * order; the checks' blockers make the close wait — all of them at once, re-checking at an interval,
 * or at once on `resume` (each act on a blocker sends one) — never fail. Technical failures are retried by Temporal without end; business-rule
 * failures fail the close with their code. Cancelled or failed, it leaves the period open and as it was.
 */
export async function closeWorkflow(input: CloseInput): Promise<CloseStatus> {
  const s = input.settings;
  // First, before anything can wait: see PATCHES_DECIDED_AT_START_PATCH and PATCHES_IN_ONE_PATCH.
  const inOne = patched(PATCHES_IN_ONE_PATCH);
  const decidedAtStart = inOne || patched(PATCHES_DECIDED_AT_START_PATCH);
  const localFirst = inOne || patched(STEPS_LOCAL_FIRST_PATCH);
  const { acts, runStep, runAhead } = closeActivities(s, localFirst);
  const runsAhead = inOne || (localFirst && patched(STEPS_RUN_AHEAD_PATCH));
  const stepInput = { closeId: input.closeId, ledger: input.ledger, period: input.period, initiatedBy: input.initiatedBy };
  const status = input.resume?.status ?? initialStatus(input);
  let resumeRequested = false;
  let rechecks = 0;
  let pace: RecheckPace = input.resume?.recheck ?? { waitMs: s.recheckMs, blockers: '' };
  let backoff: boolean | undefined;
  let cancelRequest: { by: string; reason?: string } | null = null;
  const work = new CancellationScope();
  setHandler(statusQuery, () => status);
  setHandler(resumeSignal, () => {
    resumeRequested = true;
  });
  setHandler(cancelSignal, (req) => {
    cancelRequest = req;
    work.cancel();
  });

  /** Runs one step, keeping its status as the query shows it. */
  async function runOne(i: number): Promise<StepOutcome> {
    const name = CLOSE_STEPS[i];
    const step = status.steps[i];
    status.currentStep = name;
    if (step.state !== 'blocked') step.state = 'running';
    const pre = await ranAhead(i);
    const outcome =
      pre.outcome ?? (await runStep(name, { ...stepInput, ...(name === 'authorise' ? { monthEndId: input.monthEndId ?? null } : {}), ...pre.tried }));
    applyOutcome(step, outcome);
    return outcome;
  }

  /** What run-ahead has left to hand out: the outcomes of the steps from `at` on, then where it stopped. */
  let ahead: ({ at: number; outcomes: StepOutcome[] } & Pick<RunAheadResult, 'failure' | 'nextTried'>) | undefined;

  /**
   * Step i's outcome from run-ahead (STEPS_RUN_AHEAD_PATCH), running ahead from i if nothing ran ahead
   * to here; none when step i must run on its own (run-ahead stopped before it, and never runs lock),
   * with the attempt run-ahead made of it if it failed there.
   */
  async function ranAhead(i: number): Promise<{ outcome?: StepOutcome; tried?: { attemptsBefore: number } }> {
    if (!runsAhead || i === LOCK_INDEX) return {};
    if (ahead?.at !== i) ahead = { at: i, outcomes: [], ...(await runAhead({ ...stepInput, monthEndId: input.monthEndId ?? null, from: i })) };
    const outcome = ahead.outcomes.shift();
    if (outcome) {
      ahead.at = i + 1;
      return { outcome };
    }
    const { failure, nextTried } = ahead;
    ahead = undefined;
    if (failure) throw ApplicationFailure.nonRetryable(failure.message, failure.type);
    return nextTried ? { tried: { attemptsBefore: 1 } } : {};
  }

  /** Blocked: waits for a resume or the re-check interval; a long wait continues as new, resuming at `resumeAt`. */
  async function waitOnBlockers(resumeAt: number): Promise<void> {
    if (status.state !== 'blocked') await notifyParent(input, 'blocked');
    status.state = 'blocked';
    if (s.recheckMaxMs !== undefined && (backoff ??= decidedAtStart || patched(RECHECK_BACKOFF_PATCH))) {
      pace = nextPace(pace, status.blockers, s.recheckMs, s.recheckMaxMs);
      const resumed = await condition(() => resumeRequested, pace.waitMs);
      // An act asked for this re-check: the next wait starts short again.
      if (resumed) pace = { waitMs: s.recheckMs, blockers: '' };
    } else {
      await condition(() => resumeRequested, s.recheckMs);
    }
    resumeRequested = false;
    rechecks++;
    if (workflowInfo().continueAsNewSuggested || rechecks >= (s.maxRechecksPerRun ?? Infinity)) {
      await continueAsNew<typeof closeWorkflow>({ ...input, resume: { stepIndex: resumeAt, status, recheck: backoff ? pace : undefined } });
    }
  }

  try {
    await work.run(async () => {
      // Set when the backup sent the close back to the checks; cleared when a check blocks (and waits).
      let backFromBackup = false;
      let together: boolean | undefined;
      const checksTogether = () => (together ??= decidedAtStart || patched(CHECKS_TOGETHER_PATCH));
      let i = input.resume?.stepIndex ?? 0;
      while (i < CLOSE_STEPS.length) {
        if (i >= FIRST_CHECK_INDEX && i < BACKUP_INDEX && checksTogether()) {
          // Every remaining check runs, and the close blocks on all their blockers at once: one round of fixing.
          const blockers: Blocker[] = [];
          for (let j = i; j < BACKUP_INDEX; j++) blockers.push(...(await runOne(j)).blockers);
          status.blockers = blockers;
          if (blockers.length === 0) {
            status.state = 'running';
            i = BACKUP_INDEX;
            continue;
          }
          status.currentStep = blockers[0].step;
          backFromBackup = false;
          await waitOnBlockers(FIRST_CHECK_INDEX);
          i = FIRST_CHECK_INDEX;
          continue;
        }
        const name = CLOSE_STEPS[i];
        const outcome = await runOne(i);
        status.blockers = outcome.blockers;
        if (outcome.blockers.length === 0) {
          status.state = 'running';
          i++;
          continue;
        }
        const rerunChecks = name === 'backup' && (decidedAtStart || patched(BACKUP_RECHECKS_PATCH));
        if (rerunChecks && !backFromBackup) {
          // At once, the first time: the checks find what changed and block on it themselves.
          backFromBackup = true;
          status.steps[i].state = 'pending';
          i = FIRST_CHECK_INDEX;
          continue;
        }
        if (name !== 'backup') backFromBackup = false;
        await waitOnBlockers(rerunChecks ? FIRST_CHECK_INDEX : i);
        if (rerunChecks) {
          status.steps[i].state = 'pending';
          i = FIRST_CHECK_INDEX;
        }
      }
    });
    status.state = 'closed';
    status.currentStep = null;
    status.endedAt = status.steps[status.steps.length - 1].endedAt;
  } catch (err) {
    const failure = businessFailure(err);
    if (!isCancellation(err) && !failure) throw err;
    const outcome = isCancellation(err) ? 'cancelled' : 'failed';
    const by: { by: string; reason?: string } = cancelRequest ?? { by: outcome === 'cancelled' ? 'temporal' : input.initiatedBy };
    const stepName = status.currentStep ?? undefined;
    const error = failure ? { code: failure.type ?? 'INTERNAL', message: failure.message, step: stepName } : undefined;
    const released = await CancellationScope.nonCancellable(() =>
      acts.releaseClose({ closeId: input.closeId, ledger: input.ledger, period: input.period, outcome, by: by.by, reason: by.reason, error }),
    );
    for (const st of status.steps) {
      if (st.state === 'running' || st.state === 'blocked' || (outcome === 'cancelled' && st.state === 'pending'))
        st.state = outcome === 'cancelled' ? 'cancelled' : 'failed';
    }
    if (error) {
      status.errors.push(error);
      const st = status.steps.find((x) => x.name === stepName);
      if (st) st.lastError = error;
    }
    status.state = released.lockedByThisClose ? 'closed' : outcome;
    status.currentStep = null;
    status.endedAt = released.endedAt;
  }
  await notifyParent(input, status.state as 'closed' | 'failed' | 'cancelled');
  return status;
}

function initialStatus(input: CloseInput): CloseStatus {
  const steps: StepStatus[] = initialSteps();
  return {
    closeId: input.closeId,
    workflowId: workflowInfo().workflowId,
    ledger: input.ledger,
    period: input.period,
    initiatedBy: input.initiatedBy,
    state: 'running',
    currentStep: null,
    steps,
    blockers: [],
    errors: [],
    startedAt: workflowInfo().runStartTime.toISOString(),
    endedAt: null,
  };
}

function applyOutcome(step: StepStatus, outcome: StepOutcome): void {
  step.state = outcome.blockers.length > 0 ? 'blocked' : 'done';
  step.attempts = outcome.attempts;
  step.startedAt = outcome.startedAt;
  step.endedAt = outcome.blockers.length > 0 ? null : outcome.endedAt;
  step.lastError = null;
}

async function notifyParent(input: CloseInput, state: 'closed' | 'blocked' | 'failed' | 'cancelled'): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  try {
    await getExternalWorkflowHandle(parent.workflowId).signal(closeSettledSignal, { ledger: input.ledger, closeId: input.closeId, state });
  } catch {
    // The month-end may have finished already; the close run in the database still tells its outcome.
  }
}
