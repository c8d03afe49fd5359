import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { seedDemo } from './demo';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase(4);
});
afterAll(async () => {
  await db.destroy();
});

describe('seedDemo', () => {
  it('when the database has no ledgers, then it writes FED with three unions on last month (China time), U00001 blocked, and returns the outside states; a second call writes nothing', async () => {
    // 2026-11-30T17:00Z is already December 1st in Shanghai: last month is November there.
    const demo = await seedDemo(db.dataSource, new Date('2026-11-30T17:00:00Z'));
    expect(demo).not.toBeNull();
    expect(demo!.period).toBe('2026-11');
    expect([demo!.federation.code, ...demo!.ledgers.map((l) => l.code)]).toEqual(['FED', 'U00001', 'U00002', 'U00003']);
    expect(demo!.blockers.map((b) => b.ledgerCode)).toEqual(['U00001']);
    expect(demo!.bank.transfers.length).toBeGreaterThan(0);
    expect(demo!.taxPlatform.invoices.length).toBeGreaterThan(0);
    const periods = (await db.dataSource.query(
      `SELECT l.code, p.period, p.state FROM ledger l JOIN period p ON p.ledger_id = l.id ORDER BY l.code`,
    )) as unknown[];
    expect(periods).toEqual(['FED', 'U00001', 'U00002', 'U00003'].map((code) => ({ code, period: '2026-11', state: 'open' })));
    const users = (await db.dataSource.query(`SELECT name FROM app_user`)) as Array<{ name: string }>;
    expect(users.map((u) => u.name)).toEqual(['system']);

    expect(await seedDemo(db.dataSource)).toBeNull();
    const [count] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM ledger`)) as Array<{ n: number }>;
    expect(count!.n).toBe(4);
  });
});
