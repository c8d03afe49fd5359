import { openRuntime, startApi } from '../runtime/compose';
import { runEntryPoint } from '../runtime/entry-point';

/**
 * `npm run api`: the HTTP API alone, over the configured database and Temporal (workers run in
 * their own processes). SIGINT/SIGTERM stop taking requests, finish the ones in flight, then close.
 */
runEntryPoint('the API', async (config, logger) => {
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
});
