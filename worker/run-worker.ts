import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createActivities } from '../activities';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import type { TemporalTarget } from '../lib/temporal-connection';
import { activityDepsFromConfig } from './activity-deps';
import { createCloseWorker } from './create-worker';
import { ensureNotificationDispatcherAt, notifyDepsFromConfig } from './notification-dispatcher';
import { notificationSettingsFromConfig } from '../notifications/settings';

export interface StartedWorker {
  worker: Worker;
  /** Resolves when the worker has stopped (after `stop()` or a fatal error). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Connects to Temporal and starts polling the close task queue; `stop()` drains it gracefully. */
export async function runCloseWorker(
  config: Config,
  target: TemporalTarget,
  dataSource: DataSource,
  logger: Logger,
  urls: { taxPlatform: string; bank: string },
): Promise<StartedWorker> {
  const connection = await NativeConnection.connect(target.connectionOptions);
  const worker = await createCloseWorker({
    connection,
    namespace: target.namespace,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities({ ...activityDepsFromConfig(config, dataSource, logger, urls), notify: notifyDepsFromConfig(config) }),
  });
  const done = worker.run().finally(() => connection.close());
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: target.namespace }, 'worker polling');
  if (config.NOTIFY_ENABLED) {
    await ensureNotificationDispatcherAt(target, config.TEMPORAL_TASK_QUEUE, notificationSettingsFromConfig(config));
    logger.info('notification dispatcher running');
  }
  return {
    worker,
    done,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done.catch(() => undefined);
    },
  };
}

/** The external systems' URLs: configured ones, or the local stand-ins' default ports. */
export function externalUrls(config: Config): { taxPlatform: string; bank: string } {
  return {
    taxPlatform: config.TAX_PLATFORM_URL ?? `http://127.0.0.1:${config.TAX_STANDIN_PORT}`,
    bank: config.BANK_URL ?? `http://127.0.0.1:${config.BANK_STANDIN_PORT}`,
  };
}
