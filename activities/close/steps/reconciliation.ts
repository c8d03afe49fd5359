import { checkReconciliation } from '../../../books/checks/reconciliation';
import type { ActivityDeps } from '../deps';
import { checkStep } from '../record-step';

/** 7. Reconciliation (业财核对): each sub-ledger agrees with its general-ledger control account. Read-only: books/checks/reconciliation.ts. */
export const createReconciliation = (deps: ActivityDeps) => checkStep(deps, 'reconciliation', (db, l, period) => checkReconciliation(db, l.id, period));
