import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { isAlive } from '../infra/orphans';
import { freePort } from '../infra/temporal-dev-server';
import { standInAdmin } from '../simulators/common/admin-client';
import { sleep, type Stops, type TemporalHandle, type WorkerProcess } from './stack';

/**
 * The faults of the chaos soak (`bench/chaos-soak.ts`), each a small thing the fault loop can do
 * hundreds of times: kill a worker, cut database connections, make the tax platform or the bank
 * fail for a few seconds; and the two expensive ones, restarting Temporal or PostgreSQL.
 */

/** A PostgreSQL of the soak's own (embedded, temporary folder, free port): restarting it disturbs nobody else's work. */
export interface OwnPostgres {
  /** The server's `postgres` database. */
  url: string;
  restart(mode: 'immediate' | 'fast'): Promise<void>;
}

export async function ownPostgres(stops: Stops): Promise<OwnPostgres> {
  const { startEmbeddedPostgres } = await import('../infra/embedded-postgres');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-pg-'));
  // Run as root, PostgreSQL runs as the postgres user, which must reach its folder inside ours.
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, 'pg');
  const port = await freePort();
  let server = await startEmbeddedPostgres(dataDir, port);
  stops.push('soak postgres', async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });
  return {
    url: server.url,
    async restart(mode) {
      // immediate (SIGQUIT) is a crash as far as the books are concerned: recovery replays the WAL at start.
      process.kill(server.pid, mode === 'immediate' ? 'SIGQUIT' : 'SIGINT');
      for (let i = 0; i < 600 && isAlive(server.pid); i++) await sleep(100);
      for (let attempt = 1; ; attempt++) {
        try {
          server = await startEmbeddedPostgres(dataDir, port);
          return;
        } catch (err) {
          if (attempt >= 10) throw err;
          await sleep(1_000);
        }
      }
    },
  };
}

/** Terminates about `share` of the backends of `database` (workers', API's, writers', bench's); returns how many. */
export async function cutBackends(serverUrl: string, database: string, share: number): Promise<number> {
  const c = new PgClient({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  c.on('error', () => undefined);
  await c.connect();
  try {
    const r = await c.query(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE datname = $1 AND pid <> pg_backend_pid() AND random() < $2`,
      [database, share],
    );
    return (r.rows[0] as { n: number }).n;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** SIGKILL, then the dev server restarted on its SQLite file (the port may linger a moment). */
export async function restartTemporal(t: TemporalHandle): Promise<void> {
  t.kill();
  await sleep(2_000);
  for (let attempt = 1; ; attempt++) {
    try {
      await t.restart();
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
      await sleep(2_000);
    }
  }
}

/** Worker child processes the loop kills; each one down is started again in the background. */
export class WorkerPool {
  private readonly starting = new Set<WorkerProcess>();
  private readonly pollingSince = new Map<WorkerProcess, number>();
  startFailures = 0;
  /** A worker polls at least this long before it may be killed again: kills faster than a loaded machine restarts starve every close. */
  constructor(
    readonly workers: WorkerProcess[],
    private readonly minUpMs = 10_000,
  ) {}

  get kills(): number {
    return this.workers.reduce((n, w) => n + w.kills, 0);
  }
  get starts(): number {
    return this.workers.reduce((n, w) => n + w.starts, 0);
  }

  /** Starts every worker that is down and not already starting; does not wait. */
  ensure(): void {
    for (const w of this.workers) {
      if (w.running || this.starting.has(w)) continue;
      this.starting.add(w);
      void w
        .start(90_000)
        .then(() => this.pollingSince.set(w, Date.now()))
        .catch(() => {
          this.startFailures++; // Temporal or PostgreSQL away while it started: the next round tries again
        })
        .finally(() => this.starting.delete(w));
    }
  }

  /** SIGKILLs one worker polling for at least minUpMs, picked by `pick` in [0, 1); false when none has. */
  killOne(pick: number): boolean {
    const up = this.workers.filter((w) => w.running && !this.starting.has(w) && Date.now() - (this.pollingSince.get(w) ?? 0) >= this.minUpMs);
    if (up.length === 0) return false;
    up[Math.floor(pick * up.length)].kill();
    return true;
  }

  async allPolling(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      this.ensure();
      if (this.workers.every((w) => w.running) && this.starting.size === 0) return true;
      await sleep(500);
    }
    return false;
  }
}

/** The tax platform's or the bank's stand-in misbehaving for a while, then calm again (a newer fault extends it). */
export class StandInTrouble {
  private generation = 0;
  private readonly admin: ReturnType<typeof standInAdmin>;
  constructor(url: string) {
    this.admin = standInAdmin(url);
  }

  /** Errors, rate limits, duplicates, malformed answers and a few time-outs on a share of the calls. */
  async burst(ms: number, seed: number): Promise<void> {
    const g = ++this.generation;
    await this.admin.setFaults({ errorRate: 0.3, rateLimitRate: 0.1, duplicateRate: 0.1, malformedRate: 0.05, timeoutRate: 0.05, seed });
    this.calmAfter(g, ms);
  }

  /** Down: every call refused until `ms` has passed. */
  async outage(ms: number): Promise<void> {
    const g = ++this.generation;
    await this.admin.setFaults({ outageMs: ms });
    this.calmAfter(g, ms);
  }

  async calm(): Promise<void> {
    this.generation++;
    await this.admin.setFaults({});
  }

  stats(): Promise<Record<string, unknown>> {
    return this.admin.stats();
  }

  private calmAfter(generation: number, ms: number): void {
    setTimeout(() => {
      if (generation === this.generation) void this.admin.setFaults({}).catch(() => undefined);
    }, ms).unref();
  }
}
