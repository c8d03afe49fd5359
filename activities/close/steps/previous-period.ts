import { checkPreviousPeriod } from '../../../books/checks/previous-period';
import type { ActivityDeps } from '../deps';
import { checkStep } from '../record-step';

/** 2. Previous period closed and opening balances right (期初余额): periods close one after another, each opening with what the last one closed with. Read-only: books/checks/previous-period.ts. */
export const createPreviousPeriod = (deps: ActivityDeps) =>
  checkStep(deps, 'previous_period', (db, l, period) => checkPreviousPeriod(db, l.id, period, l.firstPeriod));
