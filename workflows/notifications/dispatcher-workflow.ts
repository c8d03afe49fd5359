import { continueAsNew, defineSignal, ParentClosePolicy, proxyActivities, setHandler, sleep, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import type { NotificationActivities } from '../../activities/notifications';
import type { NotificationSettings } from '../../notifications/settings';
import { notificationDeliveryWorkflow } from './delivery-workflow';

/** A worker starting with new settings hands them to the running dispatcher (signal-with-start). */
export const notificationSettingsSignal = defineSignal<[NotificationSettings]>('notificationSettings');

/** Rounds per run before continuing as new, so the history stays short. */
const ROUNDS_PER_RUN = 200;

/**
 * The notification dispatcher (#18), one per task queue, running for ever: each round it turns
 * deadlines into events (every deadlineScanMs), fans settled events out to deliveries, and starts one
 * delivery workflow per delivery (abandoned on continue-as-new, so a slow receiver holds up nobody).
 */
export async function notificationDispatcherWorkflow(initial: NotificationSettings): Promise<void> {
  let s = initial;
  setHandler(notificationSettingsSignal, (next) => {
    s = next;
  });
  const { scanDeadlines, fanOutNotifications, claimDeliveries } = proxyActivities<NotificationActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  let sinceScan = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    if (sinceScan >= s.deadlineScanMs) {
      await scanDeadlines({ dueSoonMs: s.dueSoonMs, externalDownMs: s.externalDownMs });
      sinceScan = 0;
    }
    await fanOutNotifications({ settleMs: s.settleMs });
    for (const deliveryId of await claimDeliveries({ limit: 100 })) {
      try {
        await startChild(notificationDeliveryWorkflow, {
          workflowId: `notification-delivery:${deliveryId}`,
          args: [{ deliveryId, timeoutMs: s.timeoutMs, retry: s.retry }],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        });
      } catch (err) {
        // Already started (or done) for this delivery: it runs once.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }
    await sleep(s.pollMs);
    sinceScan += s.pollMs;
  }
  await continueAsNew<typeof notificationDispatcherWorkflow>(s);
}
