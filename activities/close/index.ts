import type { ActivityDeps } from './deps';
import { createBackup } from './backup';
import { createCarryForward } from './carry-forward';
import { createCheckSteps } from './check-steps';
import { createLock } from './lock';
import { createReleaseClose } from './release';
import { createStartClose } from './start-close';
import { createConfirmTransfers } from '../transfers/confirm-transfers';
import { createInvoiceSync } from '../invoices/sync-invoices';

/** The activities of one close, in step order; the workflow imports only their type. */
export function createCloseActivities(deps: ActivityDeps) {
  return {
    startClose: createStartClose(deps),
    ...createCheckSteps(deps),
    confirmTransfers: createConfirmTransfers(deps),
    syncInvoices: createInvoiceSync(deps),
    backupPeriod: createBackup(deps),
    carryForward: createCarryForward(deps),
    lockPeriod: createLock(deps),
    releaseClose: createReleaseClose(deps),
  };
}

export type CloseActivities = ReturnType<typeof createCloseActivities>;
