import { checkTrialBalance } from '../../../books/checks/trial-balance';
import type { ActivityDeps } from '../deps';
import { checkStep } from '../record-step';

/** 8. Trial balance (试算平衡): the period's debits equal its credits and its openings balance. Read-only: books/checks/trial-balance.ts. */
export const createTrialBalance = (deps: ActivityDeps) => checkStep(deps, 'trial_balance', (db, l, period) => checkTrialBalance(db, l.id, period));
