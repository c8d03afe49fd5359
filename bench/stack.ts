import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import type { DataSource } from 'typeorm';
import { createActivities } from '../activities';
import { createHttpBankClient } from '../integrations/bank';
import { createHttpTaxPlatformClient } from '../integrations/tax-platform';
import type { ApiUser } from '../api/auth';
import { createCloseService } from '../api/services/close-service';
import { createMonthEndService } from '../api/services/month-end-service';
import { createInvoiceSyncService } from '../api/services/invoice-sync-service';
import { createReopenService } from '../api/services/reopen-service';
import { invoiceSyncWorkflowId } from '../workflows/invoices/invoice-sync';
import type { invoiceSyncWorkflow } from '../workflows/invoices/invoice-sync-workflow';
import { createDataSource, migrateToLatest } from '../db/data-source';
import { resolveDatabase } from '../db/database-url';
import { findTemporalCli } from '../infra/temporal-cli';
import { freePort, startTemporalDevServer, stopChild, type DevServer } from '../infra/temporal-dev-server';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { startBankStandIn } from '../simulators/bank/server';
import { startTaxPlatformStandIn } from '../simulators/tax-platform/server';
import { defaultCloseSettings, type CloseSettings } from '../close';
import { createCloseWorker } from '../worker/create-worker';
import { WORKER_NODE_FLAGS } from '../worker/node-flags';
import { installTemporalLogging } from '../worker/runtime-logger';

/** Shared pieces of the benchmark and chaos runs: everything on loopback, everything stopped after. */
export type Stop = () => Promise<void>;
export const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
export const TAX_KEY = 'bench-tax-key';
export const BANK_KEY = 'bench-bank-key';
export const MANAGER = 'bench-manager';
const projectRoot = path.resolve(__dirname, '..', '..');

export class Stops {
  private readonly list: Array<{ name: string; stop: Stop }> = [];
  push(name: string, stop: Stop): void {
    this.list.push({ name, stop });
  }
  async all(): Promise<void> {
    for (const { name, stop } of this.list.reverse()) await stop().catch((err: Error) => log.warn({ err: err.message, name }, 'while stopping'));
    this.list.length = 0;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function adminQuery(url: string, sql: string): Promise<void> {
  const c = new PgClient({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A fresh migrated database on the configured (or embedded) PostgreSQL server, dropped at stop. */
export async function benchDatabase(stops: Stops, tag: string, poolSize = 20): Promise<{ url: string; name: string; dataSource: DataSource }> {
  const server = await resolveDatabase(loadConfig(), log);
  stops.push('postgres server', server.stop);
  const name = `bench_${tag}_${randomBytes(3).toString('hex')}`;
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  await adminQuery(server.url, `CREATE DATABASE ${name}`);
  stops.push(`drop ${name}`, () => adminQuery(server.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const dataSource = createDataSource(url.toString(), poolSize, `bench-${tag}`);
  await dataSource.initialize();
  stops.push('data source', async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });
  await migrateToLatest(dataSource);
  await dataSource.query(`INSERT INTO app_user (name, role) VALUES ($1, 'finance_manager') ON CONFLICT DO NOTHING`, [MANAGER]);
  return { url: url.toString(), name, dataSource };
}

export interface TemporalHandle {
  server: DevServer;
  address: string;
  port: number;
  dbFile: string;
  restart(): Promise<void>;
  kill(): void;
  /** A server the benchmarks did not start (see externalTemporalAddress): never killed or restarted. */
  external?: boolean;
  /** Which server, for reports (the dev server when absent). */
  label?: string;
}

/**
 * The Temporal the benchmarks run on: `--temporal-address=host:port` (or TEMPORAL_ADDRESS) names a
 * running server of your own — the PostgreSQL-backed one of `bench/temporal-server/start.sh`, a
 * cluster — which the benchmarks neither start nor stop (nor, in chaos, kill); otherwise a dev server
 * of their own on a temporary SQLite file.
 */
export function externalTemporalAddress(argv: string[] = process.argv, env: NodeJS.ProcessEnv = process.env): string | null {
  const flag = argv.find((a) => a.startsWith('--temporal-address='))?.slice('--temporal-address='.length);
  return flag || env.TEMPORAL_ADDRESS || null;
}

/**
 * The production Temporal server of bench/temporal-server/start.sh, started by the benchmarks
 * themselves (`--temporal-server=production`) so that chaos can SIGKILL it and start it again on its
 * PostgreSQL database, as it does the dev server. Its own database (TEMPORAL_DB, default
 * temporal_soak) and port (7400), so it never meets a server started by hand for the benchmarks.
 */
async function productionTemporal(stops: Stops): Promise<TemporalHandle> {
  const port = Number(process.env.TEMPORAL_PORT ?? 7400);
  const script = path.resolve(__dirname, '..', '..', 'bench', 'temporal-server', 'start.sh');
  let child: ChildProcess | null = null;
  let starts = 0;
  const start = async () => {
    // Its own process group: a kill reaches the script and the server alike. The first start is on empty
    // databases, as the dev server's is: an earlier run's closes still running (blocked, on a task queue
    // no worker polls any more) held their ledgers' workflow ids, and the month-end skipped those ledgers.
    const c = spawn('bash', [script], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TEMPORAL_PORT: String(port),
        TEMPORAL_DB: process.env.TEMPORAL_DB ?? 'temporal_soak',
        TEMPORAL_FRESH: starts++ === 0 ? '1' : '',
      },
    });
    child = c;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the production Temporal server did not get ready in 180 s: ${output.slice(-500)}`)), 180_000);
      c.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('== ready:')) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      c.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the production Temporal server exited (${code}): ${output.slice(-500)}`));
      });
    });
    c.stdout!.resume();
    c.stderr!.resume();
  };
  const signal = (sig: NodeJS.Signals) => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, sig);
  };
  await start();
  stops.push('temporal (production server)', async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    signal('SIGINT');
    await Promise.race([exited, sleep(20_000)]);
    signal('SIGKILL');
  });
  log.info({ port }, 'benchmarks on the production Temporal server, started here');
  return {
    server: null as unknown as TemporalHandle['server'],
    address: `127.0.0.1:${port}`,
    port,
    dbFile: '',
    restart: start,
    kill: () => signal('SIGKILL'),
    label: 'production server 1.29.1 (PostgreSQL, 4 shards)',
  };
}

/**
 * A headless Temporal dev server on a free port with its SQLite file in a temp dir (restartable on
 * the same file), the production server (`--temporal-server=production`), or the external one.
 */
export async function benchTemporal(stops: Stops): Promise<TemporalHandle> {
  if (process.argv.includes('--temporal-server=production')) return productionTemporal(stops);
  const external = externalTemporalAddress();
  if (external) {
    const port = Number(external.split(':').pop());
    const refuse = () => {
      throw new Error(`The Temporal server at ${external} is not the benchmark's own: it is not restarted or killed from here.`);
    };
    log.info({ address: external }, 'benchmarks on an external Temporal server');
    return {
      server: null as unknown as TemporalHandle['server'],
      address: external,
      port,
      dbFile: '',
      restart: async () => refuse(),
      kill: refuse,
      external: true,
    };
  }
  const cli = findTemporalCli(loadConfig().TEMPORAL_CLI_PATH, (m) => log.info(m));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-temporal-'));
  const dbFile = path.join(dir, 'temporal.db');
  const port = await freePort();
  const start = () => startTemporalDevServer({ cliPath: cli.path, port, uiPort: 0, dbFile });
  const handle: TemporalHandle = {
    server: await start(),
    address: `127.0.0.1:${port}`,
    port,
    dbFile,
    restart: async () => {
      handle.server = await start();
    },
    kill: () => {
      handle.server.process.kill('SIGKILL');
    },
  };
  stops.push('temporal', async () => {
    await handle.server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return handle;
}

export async function temporalClient(stops: Stops, address: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  stops.push('temporal client', () => connection.close());
  return new Client({ connection, namespace: 'default' });
}

export async function standIns(stops: Stops) {
  const tax = await startTaxPlatformStandIn({ port: 0, apiKey: TAX_KEY });
  const bank = await startBankStandIn({ port: 0, apiKey: BANK_KEY });
  stops.push('stand-ins', async () => {
    await tax.close();
    await bank.close();
  });
  return { tax, bank };
}

export interface WorkerEnv {
  databaseUrl: string;
  address: string;
  taskQueue: string;
  taxUrl: string;
  bankUrl: string;
}

/** The worker as its own process, as `npm run worker` runs it (its Node flags too), resolved once it polls. */
export class WorkerProcess {
  child: ChildProcess | null = null;
  starts = 0;
  kills = 0;
  constructor(
    private readonly env: WorkerEnv,
    private readonly label = 'worker',
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }
  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, path.join(projectRoot, 'dist', 'worker', 'main.js')], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: this.env.databaseUrl,
        TEMPORAL_ADDRESS: this.env.address,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: this.env.taskQueue,
        TAX_PLATFORM_URL: this.env.taxUrl,
        BANK_URL: this.env.bankUrl,
        TAX_PLATFORM_API_KEY: TAX_KEY,
        BANK_API_KEY: BANK_KEY,
        LOG_LEVEL: 'info',
        DB_POOL_SIZE: '20',
        EXTERNAL_TIMEOUT_MS: '5000',
        DEMO_DATA: 'false',
      },
    });
    this.child = child;
    this.starts++;
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`${this.label} did not start polling within ${timeoutMs} ms`)), timeoutMs);
      const onData = (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('worker polling')) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve();
        }
        if (buf.length > 100_000) buf = buf.slice(-10_000);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', () => undefined);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.label} exited (${code ?? signal}) before polling: ${buf.slice(-2000)}`));
      });
    });
    child.stdout?.on('data', () => undefined);
  }

  kill(): void {
    if (this.running) {
      this.child!.kill('SIGKILL');
      this.kills++;
    }
  }

  async stop(): Promise<void> {
    if (this.child && this.running) await stopChild(this.child, 5_000);
  }

  /** Resident set size in MiB from /proc (Linux). */
  rssMiB(): number | null {
    if (!this.pid) return null;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Math.round(Number(m[1]) / 1024) : null;
    } catch {
      return null;
    }
  }
}

/** The worker in this process, for runs that never kill it. */
export async function inProcessWorker(
  stops: Stops,
  dataSource: DataSource,
  address: string,
  taskQueue: string,
  taxUrl: string,
  bankUrl: string,
): Promise<void> {
  installTemporalLogging(log);
  const connection = await NativeConnection.connect({ address });
  const worker = await createCloseWorker({
    connection,
    namespace: 'default',
    taskQueue,
    activities: createActivities({
      dataSource,
      logger: log,
      taxPlatform: createHttpTaxPlatformClient({ baseUrl: taxUrl, logger: log, apiKey: TAX_KEY, timeoutMs: 5_000 }),
      bank: createHttpBankClient({ baseUrl: bankUrl, logger: log, apiKey: BANK_KEY, timeoutMs: 5_000 }),
    }),
  });
  const running = worker.run();
  stops.push('in-process worker', async () => {
    worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
  });
}

export function benchSettings(overrides: Partial<CloseSettings> = {}): CloseSettings {
  return { ...defaultCloseSettings, recheckMs: 2_000, retryInitialMs: 200, retryMaxMs: 2_000, ...overrides };
}

const manager: ApiUser = {
  id: 0,
  name: MANAGER,
  role: 'finance_manager',
  permissions: new Set(['close:start', 'close:read', 'month_end:start']),
  scopeLedgerId: null,
  scope: null,
};

/** Closes started the way the API starts them (close service: workflow.start + status query + close_run row). */
export function closeStarter(dataSource: DataSource, client: Client, taskQueue: string, settings: CloseSettings) {
  const closes = createCloseService({ dataSource, temporalClient: client, taskQueue, closeSettings: settings });
  const monthEnds = createMonthEndService({ dataSource, temporalClient: client, taskQueue, closeSettings: settings, concurrency: 50 });
  const invoiceSync = createInvoiceSyncService({ dataSource, temporalClient: client, taskQueue, closeSettings: settings });
  return {
    start: async (ledger: string, period: string) => (await closes.start(manager, { ledger, period })).close.id,
    monthEnd: (period: string, parent: string, concurrency: number) =>
      createMonthEndService({ dataSource, temporalClient: client, taskQueue, closeSettings: settings, concurrency }).start(manager, { period, parent }),
    monthEnds,
    /** 反结账, so the same period can be closed again and measured more than once. */
    reopen: (ledger: string, period: string, reason: string) => createReopenService(dataSource).reopen(manager, ledger, period, reason),
    /** Invoice sync ahead of the close, waiting until it is done (however long the platform takes). */
    syncInvoices: async (ledger: string, period: string) => {
      await invoiceSync.start(manager, { ledger, period });
      return client.workflow.getHandle<typeof invoiceSyncWorkflow>(invoiceSyncWorkflowId(ledger, period)).result();
    },
  };
}

export interface CloseStates {
  closed: number;
  blocked: number;
  failed: number;
  cancelled: number;
  running: number;
  total: number;
}

export async function closeStates(dataSource: DataSource, ids: string[]): Promise<CloseStates> {
  const rows = (await dataSource.query(`SELECT state, count(*)::int AS n FROM close_run WHERE id = ANY($1) GROUP BY state`, [ids])) as Array<{
    state: keyof CloseStates;
    n: number;
  }>;
  const s: CloseStates = { closed: 0, blocked: 0, failed: 0, cancelled: 0, running: 0, total: ids.length };
  for (const r of rows) s[r.state] = r.n;
  return s;
}

/** Polls close_run until every close has settled (closed/blocked/failed/cancelled) or the time is up. */
export async function waitSettled(
  dataSource: DataSource,
  ids: string[],
  timeoutMs: number,
  pollMs = 250,
): Promise<CloseStates & { ms: number; timedOut: boolean }> {
  const started = Date.now();
  for (;;) {
    let s: CloseStates;
    try {
      s = await closeStates(dataSource, ids);
    } catch {
      await sleep(pollMs);
      continue;
    }
    if (s.running === 0 && s.closed + s.blocked + s.failed + s.cancelled >= ids.length) return { ...s, ms: Date.now() - started, timedOut: false };
    if (Date.now() - started > timeoutMs) return { ...s, ms: Date.now() - started, timedOut: true };
    await sleep(pollMs);
  }
}

export async function ledgerIds(dataSource: DataSource, codes: string[]): Promise<number[]> {
  const rows = (await dataSource.query(`SELECT id FROM ledger WHERE code = ANY($1)`, [codes])) as Array<{ id: number }>;
  return rows.map((r) => r.id);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
}

export function taskQueueName(tag: string): string {
  return `bench-${tag}-${randomBytes(3).toString('hex')}`;
}
