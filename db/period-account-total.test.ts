import { AppError } from '../lib/errors';
import { addVoucher, createLedger } from '../test/fixtures/books';
import { useTestDatabase } from '../test/helpers/database';
import { fromDatabaseError } from './pg-errors';

const PERIOD = '2026-09';

const t = useTestDatabase();

type Tally = Record<string, { lines: number; debit: string; credit: string; hash: string }>;

async function tally(ledgerId: number, period = PERIOD): Promise<Tally> {
  const found = (await t.ds.query(
    `SELECT account_code, lines::int, debit::text, credit::text, line_hash::text AS hash FROM period_account_total
     WHERE ledger_id = $1 AND period = $2 ORDER BY account_code`,
    [ledgerId, period],
  )) as Array<{ account_code: string; lines: number; debit: string; credit: string; hash: string }>;
  return Object.fromEntries(found.map((r) => [r.account_code, { lines: r.lines, debit: r.debit, credit: r.credit, hash: r.hash }]));
}

/** The same tally, recomputed from the lines themselves. */
async function recomputed(ledgerId: number, period = PERIOD): Promise<Tally> {
  const found = (await t.ds.query(
    `SELECT account_code, count(*)::int AS lines, sum(debit)::text AS debit, sum(credit)::text AS credit,
            sum(books_line_hash(id, voucher_id, account_code, debit, credit))::text AS hash
     FROM voucher_line WHERE ledger_id = $1 AND period = $2 GROUP BY account_code ORDER BY account_code`,
    [ledgerId, period],
  )) as Array<{ account_code: string; lines: number; debit: string; credit: string; hash: string }>;
  return Object.fromEntries(found.map((r) => [r.account_code, { lines: r.lines, debit: r.debit, credit: r.credit, hash: r.hash }]));
}

describe("the per-account tally of a period's lines (period_account_total)", () => {
  it('follows every insert, update and delete of lines, statement by statement, and equals a recomputation from the lines', async () => {
    const l = await createLedger(t.ds, { code: 'TALLY-1', firstPeriod: PERIOD });
    expect(await tally(l.id)).toEqual({});

    const v1 = await addVoucher(t.ds, {
      ledgerId: l.id,
      period: PERIOD,
      lines: [
        { account: '501', debit: 120_00 },
        { account: '102', credit: 120_00 },
      ],
    });
    await addVoucher(t.ds, {
      ledgerId: l.id,
      period: PERIOD,
      lines: [
        { account: '501', debit: 30_05 },
        { account: '102', credit: 30_05 },
      ],
    });
    const after = await tally(l.id);
    expect(after['501']).toMatchObject({ lines: 2, debit: '15005', credit: '0' });
    expect(after['102']).toMatchObject({ lines: 2, debit: '0', credit: '15005' });
    expect(after).toEqual(await recomputed(l.id));

    // An amount changed on both sides of a voucher in one statement.
    await t.ds.query(
      `UPDATE voucher_line SET debit = CASE WHEN debit > 0 THEN 10000 ELSE 0 END, credit = CASE WHEN credit > 0 THEN 10000 ELSE 0 END
                    WHERE voucher_id = $1`,
      [v1.id],
    );
    expect((await tally(l.id))['501']).toMatchObject({ lines: 2, debit: '13005' });
    expect(await tally(l.id)).toEqual(await recomputed(l.id));

    // A line moved to another account leaves the first account's tally and joins the other's.
    await t.ds.query(`UPDATE voucher_line SET account_code = '505' WHERE voucher_id = $1 AND account_code = '501'`, [v1.id]);
    expect((await tally(l.id))['505']).toMatchObject({ lines: 1, debit: '10000' });
    expect((await tally(l.id))['501']).toMatchObject({ lines: 1, debit: '3005' });
    expect(await tally(l.id)).toEqual(await recomputed(l.id));

    // Deleting a voucher deletes its lines by cascade; an account left with no lines has no tally row.
    await t.ds.query(`DELETE FROM voucher WHERE id = $1`, [v1.id]);
    const left = await tally(l.id);
    expect(left['505']).toBeUndefined();
    expect(left).toEqual(await recomputed(l.id));
    expect(Object.keys(left).sort()).toEqual(['102', '501']);
  });

  it('counts a bulk insert of many vouchers in one statement', async () => {
    const l = await createLedger(t.ds, { code: 'TALLY-2', firstPeriod: PERIOD });
    await t.ds.query(
      `WITH v AS (INSERT INTO voucher (ledger_id, period, number, voucher_date, preparer, approver, state, approved_at, posted_at)
                  SELECT $1, $2, g, '2026-09-10', 'p', 'a', 'posted', now(), now() FROM generate_series(1, 500) g RETURNING id, number)
       INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit)
       SELECT v.id, $1, $2, s.n, s.account, CASE WHEN s.n = 1 THEN v.number * 100 ELSE 0 END, CASE WHEN s.n = 2 THEN v.number * 100 ELSE 0 END
       FROM v CROSS JOIN (VALUES (1, '501'), (2, '102')) AS s(n, account)`,
      [l.id, PERIOD],
    );
    const counted = await tally(l.id);
    expect(counted['501']).toMatchObject({ lines: 500, debit: String((100 * (500 * 501)) / 2) });
    expect(counted).toEqual(await recomputed(l.id));
  });

  it('cannot be written directly (BK006, TALLY_DERIVED), and the attempt changes nothing', async () => {
    const l = await createLedger(t.ds, { code: 'TALLY-3', firstPeriod: PERIOD });
    await addVoucher(t.ds, {
      ledgerId: l.id,
      period: PERIOD,
      lines: [
        { account: '501', debit: 1_00 },
        { account: '102', credit: 1_00 },
      ],
    });
    const before = await tally(l.id);
    for (const sql of [
      `UPDATE period_account_total SET debit = debit + 1 WHERE ledger_id = $1`,
      `DELETE FROM period_account_total WHERE ledger_id = $1`,
      `INSERT INTO period_account_total (ledger_id, period, account_code, lines, debit, credit, line_hash) VALUES ($1, '2026-09', '505', 1, 1, 0, 0)`,
    ]) {
      const err = await t.ds.query(sql, [l.id]).then(
        () => null,
        (e: unknown) => e,
      );
      const mapped = fromDatabaseError(err);
      expect(mapped).toBeInstanceOf(AppError);
      expect((mapped as AppError).code).toBe('TALLY_DERIVED');
    }
    expect(await tally(l.id)).toEqual(before);
  });
});

describe('emptying the lines table (TRUNCATE)', () => {
  it('empties the tally with it', async () => {
    const l = await createLedger(t.ds, { code: 'TALLY-4', firstPeriod: PERIOD });
    await addVoucher(t.ds, {
      ledgerId: l.id,
      period: PERIOD,
      lines: [
        { account: '501', debit: 2_00 },
        { account: '102', credit: 2_00 },
      ],
    });
    expect(Object.keys(await tally(l.id))).toHaveLength(2);
    await t.ds.query(`TRUNCATE voucher_line`);
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM period_account_total`))[0].n).toBe(0);
  });
});

describe("the per-sub-ledger tally of a period's entries (subledger_total)", () => {
  async function subTally(ledgerId: number): Promise<Array<{ subledger: string; entries: number; amount: string }>> {
    return (await t.ds.query(`SELECT subledger, entries::int, amount::text FROM subledger_total WHERE ledger_id = $1 ORDER BY subledger`, [ledgerId])) as never;
  }
  async function subRecomputed(ledgerId: number): Promise<Array<{ subledger: string; entries: number; amount: string }>> {
    return (await t.ds.query(
      `SELECT subledger, count(*)::int AS entries, sum(amount)::text AS amount FROM subledger_entry WHERE ledger_id = $1
                            GROUP BY subledger ORDER BY subledger`,
      [ledgerId],
    )) as never;
  }

  it('follows inserts, updates and deletes of entries, and cannot be written directly', async () => {
    const l = await createLedger(t.ds, { code: 'SUBTALLY-1', firstPeriod: PERIOD });
    await t.ds.query(
      `INSERT INTO subledger_entry (ledger_id, period, subledger, reference, amount)
                    VALUES ($1, $2, 'receivables', 'R-1', 500), ($1, $2, 'receivables', 'R-2', -200), ($1, $2, 'payables', 'P-1', 70)`,
      [l.id, PERIOD],
    );
    expect(await subTally(l.id)).toEqual([
      { subledger: 'payables', entries: 1, amount: '70' },
      { subledger: 'receivables', entries: 2, amount: '300' },
    ]);
    await t.ds.query(`UPDATE subledger_entry SET subledger = 'payables', amount = 10 WHERE ledger_id = $1 AND reference = 'R-2'`, [l.id]);
    expect(await subTally(l.id)).toEqual(await subRecomputed(l.id));
    await t.ds.query(`DELETE FROM subledger_entry WHERE ledger_id = $1 AND subledger = 'receivables'`, [l.id]);
    expect(await subTally(l.id)).toEqual([{ subledger: 'payables', entries: 2, amount: '80' }]);
    expect(await subTally(l.id)).toEqual(await subRecomputed(l.id));

    const err = await t.ds.query(`UPDATE subledger_total SET amount = 0 WHERE ledger_id = $1`, [l.id]).then(
      () => null,
      (e: unknown) => e,
    );
    expect((fromDatabaseError(err) as AppError).code).toBe('TALLY_DERIVED');
    expect(await subTally(l.id)).toEqual([{ subledger: 'payables', entries: 2, amount: '80' }]);
  });
});

describe('two transactions that meet on the same tallies in opposite order', () => {
  it('end with one of them refused as DATABASE_CONFLICT (a deadlock, found by PostgreSQL), the other committed, and the tally equal to the lines', async () => {
    const l = await createLedger(t.ds, { code: 'TALLY-DEADLOCK', firstPeriod: PERIOD });
    const voucher = async (q: (sql: string, params: unknown[]) => Promise<unknown>, number: number, debitAccount: string, creditAccount: string) => {
      await q(
        `WITH v AS (INSERT INTO voucher (ledger_id, period, number, voucher_date, preparer, approver, state, approved_at, posted_at)
                    VALUES ($1, $2, $3, '2026-09-10', 'p', 'a', 'posted', now(), now()) RETURNING id)
         INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit)
         SELECT v.id, $1, $2, s.n, s.account, s.debit, s.credit FROM v,
                (VALUES (1, $4::text, 100::bigint, 0::bigint), (2, $5::text, 0::bigint, 100::bigint)) AS s(n, account, debit, credit)`,
        [l.id, PERIOD, number, debitAccount, creditAccount],
      );
    };
    const one = t.ds.createQueryRunner();
    const two = t.ds.createQueryRunner();
    await one.startTransaction();
    await two.startTransaction();
    try {
      await voucher((sql, p) => one.query(sql, p), 1, '501', '102'); // holds 102 and 501
      await voucher((sql, p) => two.query(sql, p), 2, '505', '201'); // holds 201 and 505
      const outcomes = await Promise.allSettled([
        voucher((sql, p) => one.query(sql, p), 3, '505', '201').then(() => one.commitTransaction()),
        voucher((sql, p) => two.query(sql, p), 4, '501', '102').then(() => two.commitTransaction()),
      ]);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect((fromDatabaseError(refused[0].reason) as AppError).code).toBe('DATABASE_CONFLICT');
    } finally {
      for (const runner of [one, two]) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    }
    const lines = (await t.ds.query(`SELECT count(*)::int AS n FROM voucher_line WHERE ledger_id = $1`, [l.id])) as Array<{ n: number }>;
    expect(lines[0].n).toBe(4);
    expect(await tally(l.id)).toEqual(await recomputed(l.id));
  });
});
