import type http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { appDepsFromConfig, createApp } from '../api/app';
import { openDatabase, type OpenDatabase } from '../db/database-url';
import { createHttpBankClient } from '../integrations/bank';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { temporalTarget, type TemporalTarget } from '../lib/temporal-connection';
import { externalUrls, runCloseWorker, type StartedWorker } from '../worker/run-worker';

/**
 * The one composition root of the product: configuration → logger → database → Temporal → the worker
 * and the API, with the external systems' URLs. `npm start`, `npm run api` and `npm run worker` all
 * compose through here; only `npm start` first starts servers of its own (scripts/start.ts) and hands
 * their addresses in.
 */
export interface Runtime {
  config: Config;
  logger: Logger;
  db: OpenDatabase;
  target: TemporalTarget;
  urls: { taxPlatform: string; bank: string };
}

/** Opens the books (migrated) and says where Temporal and the external systems are. */
export async function openRuntime(config: Config, logger: Logger, started: { temporalAddress?: string; urls?: Runtime['urls'] } = {}): Promise<Runtime> {
  const db = await openDatabase(config, logger);
  return { config, logger, db, target: temporalTarget(config, started.temporalAddress), urls: started.urls ?? externalUrls(config) };
}

/** The worker, polling the close task queue. */
export function startWorker(rt: Runtime): Promise<StartedWorker> {
  return runCloseWorker(rt.config, rt.target, rt.db.dataSource, rt.logger, rt.urls);
}

export interface StartedApi {
  url: string;
  server: http.Server;
  stop(): Promise<void>;
}

/** The API and dashboard, listening on HOST:PORT. `stop()` finishes requests in flight, then closes its Temporal connection. */
export async function startApi(rt: Runtime): Promise<StartedApi> {
  const connection = await Connection.connect(rt.target.connectionOptions);
  const temporalClient = new Client({ connection, namespace: rt.target.namespace });
  const bank = createHttpBankClient({ baseUrl: rt.urls.bank, logger: rt.logger, apiKey: rt.config.BANK_API_KEY, timeoutMs: rt.config.EXTERNAL_TIMEOUT_MS });
  const app = createApp(appDepsFromConfig(rt.config, { dataSource: rt.db.dataSource, temporalClient, logger: rt.logger, bank }));
  const server = app.listen(rt.config.PORT, rt.config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    url: `http://${rt.config.HOST}:${rt.config.PORT}`,
    server,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        server.closeAllConnections();
      });
      await connection.close();
    },
  };
}
