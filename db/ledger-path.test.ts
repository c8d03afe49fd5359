import { useTestDatabase } from '../test/helpers/database';

const t = useTestDatabase(2);

/** Inserts a ledger under `parent` (by code) and answers its id. */
async function ledger(code: string, parent?: string): Promise<number> {
  const [row] = (await t.ds.query(
    `INSERT INTO ledger (code, name, taxpayer_id, first_period, parent_id)
     VALUES ($1, $1, '91110000MA00000000', '2026-01', (SELECT id FROM ledger WHERE code = $2)) RETURNING id`,
    [code, parent ?? null],
  )) as Array<{ id: number }>;
  return row.id;
}
const pathOf = async (code: string): Promise<number[]> =>
  ((await t.ds.query(`SELECT path FROM ledger WHERE code = $1`, [code])) as Array<{ path: number[] }>)[0].path;

describe('ledger.path: the ancestors of a ledger and itself, kept by the database (organisation scope)', () => {
  it('when ledgers are inserted under each other, then each path is its ancestors root first and itself', async () => {
    const root = await ledger('P-ROOT');
    const mid = await ledger('P-MID', 'P-ROOT');
    const leaf = await ledger('P-LEAF', 'P-MID');
    expect(await pathOf('P-LEAF')).toEqual([root, mid, leaf]);
    const sub = (await t.ds.query(`SELECT code FROM ledger WHERE path @> ARRAY[$1::int] ORDER BY code`, [mid])) as Array<{ code: string }>;
    expect(sub.map((s) => s.code)).toEqual(['P-LEAF', 'P-MID']);
  });

  it('when a ledger moves under another parent, then its whole subtree follows', async () => {
    const other = await ledger('P-OTHER');
    await t.ds.query(`UPDATE ledger SET parent_id = $1 WHERE code = 'P-MID'`, [other]);
    const [root, mid, leaf] = [(await pathOf('P-ROOT'))[0], (await pathOf('P-MID')).at(-1)!, (await pathOf('P-LEAF')).at(-1)!];
    expect(await pathOf('P-MID')).toEqual([other, mid]);
    expect(await pathOf('P-LEAF')).toEqual([other, mid, leaf]);
    expect(await pathOf('P-ROOT')).toEqual([root]);
  });

  it('when a ledger would sit under its own descendant, or its path is written by hand, then the database refuses', async () => {
    await expect(t.ds.query(`UPDATE ledger SET parent_id = (SELECT id FROM ledger WHERE code = 'P-LEAF') WHERE code = 'P-MID'`)).rejects.toThrow(/descendant/);
    await expect(t.ds.query(`UPDATE ledger SET path = ARRAY[1] WHERE code = 'P-LEAF'`)).rejects.toThrow(/kept by its triggers/);
  });
});
