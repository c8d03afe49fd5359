import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { openRuntime, startWorker } from '../runtime/compose';
import { installTemporalLogging } from './runtime-logger';

/**
 * `npm run worker`: one worker process. Start several side by side (on one machine or many) to
 * share the closes; Temporal hands each step to one of them and retries it elsewhere if one dies.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  installTemporalLogging(logger);
  try {
    const rt = await openRuntime(config, logger);
    const started = await startWorker(rt);
    const stop = async () => { await started.stop(); await rt.db.stop(); };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
    await started.done;
    await rt.db.stop();
  } catch (err) {
    logger.fatal({ err: (err as Error).message, code: (err as { code?: string }).code }, 'worker stopped');
    process.exit(1);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
});
