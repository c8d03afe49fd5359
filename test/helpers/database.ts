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
    url, name, dataSource,
    destroy: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<unknown[]> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try { return (await c.query(sql, params)).rows; } finally { await c.end(); }
}
