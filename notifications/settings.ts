import type { Config } from '../lib/config';

/** The dispatcher's timing (#18), handed to its workflow; safe in the workflow sandbox (types and numbers only). */
export interface NotificationSettings {
  pollMs: number;
  settleMs: number;
  deadlineScanMs: number;
  dueSoonMs: number;
  externalDownMs: number;
  timeoutMs: number;
  retry: { initialMs: number; maxMs: number; maxAttempts: number };
}

export function notificationSettingsFromConfig(config: Config): NotificationSettings {
  return {
    pollMs: config.NOTIFY_POLL_MS,
    settleMs: config.NOTIFY_SETTLE_MS,
    deadlineScanMs: config.NOTIFY_DEADLINE_SCAN_MS,
    dueSoonMs: config.NOTIFY_DUE_SOON_MS,
    externalDownMs: config.NOTIFY_EXTERNAL_DOWN_MS,
    timeoutMs: config.NOTIFY_TIMEOUT_MS,
    retry: { initialMs: config.NOTIFY_RETRY_INITIAL_MS, maxMs: config.NOTIFY_RETRY_MAX_MS, maxAttempts: config.NOTIFY_MAX_ATTEMPTS },
  };
}

/** The dispatcher runs once per task queue (tests give each file its own queue). */
export function dispatcherWorkflowId(taskQueue: string): string {
  return `notification-dispatcher:${taskQueue}`;
}
