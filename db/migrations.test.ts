import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { adminQuery, createTestDatabase, databaseUrl, type TestDatabase } from '../test/helpers/database';
import { createDataSource, migrateToLatest } from './data-source';
import { migrations } from './migrations';

const allMigrations = migrations.map((M) => new M().name);

async function tablesOf(ds: DataSource): Promise<string[]> {
  const rows = (await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)) as Array<{ tablename: string }>;
  return rows.map((r) => r.tablename);
}

async function ranMigrations(ds: DataSource): Promise<string[]> {
  const rows = (await ds.query(`SELECT name FROM migrations ORDER BY timestamp`)) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

describe('schema migrations', () => {
  it('when an empty database is migrated, then every migration runs in order and the books, rules and access tables exist', async () => {
    const name = `close_test_empty${randomBytes(3).toString('hex')}_${process.env.TEST_PG_TEMPLATE!.split('_').pop()}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const ds = createDataSource(databaseUrl(name), 2, 'close-test');
    try {
      await ds.initialize();
      expect(await migrateToLatest(ds)).toEqual(allMigrations);
      expect(await ranMigrations(ds)).toEqual(allMigrations);
      expect(await tablesOf(ds)).toEqual(
        expect.arrayContaining([
          'ledger',
          'account',
          'period',
          'voucher',
          'voucher_line',
          'reimbursement',
          'fund_transfer',
          'invoice',
          'subledger_entry',
          'balance',
          'close_run',
          'close_operation',
          'period_snapshot',
          'audit_log',
          'app_user',
          'api_token',
        ]),
      );
      const [triggers] = (await ds.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'voucher_line_guard_insert'`)) as Array<{ n: number }>;
      expect(triggers!.n).toBe(1);
      expect(await migrateToLatest(ds)).toEqual([]);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });

  describe('on a fresh copy of the migrated template', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(2);
    });
    afterAll(async () => {
      await db.destroy();
    });

    it('when the last migration is undone three times, then only the migrations table is left; migrating again rebuilds everything', async () => {
      const ds = db.dataSource;
      for (let left = allMigrations.length - 1; left >= 0; left--) {
        await ds.undoLastMigration({ transaction: 'each' });
        expect(await ranMigrations(ds)).toEqual(allMigrations.slice(0, left));
      }
      expect(await tablesOf(ds)).toEqual(['migrations']);
      const [leftovers] = (await ds.query(
        `SELECT (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public')::int AS functions,
                (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'd')::int AS domains`,
      )) as Array<{ functions: number; domains: number }>;
      expect(leftovers).toEqual({ functions: 0, domains: 0 });

      expect(await migrateToLatest(ds)).toEqual(allMigrations);
      await ds.query(`INSERT INTO ledger (code, name, taxpayer_id, first_period) VALUES ('AGAIN', 'again', '81110105MA00000001', '2026-01')`);
      const [ledger] = (await ds.query(`SELECT id FROM ledger WHERE code = 'AGAIN'`)) as Array<{ id: number }>;
      await ds.query(`INSERT INTO period (ledger_id, period) VALUES ($1, '2026-01')`, [ledger!.id]);
      const [audit] = (await ds.query(`SELECT action FROM audit_log WHERE ledger_id = $1`, [ledger!.id])) as Array<{ action: string }>;
      expect(audit!.action).toBe('period.open');
    });
  });
});
