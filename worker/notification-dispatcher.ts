import { Client, Connection } from '@temporalio/client';
import nodemailer from 'nodemailer';
import type { NotifyDeps } from '../activities/close/deps';
import type { Config } from '../lib/config';
import type { TemporalTarget } from '../lib/temporal-connection';
import { dispatcherWorkflowId, type NotificationSettings } from '../notifications/settings';
import { notificationDispatcherWorkflow, notificationSettingsSignal } from '../workflows/notifications/dispatcher-workflow';

/** How the activities send notices: the time-out, and nodemailer over SMTP_URL when it is set. */
export function notifyDepsFromConfig(config: Config): NotifyDeps {
  return {
    timeoutMs: config.NOTIFY_TIMEOUT_MS,
    from: config.SMTP_FROM,
    ...(config.SMTP_URL ? { mailer: nodemailer.createTransport(config.SMTP_URL) } : {}),
  };
}

/**
 * Makes sure the task queue's dispatcher runs, with these settings: started if it is not, handed the
 * settings if it is (every worker does this at start; the workflow id makes it one).
 */
export async function ensureNotificationDispatcher(client: Client, taskQueue: string, settings: NotificationSettings): Promise<void> {
  await client.workflow.signalWithStart(notificationDispatcherWorkflow, {
    workflowId: dispatcherWorkflowId(taskQueue),
    taskQueue,
    args: [settings],
    signal: notificationSettingsSignal,
    signalArgs: [settings],
  });
}

/** The same, for a process that holds no client of its own (the worker). */
export async function ensureNotificationDispatcherAt(target: TemporalTarget, taskQueue: string, settings: NotificationSettings): Promise<void> {
  const connection = await Connection.connect(target.connectionOptions);
  try {
    await ensureNotificationDispatcher(new Client({ connection, namespace: target.namespace }), taskQueue, settings);
  } finally {
    await connection.close();
  }
}
