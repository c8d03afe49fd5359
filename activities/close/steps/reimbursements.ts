import { checkReimbursements } from '../../../books/checks/reimbursements';
import type { ActivityDeps } from '../deps';
import { checkStep } from '../record-step';

/** 4. Reimbursements (费用报销): every claim of the period is paid and posted, or deferred with a reason. Read-only: books/checks/reimbursements.ts. */
export const createReimbursements = (deps: ActivityDeps) => checkStep(deps, 'reimbursements', (db, l, period) => checkReimbursements(db, l.id, period));
