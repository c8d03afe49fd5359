import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { createActivities } from '../activities';
import { createHttpBankClient } from '../integrations/bank';
import { createHttpTaxPlatformClient } from '../integrations/tax-platform';
import { createApp } from '../api/app';
import { createToken, createUser } from '../api/services/user-service';
import { createDataSource, migrateToLatest } from '../db/data-source';
import { resolveDatabase } from '../db/database-url';
import { generateFederation } from '../db/seed/generator';
import { findTemporalCli } from '../infra/temporal-cli';
import { freePort, startTemporalDevServer } from '../infra/temporal-dev-server';
import { closeSettingsFromConfig } from '../close';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { periodOf, previousPeriod } from '../lib/period';
import { startBankStandIn } from '../simulators/bank/server';
import { startTaxPlatformStandIn } from '../simulators/tax-platform/server';
import { createCloseWorker } from '../worker/create-worker';
import { installTemporalLogging } from '../worker/runtime-logger';

// autocannon ships no types; this is the part of its API the bench uses.
interface AutocannonResult {
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

export interface ApiLoadOptions {
  quick?: boolean;
  rate?: number;
  durationSeconds?: number;
  closes?: number;
  /** Told when the stack is up and the closes started, as the load begins. */
  onMeasuring?: () => void;
}
export interface ApiLoadFigures {
  endpoint: string;
  rate: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  non2xx: number;
}

type Stop = () => Promise<void>;
const log = createLogger(process.env.LOG_LEVEL ?? 'warn');

/**
 * GET /api/v1/closes/<id> under a steady load (200 requests/second for 30 s; `quick`: 5 s) on
 * loopback, against the real app, database and Temporal: a fresh bench database on the configured
 * (or embedded) PostgreSQL, a running Temporal dev server or one started here, a worker on a queue
 * of its own, and a few closes started through the API first.
 */
export async function benchApiLoad(opts: ApiLoadOptions = {}): Promise<ApiLoadFigures> {
  const rate = opts.rate ?? 200;
  const durationSeconds = opts.durationSeconds ?? (opts.quick ? 5 : 30);
  const stops: Stop[] = [];
  try {
    const { baseUrl, token } = await startStack(stops);
    const period = previousPeriod(periodOf(new Date()));
    const ids: string[] = [];
    for (let i = 1; i <= (opts.closes ?? 5); i++) {
      const res = await fetch(`${baseUrl}/api/v1/closes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ledger: `B${String(i).padStart(5, '0')}`, period }),
      });
      if (res.status !== 202) throw new Error(`starting a close answered ${res.status}: ${await res.text()}`);
      ids.push(((await res.json()) as { id: string }).id);
    }
    let next = 0;
    opts.onMeasuring?.();
    const result = await autocannon({
      url: baseUrl,
      connections: 10,
      overallRate: rate,
      duration: durationSeconds,
      headers: { authorization: `Bearer ${token}` },
      requests: [{ method: 'GET', setupRequest: (req: { path: string }) => ({ ...req, path: `/api/v1/closes/${ids[next++ % ids.length]}` }) }],
    });
    const figures: ApiLoadFigures = {
      endpoint: 'GET /api/v1/closes/<id>',
      rate,
      durationSeconds: result.duration,
      requests: result.requests.total,
      requestsPerSecond: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    };
    process.stdout.write(
      `${figures.endpoint}: ${figures.requests} requests at ${figures.requestsPerSecond}/s over ${figures.durationSeconds} s — ` +
        `p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms, errors ${figures.errors}, non-2xx ${figures.non2xx}\n`,
    );
    return figures;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: Error) => log.warn({ err: err.message }, 'while stopping the bench'));
  }
}

async function startStack(stops: Stop[]): Promise<{ baseUrl: string; token: string }> {
  const config = loadConfig();
  const server = await resolveDatabase(config, log);
  stops.push(server.stop);
  const database = `closebooks_bench_${randomBytes(4).toString('hex')}`;
  const benchUrl = new URL(server.url);
  benchUrl.pathname = `/${database}`;
  await adminQuery(server.url, `CREATE DATABASE ${database}`);
  stops.push(() => adminQuery(server.url, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  const dataSource = createDataSource(benchUrl.toString(), 20, 'close-bench-api');
  await dataSource.initialize();
  stops.push(() => dataSource.destroy());
  await migrateToLatest(dataSource);
  await generateFederation(dataSource, { ledgers: 5, lines: 200, period: previousPeriod(periodOf(new Date())), seed: 7, parent: 'BFED', unitPrefix: 'B' });

  const address = await temporalAddress(config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`, config.TEMPORAL_CLI_PATH, stops);
  const connection = await Connection.connect({ address });
  stops.push(() => connection.close());
  const temporalClient = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

  installTemporalLogging(log);
  const taskQueue = `bench-${randomBytes(4).toString('hex')}`;
  const tax = await startTaxPlatformStandIn({ port: 0, apiKey: 'bench-tax-key' });
  const bank = await startBankStandIn({ port: 0, apiKey: 'bench-bank-key' });
  stops.push(
    () => tax.close(),
    () => bank.close(),
  );
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createCloseWorker({
    connection: nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    activities: createActivities({
      dataSource,
      logger: log,
      taxPlatform: createHttpTaxPlatformClient({ baseUrl: tax.url, logger: log, apiKey: 'bench-tax-key', timeoutMs: 5_000 }),
      bank: createHttpBankClient({ baseUrl: bank.url, logger: log, apiKey: 'bench-bank-key', timeoutMs: 5_000 }),
    }),
  });
  const running = worker.run();
  stops.push(async () => {
    worker.shutdown();
    await running.catch(() => undefined);
    await nativeConnection.close();
  });

  const app = createApp({
    dataSource,
    temporalClient,
    taskQueue,
    closeSettings: closeSettingsFromConfig(config),
    monthEndConcurrency: config.MONTH_END_CONCURRENCY,
    bank: createHttpBankClient({ baseUrl: bank.url, logger: log, apiKey: 'bench-bank-key', timeoutMs: 5_000 }),
    logger: log,
    bodyLimit: config.API_BODY_LIMIT,
  });
  const http = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    http.once('listening', resolve);
    http.once('error', reject);
  });
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  );

  await createUser(dataSource, { name: 'bench', role: 'finance_manager' }, 'bench');
  const token = await createToken(dataSource, 'bench', 'bench');
  return { baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, token };
}

/** The Temporal already answering at `address`, or a dev server started here for the bench. */
async function temporalAddress(address: string, cliPath: string | undefined, stops: Stop[]): Promise<string> {
  try {
    const probe = await Connection.connect({ address, connectTimeout: 2_000 });
    await probe.close();
    return address;
  } catch {
    const cli = findTemporalCli(cliPath, (m) => log.info(m));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-temporal-'));
    const dev = await startTemporalDevServer({ cliPath: cli.path, port: await freePort(), uiPort: 0, dbFile: path.join(dir, 'temporal.db') });
    stops.push(async () => {
      await dev.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    return dev.address;
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  benchApiLoad({ quick: process.argv.includes('--quick') })
    .then((figures) => {
      process.exitCode = figures.errors > 0 ? 1 : 0;
    })
    .catch((err: Error) => {
      process.stderr.write(`api-load bench failed: ${err.stack ?? err.message}\n`);
      process.exit(1);
    });
}
