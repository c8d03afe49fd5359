import { Client, Connection } from '@temporalio/client';
import { openDatabase } from '../db/database-url';
import { loadConfig } from '../lib/config';
import { logger } from '../lib/logger';
import { temporalTarget } from '../lib/temporal-connection';
import { appDepsFromConfig, createApp } from './app';

/**
 * `npm run api`: the HTTP API alone, over the configured database and Temporal (workers run in
 * their own processes). SIGINT/SIGTERM stop taking requests, finish the ones in flight, then close.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config, logger);
  const target = temporalTarget(config);
  const connection = await Connection.connect(target.connectionOptions);
  const temporalClient = new Client({ connection, namespace: target.namespace });
  const app = createApp(appDepsFromConfig(config, { dataSource: db.dataSource, temporalClient, logger }));
  const server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  logger.info({ url: `http://${config.HOST}:${config.PORT}`, taskQueue: config.TEMPORAL_TASK_QUEUE }, 'API listening');

  const stop = async (signal: string) => {
    logger.info({ signal }, 'API stopping');
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeIdleConnections(); });
    await connection.close();
    await db.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: Error) => {
  logger.fatal({ err: err.message, code: (err as { code?: string }).code }, 'API failed to start');
  process.exit(1);
});
