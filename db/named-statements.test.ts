import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { namedStatementClient } from './named-statements';
import { useTestDatabase } from '../test/helpers/database';

/** What the one connection of `ds` holds prepared: statement text → times planned generic + custom. */
async function prepared(ds: DataSource): Promise<Map<string, number>> {
  const found = (await ds.query(`SELECT statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements`)) as { statement: string; runs: string }[];
  return new Map(found.map((r) => [r.statement, Number(r.runs)]));
}

describe('named statements: each connection prepares a statement once (db/named-statements.ts)', () => {
  const t = useTestDatabase(1);
  let off: DataSource;
  beforeAll(async () => {
    off = createDataSource(t.db.url, 1, 'unnamed', { preparedStatements: false });
    await off.initialize();
    await t.ds.query(`CREATE TABLE shape (id int PRIMARY KEY, a text)`);
    await t.ds.query(`INSERT INTO shape VALUES (1, 'one'), (2, 'two')`);
  });
  afterAll(async () => {
    await off?.destroy();
  });

  it('when a statement with parameters runs three times, then its connection prepared it once and ran it three times', async () => {
    const text = `SELECT a FROM shape WHERE id = $1 AND a <> $2`;
    for (const id of [1, 2, 1]) await t.ds.query(text, [id, 'x']);
    expect((await prepared(t.ds)).get(text)).toBe(3);
    expect(await t.ds.query(text, [2, 'x'])).toEqual([{ a: 'two' }]);
  });

  it('when statements are not prepared (DB_PREPARED_STATEMENTS=false), then the connection keeps none', async () => {
    await off.query(`SELECT a FROM shape WHERE id = $1`, [1]);
    expect(await prepared(off)).toEqual(new Map());
  });

  it('when a statement has no parameters, then it runs unprepared (it may hold several statements)', async () => {
    await t.ds.query(`SELECT 1 AS one; SELECT 2 AS two`);
    expect([...(await prepared(t.ds)).keys()].some((s) => s.includes('SELECT 1 AS one'))).toBe(false);
  });

  it('when a migration changes the columns a prepared statement returns, then that one run fails and the next prepares it afresh', async () => {
    const text = `SELECT * FROM shape WHERE id = $1`;
    expect(await t.ds.query(text, [1])).toEqual([{ id: 1, a: 'one' }]);
    await t.ds.query(`ALTER TABLE shape ADD COLUMN b int NOT NULL DEFAULT 7`);
    await expect(t.ds.query(text, [1])).rejects.toMatchObject({ driverError: { code: '0A000' } });
    expect(await t.ds.query(text, [1])).toEqual([{ id: 1, a: 'one', b: 7 }]);
  });

  it('when the server lost its prepared statements (DEALLOCATE ALL, a pooler), then one run fails and the next prepares them again', async () => {
    const text = `SELECT a FROM shape WHERE id = $1 ORDER BY a`;
    await t.ds.query(text, [1]);
    await t.ds.query(`DEALLOCATE ALL`);
    await expect(t.ds.query(text, [1])).rejects.toMatchObject({ driverError: { code: '26000' } });
    expect(await t.ds.query(text, [1])).toEqual([{ a: 'one' }]);
    expect(await t.ds.query(text, [2])).toEqual([{ a: 'two' }]);
  });

  it('when more distinct texts come than the client names, then the later ones run unnamed', async () => {
    const Capped = namedStatementClient(2);
    const client = new Capped({ connectionString: t.db.url });
    await client.connect();
    try {
      for (let k = 0; k < 4; k++) await client.query(`SELECT $1::int + ${k} AS n`, [1]);
      const names = (await client.query(`SELECT statement FROM pg_prepared_statements ORDER BY statement`)).rows.map((r: { statement: string }) => r.statement);
      expect(names).toEqual([`SELECT $1::int + 0 AS n`, `SELECT $1::int + 1 AS n`]);
      expect((await client.query(`SELECT $1::int + 3 AS n`, [1])).rows).toEqual([{ n: 4 }]);
    } finally {
      await client.end();
    }
  });

  it('when a callback is given instead of awaiting, then the statement is prepared and the callback gets its rows', async () => {
    const Named = namedStatementClient();
    const client = new Named({ connectionString: t.db.url });
    await client.connect();
    try {
      const rows = await new Promise<unknown[]>((resolve, reject) =>
        client.query(`SELECT a FROM shape WHERE id = $1`, [2], (err: Error | null, r: { rows: unknown[] }) => (err ? reject(err) : resolve(r.rows))),
      );
      expect(rows).toEqual([{ a: 'two' }]);
      expect((await client.query(`SELECT count(*)::int AS n FROM pg_prepared_statements`)).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end();
    }
  });
});
