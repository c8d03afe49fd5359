import { createCloseActivities } from './close';
import type { ActivityDeps } from './close/deps';
import { createMonthEndActivities } from './month-end';
import { createInvoiceSyncAhead } from './invoices/sync-ahead';
import { createNotificationActivities } from './notifications';

export type { ActivityDeps } from './close/deps';

/** Every activity the worker registers, made from the dependencies it is handed. */
export function createActivities(deps: ActivityDeps) {
  return { ...createCloseActivities(deps), ...createMonthEndActivities(deps), ...createInvoiceSyncAhead(deps), ...createNotificationActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
