import { patched, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { CloseActivities } from '../../activities/close';
import type { AuthoriseInput } from '../../activities/close/steps/authorise';
import type { StepOutcome } from '../../activities/close/record-step';
import type { RunAheadInput, RunAheadResult } from '../../activities/close/run-ahead';
import { stepRetry, type CloseSettings, type StepName } from '../../close';
import { technicalFailure } from './failures';
import { LOCAL_STEPS_PATCH, STEP_NAMED_ACTIVITIES_PATCH } from './patches';

type StepActivity = { [K in keyof CloseActivities]: CloseActivities[K] extends (i: AuthoriseInput) => Promise<StepOutcome> ? K : never }[keyof CloseActivities];

/** Each step's activity: named as the step; the name closes started earlier recorded; whether it may run locally. */
const STEP_ACTIVITIES: Record<StepName, { name: StepActivity; before: StepActivity; local: boolean }> = {
  authorise: { name: 'authorise', before: 'startClose', local: true },
  previous_period: { name: 'previousPeriod', before: 'checkPreviousPeriod', local: true },
  pending_approvals: { name: 'pendingApprovals', before: 'checkPendingApprovals', local: true },
  reimbursements: { name: 'reimbursements', before: 'checkReimbursements', local: true },
  fund_transfers: { name: 'fundTransfers', before: 'confirmTransfers', local: false },
  invoice_sync: { name: 'invoiceSync', before: 'syncInvoices', local: false },
  reconciliation: { name: 'reconciliation', before: 'checkReconciliation', local: true },
  trial_balance: { name: 'trialBalance', before: 'checkTrialBalance', local: true },
  backup: { name: 'backup', before: 'backupPeriod', local: false },
  carry_forward: { name: 'carryForward', before: 'carryForward', local: false },
  lock: { name: 'lock', before: 'lockPeriod', local: false },
};

/** Longest single attempt of a local step; they read tallies and indexes, never the lines. */
const LOCAL_STEP_TIMEOUT_MS = 120_000;

/**
 * Attempts of a step run local-first (STEPS_LOCAL_FIRST_PATCH) before it goes on as an ordinary
 * activity, and the longest of them: a clean step takes milliseconds; one that keeps failing or
 * outgrows this is what the server's retries and heartbeats are for.
 */
export const LOCAL_FIRST_ATTEMPTS = 3;
const LOCAL_FIRST_TIMEOUT_MS = 60_000;

/**
 * The close's activities with its timing: `runStep` runs one step, `acts` the rest (release).
 * `localFirst` (STEPS_LOCAL_FIRST_PATCH, decided at the close's start): every step first runs as a
 * local activity, and only a technical failure past its few local attempts sends it on to the server.
 */
export function closeActivities(s: CloseSettings, localFirst = false) {
  const acts = proxyActivities<CloseActivities>({ startToCloseTimeout: s.stepTimeoutMs, heartbeatTimeout: s.heartbeatTimeoutMs, retry: stepRetry(s) });
  const localActs = proxyLocalActivities<CloseActivities>({ startToCloseTimeout: Math.min(s.stepTimeoutMs, LOCAL_STEP_TIMEOUT_MS), retry: stepRetry(s) });
  const firstTries = proxyLocalActivities<CloseActivities>({
    startToCloseTimeout: Math.min(s.stepTimeoutMs, LOCAL_FIRST_TIMEOUT_MS),
    retry: { ...stepRetry(s), maximumAttempts: LOCAL_FIRST_ATTEMPTS },
  });
  // Run-ahead is tried once: what it could not do, the steps do on their own.
  const ahead = proxyLocalActivities<CloseActivities>({
    startToCloseTimeout: Math.min(s.stepTimeoutMs, LOCAL_FIRST_TIMEOUT_MS),
    retry: { ...stepRetry(s), maximumAttempts: 1 },
  });
  async function runStep(step: StepName, input: AuthoriseInput): Promise<StepOutcome> {
    const a = STEP_ACTIVITIES[step];
    // The steps' results, run locally, are recorded by the workflow task that ran them. Had that task
    // also completed the close, a signal arriving meanwhile (an act's resume) would make the server
    // refuse it whole, and every step, lock included, run again after the books showed the period
    // closed (and someone may have reopened it). So a close's lock goes through the server: the task
    // that ran the steps before it ends by scheduling it. A month-end's close needs no such thing:
    // its notice to the month-end, after the lock, does the same.
    if (localFirst && step === 'lock' && !workflowInfo().parent) return acts[a.name](input);
    if (localFirst) {
      try {
        return await firstTries[a.name](input);
      } catch (err) {
        if (!technicalFailure(err)) throw err;
      }
      // The attempts made locally count: the step's attempt number goes on from them.
      return acts[a.name]({ ...input, attemptsBefore: (input.attemptsBefore ?? 0) + LOCAL_FIRST_ATTEMPTS });
    }
    const proxy = a.local && patched(LOCAL_STEPS_PATCH) ? localActs : acts;
    return proxy[patched(STEP_NAMED_ACTIVITIES_PATCH) ? a.name : a.before](input);
  }
  /** The steps from `from` on, in one local activity (STEPS_RUN_AHEAD_PATCH); undefined if it failed on a technical cause. */
  async function runAhead(input: RunAheadInput): Promise<RunAheadResult | undefined> {
    try {
      return await ahead.runAhead(input);
    } catch (err) {
      if (!technicalFailure(err)) throw err;
      return undefined;
    }
  }
  return { acts, runStep, runAhead };
}
