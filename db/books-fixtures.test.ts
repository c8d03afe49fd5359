import type { DataSource } from 'typeorm';
import { addVoucher, createLedger, ensurePeriod, recomputeTrialBalance } from '../test/fixtures/books';
import { createTestDatabase, type TestDatabase } from '../test/helpers/database';
import { unionChart } from './seed/chart';

/** The builders other tests rely on for precise books behave as they say. */
let db: TestDatabase;
let ds: DataSource;
beforeAll(async () => {
  db = await createTestDatabase(2);
  ds = db.dataSource;
});
afterAll(async () => {
  await db.destroy();
});

describe('test/fixtures/books', () => {
  it('when opening balances do not sum to zero or name an unknown account, then createLedger refuses and writes nothing', async () => {
    await expect(createLedger(ds, { code: 'ODD', firstPeriod: '2026-09', openingBalances: { '102': 100, '301': -99 } })).rejects.toThrow(
      'opening balances of ODD sum to 1 fen, not zero',
    );
    await expect(createLedger(ds, { code: 'ODD', firstPeriod: '2026-09', openingBalances: { '999': 0 } })).rejects.toThrow('account 999 is not in the chart');
    await expect(createLedger(ds, { code: 'ODD', firstPeriod: '2026-09', openingBalances: { '102': 1.5, '301': -1.5 } })).rejects.toThrow(
      'not a whole number of fen',
    );
    await expect(createLedger(ds, { code: 'ODD', firstPeriod: '2026-09', parentCode: 'NOPE' })).rejects.toThrow('no parent ledger NOPE');
    expect(await ds.query(`SELECT count(*)::int AS n FROM ledger WHERE code = 'ODD'`)).toEqual([{ n: 0 }]);
  });

  it('when a ledger is created under a parent, then it has the chart, its open first period and an opening row for every account', async () => {
    const parent = await createLedger(ds, { code: 'P', firstPeriod: '2026-09' });
    const child = await createLedger(ds, { code: 'C', parentCode: 'P', firstPeriod: '2026-09', openingBalances: { '102': 10_000n, '301': -10_000n } });
    const [row] = (await ds.query(
      `SELECT l.parent_id, length(l.taxpayer_id) AS tax_id_length, (SELECT count(*)::int FROM account WHERE ledger_id = l.id) AS accounts,
              (SELECT count(*)::int FROM balance WHERE ledger_id = l.id AND period = '2026-09') AS openings,
              (SELECT state FROM period WHERE ledger_id = l.id AND period = '2026-09') AS state
       FROM ledger l WHERE l.id = $1`,
      [child.id],
    )) as unknown[];
    expect(row).toEqual({ parent_id: parent.id, tax_id_length: 18, accounts: unionChart.length, openings: unionChart.length, state: 'open' });
  });

  it('when vouchers are added, then they are numbered per ledger and period, and the trial balance counts posted vouchers only, with or without carry-forward', async () => {
    const l = await createLedger(ds, { code: 'TB', firstPeriod: '2026-09', openingBalances: { '102': 5_000_00, '301': -5_000_00 } });
    await ensurePeriod(ds, l.id, '2026-10');
    const first = await addVoucher(ds, {
      ledgerId: l.id,
      period: '2026-09',
      lines: [
        { account: '102', debit: 300_00 },
        { account: '401', credit: 300_00 },
      ],
    });
    const second = await addVoucher(ds, {
      ledgerId: l.id,
      period: '2026-09',
      lines: [
        { account: '501', debit: 120_55n },
        { account: '102', credit: 120_55n },
      ],
    });
    const draft = await addVoucher(ds, {
      ledgerId: l.id,
      period: '2026-09',
      state: 'draft',
      lines: [
        { account: '507', debit: 9 },
        { account: '102', credit: 9 },
      ],
    });
    const october = await addVoucher(ds, {
      ledgerId: l.id,
      period: '2026-10',
      date: '2026-10-02',
      lines: [
        { account: '102', debit: 1 },
        { account: '401', credit: 1 },
      ],
    });
    await addVoucher(ds, {
      ledgerId: l.id,
      period: '2026-09',
      preparer: 'system:close',
      approver: 'fm',
      source: { type: 'carry_forward', id: 1 },
      lines: [
        { account: '401', debit: 300_00 },
        { account: '501', credit: 120_55 },
        { account: '302', credit: 179_45 },
      ],
    });
    expect([first.number, second.number, draft.number, october.number]).toEqual([1, 2, 3, 1]);

    const withCarry = await recomputeTrialBalance(ds, l.id, '2026-09');
    expect(Object.keys(withCarry)).toHaveLength(unionChart.length);
    expect(withCarry['102']).toEqual({ opening: 5_000_00n, debit: 300_00n, credit: 120_55n, closing: 5_179_45n });
    expect(withCarry['401']).toEqual({ opening: 0n, debit: 300_00n, credit: 300_00n, closing: 0n });
    expect(withCarry['302']).toEqual({ opening: 0n, debit: 0n, credit: 179_45n, closing: -179_45n });
    expect(withCarry['507']).toEqual({ opening: 0n, debit: 0n, credit: 0n, closing: 0n });
    const withoutCarry = await recomputeTrialBalance(ds, l.id, '2026-09', { carryForward: false });
    expect(withoutCarry['401']).toEqual({ opening: 0n, debit: 0n, credit: 300_00n, closing: -300_00n });
    expect(withoutCarry['501']).toEqual({ opening: 0n, debit: 120_55n, credit: 0n, closing: 120_55n });
  });
});
