import {
  ActivityFailure,
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
import { CLOSE_STEPS, initialSteps, type CloseSettings, type CloseStatus, type StepStatus } from '../../close';
import { nonRetryableCodes } from '../../lib/errors';
import { cancelSignal, closeSettledSignal, resumeSignal, statusQuery } from './messages';
import { BACKUP_RECHECKS_PATCH } from './patches';
import { closeActivities } from './step-activities';

export interface CloseInput {
  closeId: string;
  ledger: string;
  period: string;
  initiatedBy: string;
  monthEndId?: string | null;
  settings: CloseSettings;
  /** Carried over continue-as-new while a close waits on blockers for a long time. */
  resume?: { stepIndex: number; status: CloseStatus };
}

/**
 * 期末结账 of one ledger's period, under the workflow id close:<ledger>:<period>. Runs the steps in
 * order; a step that finds blockers makes the close wait — re-checking at an interval, or at once on
 * `resume` — never fail. Technical failures are retried by Temporal without end; business-rule
 * failures fail the close with their code. Cancelled or failed, it leaves the period open and as it was.
 */
export async function closeWorkflow(input: CloseInput): Promise<CloseStatus> {
  const s = input.settings;
  const { acts, runStep } = closeActivities(s);
  const stepInput = { closeId: input.closeId, ledger: input.ledger, period: input.period, initiatedBy: input.initiatedBy };
  const status = input.resume?.status ?? initialStatus(input);
  let resumeRequested = false;
  let rechecks = 0;
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

  try {
    await work.run(async () => {
      // Set when the backup sent the close back to the checks; cleared when a check blocks (and waits).
      let backFromBackup = false;
      steps: for (let i = input.resume?.stepIndex ?? 0; i < CLOSE_STEPS.length; i++) {
        const name = CLOSE_STEPS[i];
        const step = status.steps[i];
        for (;;) {
          status.currentStep = name;
          if (step.state !== 'blocked') step.state = 'running';
          const outcome = await runStep(name, name === 'authorise' ? { ...stepInput, monthEndId: input.monthEndId ?? null } : stepInput);
          applyOutcome(step, outcome);
          status.blockers = outcome.blockers;
          if (outcome.blockers.length === 0) break;
          const rerunChecks = name === 'backup' && patched(BACKUP_RECHECKS_PATCH);
          if (rerunChecks && !backFromBackup) {
            // At once, the first time: the checks find what changed and block on it themselves.
            backFromBackup = true;
            step.state = 'pending';
            i = FIRST_CHECK - 1;
            continue steps;
          }
          if (name !== 'backup') backFromBackup = false;
          if (status.state !== 'blocked') await notifyParent(input, 'blocked');
          status.state = 'blocked';
          await condition(() => resumeRequested, s.recheckMs);
          resumeRequested = false;
          rechecks++;
          if (workflowInfo().continueAsNewSuggested || rechecks >= (s.maxRechecksPerRun ?? Infinity)) {
            await continueAsNew<typeof closeWorkflow>({ ...input, resume: { stepIndex: rerunChecks ? FIRST_CHECK : i, status } });
          }
          if (rerunChecks) {
            step.state = 'pending';
            i = FIRST_CHECK - 1;
            continue steps;
          }
        }
        status.state = 'running';
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

/** Where the checks begin: after authorise, which registered the close and holds the period. */
const FIRST_CHECK = CLOSE_STEPS.indexOf('previous_period');

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

/** A step that failed on a business rule (non-retryable, with a code); anything else is not ours to end. */
function businessFailure(err: unknown): ApplicationFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && (cause.nonRetryable || nonRetryableCodes.includes(cause.type as never)) ? cause : undefined;
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
