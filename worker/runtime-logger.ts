import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../lib/logger';

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** Routes the Temporal SDK's own logs (and the workflow logger's) through the service's one logger. Once per process. */
export function installTemporalLogging(logger: Logger): void {
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => {
      const { workflowId, runId, activityType, ...rest } = (entry.meta ?? {}) as Record<string, unknown>;
      logger[levels[entry.level]]({ workflowId, runId, activityType, ...rest, source: 'temporal-sdk' }, entry.message);
    }),
  });
}
