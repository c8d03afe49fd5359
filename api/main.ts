import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { openRuntime, startApi } from '../runtime/compose';

/**
 * `npm run api`: the HTTP API alone, over the configured database and Temporal (workers run in
 * their own processes). SIGINT/SIGTERM stop taking requests, finish the ones in flight, then close.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  try {
    const rt = await openRuntime(config, logger);
    const api = await startApi(rt);
    logger.info({ url: api.url, taskQueue: config.TEMPORAL_TASK_QUEUE }, 'API listening');
    const stop = async (signal: string) => {
      logger.info({ signal }, 'API stopping');
      await api.stop();
      await rt.db.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (err) {
    logger.fatal({ err: (err as Error).message, code: (err as { code?: string }).code }, 'API failed to start');
    process.exit(1);
  }
}

main().catch((err: Error) => {
  // A bad setting (CONFIG_INVALID) says which one.
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
});
