import { checkPendingApprovals } from '../../../books/checks/pending-approvals';
import type { ActivityDeps } from '../deps';
import { checkStep } from '../record-step';

/** 3. Pending approvals (未审核凭证): every voucher of the period is approved and posted. Read-only: books/checks/pending-approvals.ts. */
export const createPendingApprovals = (deps: ActivityDeps) => checkStep(deps, 'pending_approvals', (db, l, period) => checkPendingApprovals(db, l.id, period));
