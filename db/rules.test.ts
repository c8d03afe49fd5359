import { useTestDatabase } from '../test/helpers/database';
import { BOOK_RULES } from './rules';
import fs from 'node:fs';
import path from 'node:path';

const t = useTestDatabase(2);

/** SQLSTATE → the functions of the migrated schema whose body raises it. */
async function raisedInSchema(): Promise<Record<string, string[]>> {
  const found = (await t.ds.query(
    `SELECT p.proname AS fn, m[1] AS state FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
            regexp_matches(p.prosrc, 'ERRCODE\\s*=\\s*''(BK[0-9]{3})''', 'g') AS m
     WHERE n.nspname = 'public' GROUP BY p.proname, m[1] ORDER BY 2, 1`,
  )) as Array<{ fn: string; state: string }>;
  const by: Record<string, string[]> = {};
  for (const f of found) (by[f.state] ??= []).push(f.fn);
  return by;
}

describe('the registry of the rules the database keeps (db/rules.ts)', () => {
  it('when the migrated schema is read, then every code the triggers raise is in the registry with exactly its raising functions, and every registered code is raised', async () => {
    const inSchema = await raisedInSchema();
    const registered = Object.fromEntries(Object.entries(BOOK_RULES).map(([state, r]) => [state, [...r.raisedBy].sort()]));
    expect(inSchema).toEqual(registered);
  });

  it('when a function raises a rule, then a trigger runs it, directly or through the trigger function that calls it', async () => {
    const triggerFunctions = (await t.ds.query(
      `SELECT DISTINCT p.proname AS fn, p.prosrc AS src FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid WHERE NOT tg.tgisinternal`,
    )) as Array<{ fn: string; src: string }>;
    for (const rule of Object.values(BOOK_RULES)) {
      for (const fn of rule.raisedBy) {
        const reached =
          triggerFunctions.some((t) => t.fn === fn || t.src.includes(`${fn}(`)) ||
          (
            await t.ds.query(
              `SELECT 1 FROM pg_proc p WHERE p.prosrc LIKE '%' || $1 || '(%' AND EXISTS (
             SELECT 1 FROM pg_trigger tg JOIN pg_proc tp ON tp.oid = tg.tgfoid WHERE tp.prosrc LIKE '%' || p.proname || '(%')`,
              [fn],
            )
          ).length > 0;
        expect({ fn, reached }).toEqual({ fn, reached: true });
      }
    }
  });

  it('when a rule names where it is tested, then those test files exist', () => {
    for (const rule of Object.values(BOOK_RULES))
      for (const file of rule.testedIn) expect({ file, exists: fs.existsSync(path.join(__dirname, '..', file)) }).toEqual({ file, exists: true });
  });
});
