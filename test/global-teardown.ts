import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const admin = process.env.TEST_PG_ADMIN_URL;
  if (admin) {
    const c = new Client({ connectionString: admin });
    await c.connect();
    const { rows } = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`close_test_%_${process.pid}%`]);
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await c.end();
  }
  const teardown = (globalThis as Record<string, unknown>).__closeTestTeardown as (() => Promise<void>) | undefined;
  await teardown?.();
}
