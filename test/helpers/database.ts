import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../db/data-source';

/** A fresh copy of the migrated template database for one test file; dropped by `destroy`. */
export interface TestDatabase {
  url: string;
  name: string;
  dataSource: DataSource;
  destroy(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_PG_ADMIN_URL;
  if (!url) throw new Error('TEST_PG_ADMIN_URL is unset: run the tests through `npm test` (jest global set-up).');
  return url;
}

export function databaseUrl(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(poolSize = 10): Promise<TestDatabase> {
  const template = process.env.TEST_PG_TEMPLATE!;
  const name = `close_test_${randomBytes(4).toString('hex')}_${template.split('_').pop()}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = databaseUrl(name);
  const dataSource = createDataSource(url, poolSize, 'close-test');
  await dataSource.initialize();
  return {
    url,
    name,
    dataSource,
    destroy: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<unknown[]> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/**
 * A test file's own copy of the migrated database, made before its tests and dropped after, with
 * TypeORM's printing of failed queries silenced: in these files, failing is what is tested.
 */
export function useTestDatabase(poolSize = 4): { ds: DataSource; db: TestDatabase } {
  const t = {} as { ds: DataSource; db: TestDatabase };
  beforeAll(async () => {
    t.db = await createTestDatabase(poolSize);
    t.ds = t.db.dataSource;
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.db?.destroy();
  });
  return t;
}

/**
 * Until a statement of this database whose text contains `statement` waits on a lock (bounded): a
 * test holding a transaction open knows the other writer has reached it before letting it go.
 */
export async function waitUntilWaitingOnLock(ds: DataSource, statement: string, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const [w] = (await ds.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND strpos(query, $1) > 0`,
      [statement],
    )) as Array<{ n: number }>;
    if (w.n > 0) return;
  }
  throw new Error(`no statement containing "${statement}" waited on a lock within ${timeoutMs} ms`);
}
