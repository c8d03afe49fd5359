import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { NotificationActivities } from '../../activities/notifications';
import type { NotificationSettings } from '../../notifications/settings';

/**
 * One delivery (#18), under the id `notification-delivery:<delivery id>`, so it runs once: its
 * activity retries with back-off up to the configured attempts, then the log says failed.
 */
export async function notificationDeliveryWorkflow(input: { deliveryId: string; timeoutMs: number; retry: NotificationSettings['retry'] }): Promise<string> {
  const { deliverNotification } = proxyActivities<NotificationActivities>({
    // Past this an attempt counts as lost (a worker gone mid-call) and is tried again.
    startToCloseTimeout: input.timeoutMs + 5_000,
    retry: {
      initialInterval: input.retry.initialMs,
      maximumInterval: input.retry.maxMs,
      backoffCoefficient: 2,
      maximumAttempts: input.retry.maxAttempts,
    },
  });
  const { markDeliveryFailed } = proxyActivities<NotificationActivities>({ startToCloseTimeout: '30 seconds' });
  try {
    return (await deliverNotification({ deliveryId: input.deliveryId })).state;
  } catch (err) {
    const cause = err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : String(err);
    await markDeliveryFailed({ deliveryId: input.deliveryId, error: cause });
    return 'failed';
  }
}
