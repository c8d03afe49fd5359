import type { ActivityDeps, StepInput } from './deps';
import { findLedger } from './ledger-lookup';
import { recordedStep, type StepOutcome } from './record-step';
import { checkPendingApprovals } from './checks/pending-approvals';
import { checkPreviousPeriod } from './checks/previous-period';
import { checkReimbursements } from './checks/reimbursements';
import { checkSubledgers } from './checks/reconciliation';
import { checkTrialBalance } from './checks/trial-balance';

type Step = (input: StepInput) => Promise<StepOutcome>;

/** The close steps that only read the books and report blockers. */
export function createCheckSteps(deps: ActivityDeps): Record<'checkPreviousPeriod' | 'checkPendingApprovals' | 'checkReimbursements' | 'checkReconciliation' | 'checkTrialBalance', Step> {
  const db = deps.dataSource;
  return {
    checkPreviousPeriod: recordedStep(deps, 'previous_period', async ({ ledger, period }) => {
      const l = await findLedger(db, ledger);
      return { blockers: await checkPreviousPeriod(db, l.id, period, l.firstPeriod) };
    }),
    checkPendingApprovals: recordedStep(deps, 'pending_approvals', async ({ ledger, period }) =>
      ({ blockers: await checkPendingApprovals(db, (await findLedger(db, ledger)).id, period) })),
    checkReimbursements: recordedStep(deps, 'reimbursements', async ({ ledger, period }) =>
      ({ blockers: await checkReimbursements(db, (await findLedger(db, ledger)).id, period) })),
    checkReconciliation: recordedStep(deps, 'reconciliation', async ({ ledger, period }) =>
      ({ blockers: await checkSubledgers(db, (await findLedger(db, ledger)).id, period) })),
    checkTrialBalance: recordedStep(deps, 'trial_balance', async ({ ledger, period }) =>
      ({ blockers: await checkTrialBalance(db, (await findLedger(db, ledger)).id, period) })),
  };
}
