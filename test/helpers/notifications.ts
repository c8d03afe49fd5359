import nodemailer from 'nodemailer';
import type { NotificationSettings } from '../../notifications/settings';
import { dispatcherWorkflowId } from '../../notifications/settings';
import { ensureNotificationDispatcher } from '../../worker/notification-dispatcher';
import type { ApiHarness } from '../api/harness';
import type { RunningWorker } from './temporal';

/** Short timings: a poll every 200 ms, a blocked notice settles 1.5 s, retries from 100 ms. */
export const fastNotificationSettings: NotificationSettings = {
  pollMs: 200,
  settleMs: 1_500,
  deadlineScanMs: 500,
  dueSoonMs: 3_600_000,
  externalDownMs: 60_000,
  timeoutMs: 2_000,
  retry: { initialMs: 100, maxMs: 500, maxAttempts: 10 },
};

/**
 * Replaces the harness's worker with one that can send mail (to the loopback SMTP server), and starts
 * the task queue's notification dispatcher, as `npm run worker` does.
 */
export async function startNotifying(h: ApiHarness, smtp: { host: string; port: number }, settings = fastNotificationSettings) {
  await h.stack.worker.stop();
  const notify = {
    timeoutMs: settings.timeoutMs,
    from: 'close@test.example',
    mailer: nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true }),
  };
  const startWorker = (): Promise<RunningWorker> => h.stack.startWorker({ notify });
  let worker = await startWorker();
  await ensureNotificationDispatcher(h.stack.client, h.stack.taskQueue, settings);
  return {
    /** Stops the worker (in-flight activities abandoned) and starts another, as a crash and a restart would. */
    restartWorker: async () => {
      await worker.stop();
      worker = await startWorker();
    },
    stop: async () => {
      await h.stack.client.workflow
        .getHandle(dispatcherWorkflowId(h.stack.taskQueue))
        .terminate('test over')
        .catch(() => undefined);
    },
  };
}
