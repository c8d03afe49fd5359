import { Client } from 'pg';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { adminQuery, createTestDatabase, type TestDatabase } from '../test/helpers/database';
import { EMBEDDED_DATABASE, openDatabase, resolveDatabase } from './database-url';

const quiet = createLogger('silent');

describe('resolveDatabase and openDatabase', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(2);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('when DATABASE_URL is set, then it is used as it is, nothing is started, and openDatabase finds the schema current', async () => {
    const config = loadConfig({ DATABASE_URL: db.url });
    const resolved = await resolveDatabase(config, quiet);
    expect(resolved).toMatchObject({ url: db.url, embedded: false });
    const opened = await openDatabase(config, quiet, { poolSize: 1 });
    try {
      expect(opened.migrationsRan).toEqual([]);
      expect(await opened.dataSource.query(`SELECT count(*)::int AS n FROM ledger`)).toEqual([{ n: 0 }]);
    } finally {
      await opened.stop();
    }
    expect(opened.dataSource.isInitialized).toBe(false);
  });

  it('when DATABASE_URL is unset and PostgreSQL already answers on EMBEDDED_PG_PORT (another process of the service started it), then it is reused, closebooks is created in it, and stop leaves the server running', async () => {
    const port = new URL(process.env.TEST_PG_ADMIN_URL!).port || '5432';
    const existed = (await adminQuery(`SELECT 1 FROM pg_database WHERE datname = $1`, [EMBEDDED_DATABASE])).length > 0;
    const config = loadConfig({ EMBEDDED_PG_PORT: port, DATA_DIR: '/nonexistent/never-used' });
    try {
      const resolved = await resolveDatabase(config, quiet);
      expect(resolved.embedded).toBe(true);
      expect(new URL(resolved.url)).toMatchObject({ hostname: '127.0.0.1', port, pathname: `/${EMBEDDED_DATABASE}` });
      await resolved.stop();
      const client = new Client({ connectionString: resolved.url });
      await client.connect();
      expect((await client.query('SELECT current_database() AS name')).rows).toEqual([{ name: EMBEDDED_DATABASE }]);
      await client.end();
      expect((await resolveDatabase(config, quiet)).url).toBe(resolved.url);
    } finally {
      if (!existed) await adminQuery(`DROP DATABASE IF EXISTS ${EMBEDDED_DATABASE} WITH (FORCE)`);
    }
  });
});
