import { useTestDatabase } from '../test/helpers/database';
import { COLUMN_VALUES, TABLES } from './schema';

const t = useTestDatabase(2);

describe('the typed row shapes (db/schema.ts) against the migrated schema', () => {
  it("when the migrated schema's columns are read, then every table, column, type and nullability is as db/schema.ts says", async () => {
    const columns = (await t.ds.query(
      `SELECT table_name AS t, column_name AS c, coalesce(domain_name, udt_name) || CASE WHEN is_nullable = 'YES' THEN '?' ELSE '' END AS type
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY table_name, ordinal_position`,
    )) as Array<{ t: string; c: string; type: string }>;
    const schema: Record<string, Record<string, string>> = {};
    for (const col of columns) (schema[col.t] ??= {})[col.c] = col.type;
    expect(schema).toEqual(TABLES);
  });

  it("when the CHECK constraints that close a column's values are read, then they allow exactly the values db/schema.ts lists", async () => {
    const checks = (await t.ds.query(
      `SELECT conrelid::regclass::text AS t, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE contype = 'c' AND connamespace = 'public'::regnamespace AND pg_get_constraintdef(oid) LIKE '%= ANY (ARRAY[%'`,
    )) as Array<{ t: string; def: string }>;
    const found: Record<string, string[]> = {};
    for (const c of checks) {
      const m = /^CHECK \(\((\w+) = ANY \(ARRAY\[(.*)\]\)\)\)$/.exec(c.def);
      if (m) found[`${c.t}.${m[1]}`] = [...m[2].matchAll(/'([^']*)'::text/g)].map((v) => v[1]);
    }
    expect(found).toEqual(JSON.parse(JSON.stringify(COLUMN_VALUES)));
  });
});
