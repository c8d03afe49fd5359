import type { ActivityDeps } from '../close/deps';
import { createDeliverActivity } from './deliver';
import { createOutboxActivities } from './outbox';

/** The notification dispatcher's activities (#18): the outbox's bookkeeping and one delivery. */
export function createNotificationActivities(deps: ActivityDeps) {
  return { ...createOutboxActivities(deps), ...createDeliverActivity(deps) };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
