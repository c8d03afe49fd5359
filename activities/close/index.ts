import type { ActivityDeps } from './deps';
import { createRelease } from './release';
import { createRunAhead } from './run-ahead';
import type { StepName } from '../../close';
import type { StepOutcome } from './record-step';
import type { AuthoriseInput } from './steps/authorise';
import { createAuthorise } from './steps/authorise';
import { createBackup } from './steps/backup';
import { createCarryForward } from './steps/carry-forward';
import { createFundTransfers } from './steps/fund-transfers';
import { createInvoiceSync } from './steps/invoice-sync';
import { createLock } from './steps/lock';
import { createPendingApprovals } from './steps/pending-approvals';
import { createPreviousPeriod } from './steps/previous-period';
import { createReconciliation } from './steps/reconciliation';
import { createReimbursements } from './steps/reimbursements';
import { createTrialBalance } from './steps/trial-balance';

/**
 * The activities of one close: one per step, named as the step (steps/<step>.ts), in step order,
 * and the release of a close that will not finish. The workflow imports only their type.
 */
export function createCloseActivities(deps: ActivityDeps) {
  const steps = {
    authorise: createAuthorise(deps),
    previousPeriod: createPreviousPeriod(deps),
    pendingApprovals: createPendingApprovals(deps),
    reimbursements: createReimbursements(deps),
    fundTransfers: createFundTransfers(deps),
    invoiceSync: createInvoiceSync(deps),
    reconciliation: createReconciliation(deps),
    trialBalance: createTrialBalance(deps),
    backup: createBackup(deps),
    carryForward: createCarryForward(deps),
    lock: createLock(deps),
  };
  return {
    ...steps,
    runAhead: createRunAhead(byStep(steps)),
    releaseClose: createRelease(deps),
    // The names closes started before the steps were named as themselves recorded in their histories
    // (workflows/close/close-workflow.ts, STEP_NAMED_ACTIVITIES_PATCH): kept registered while such closes may run.
    startClose: steps.authorise,
    checkPreviousPeriod: steps.previousPeriod,
    checkPendingApprovals: steps.pendingApprovals,
    checkReimbursements: steps.reimbursements,
    confirmTransfers: steps.fundTransfers,
    syncInvoices: steps.invoiceSync,
    checkReconciliation: steps.reconciliation,
    checkTrialBalance: steps.trialBalance,
    backupPeriod: steps.backup,
    lockPeriod: steps.lock,
  };
}

export type CloseActivities = ReturnType<typeof createCloseActivities>;

type StepFn = (input: AuthoriseInput) => Promise<StepOutcome>;
type StepActivities = Record<
  | 'authorise'
  | 'previousPeriod'
  | 'pendingApprovals'
  | 'reimbursements'
  | 'fundTransfers'
  | 'invoiceSync'
  | 'reconciliation'
  | 'trialBalance'
  | 'backup'
  | 'carryForward'
  | 'lock',
  StepFn
>;

/**
 * The activities with run-ahead made from the step activities among them, as the worker registers
 * them (worker/create-worker.ts): a step replaced after createCloseActivities (a test's injected
 * fault) is the one run-ahead runs too.
 */
export function withRunAhead<A extends StepActivities & { runAhead: unknown }>(activities: A): A {
  return { ...activities, runAhead: createRunAhead(byStep(activities)) };
}

function byStep(a: StepActivities): Record<StepName, StepFn> {
  return {
    authorise: a.authorise,
    previous_period: a.previousPeriod,
    pending_approvals: a.pendingApprovals,
    reimbursements: a.reimbursements,
    fund_transfers: a.fundTransfers,
    invoice_sync: a.invoiceSync,
    reconciliation: a.reconciliation,
    trial_balance: a.trialBalance,
    backup: a.backup,
    carry_forward: a.carryForward,
    lock: a.lock,
  };
}
