import { openDatabase } from '../db/database-url';
import { loadConfig } from '../lib/config';
import { logger } from '../lib/logger';
import { temporalTarget } from '../lib/temporal-connection';
import { installTemporalLogging } from './runtime-logger';
import { externalUrls, runCloseWorker } from './run-worker';

/**
 * `npm run worker`: one worker process. Start several side by side (on one machine or many) to
 * share the closes; Temporal hands each step to one of them and retries it elsewhere if one dies.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  installTemporalLogging(logger);
  const db = await openDatabase(config, logger);
  const started = await runCloseWorker(config, temporalTarget(config), db.dataSource, logger, externalUrls(config));
  const stop = async () => { await started.stop(); await db.stop(); };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await started.done;
  await db.stop();
}

main().catch((err: Error) => {
  logger.fatal({ err: err.message, code: (err as { code?: string }).code }, 'worker stopped');
  process.exit(1);
});
