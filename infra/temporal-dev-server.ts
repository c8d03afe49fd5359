import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  /** 0: headless (tests). */
  uiPort: number;
  dbFile: string;
  ip?: string;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Dynamic config the dev server needs to serve closes at the speed of its machine. Its history
 * service has a single shard, whose transfer-queue reader polls at most 20 times a second by default;
 * every activity dispatch and every workflow task after an activity passes through that reader, so
 * once its burst is spent a workflow makes at most ten steps a second (an empty close: 1.15 s, of
 * which 1 s is this wait; see README, Benchmarks). A production cluster spreads the same limit over
 * many shards; here the reader is allowed to poll as often as tasks arrive.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, number> = {
  'history.transferProcessorMaxPollRPS': 2_000,
};

/**
 * Starts `temporal server start-dev`, persistent in dbFile, tuned as the SDK's own CI runs it
 * (WAL, synchronous=OFF) and with DEV_SERVER_DYNAMIC_CONFIG, and resolves once its frontend answers.
 */
export async function startTemporalDevServer(opts: DevServerOptions): Promise<DevServer> {
  fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const ip = opts.ip ?? '127.0.0.1';
  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(opts.port),
    '--db-filename',
    opts.dbFile,
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=OFF',
    '--log-level',
    'warn',
    ...Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${value}`]),
    ...(opts.uiPort > 0 ? ['--ui-port', String(opts.uiPort)] : ['--headless']),
  ];
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  const log = opts.log ?? (() => {});
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  child.stdout?.on('data', (d: Buffer) => log(d.toString().trim()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString().trim()));

  const address = `${ip}:${opts.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`The Temporal dev server exited with code ${exited} at start (is port ${opts.port} taken?).`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1_000 });
      await conn.workflowService.getSystemInfo({});
      await conn.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`The Temporal dev server did not answer on ${address} within 60 s: ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    address,
    uiUrl: opts.uiPort > 0 ? `http://${ip}:${opts.uiPort}` : null,
    process: child,
    stop: () => stopChild(child),
  };
}

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}
