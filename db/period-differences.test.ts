import { Client } from 'pg';
import { federationReadiness } from '../books/federation-readiness';
import { addSubledgerEntry, addVoucher, createLedger } from '../test/fixtures/books';
import { useTestDatabase } from '../test/helpers/database';

/**
 * The differences the federation board counts (migration PeriodDifferences): each ledger's trial
 * balance and each control account against its sub-ledger, kept by the database as the lines,
 * entries and accounts change. Every test compares the kept rows with a recount from the rows
 * themselves (lines, entries, accounts — not the tallies), and the board's counts with the
 * counts the board made before it read them (the recount over the tallies).
 */
const PERIOD = '2026-09';
const NEXT = '2026-10';

const t = useTestDatabase(6);

type Row = { ledger_id: number; period: string; account_code?: string; difference: string };

/** What the database keeps, every ledger and period. */
async function kept(): Promise<{ trial: Row[]; control: Row[] }> {
  return {
    trial: (await t.ds.query(`SELECT ledger_id, period::text, difference::text FROM period_trial_difference ORDER BY 1, 2`)) as Row[],
    control: (await t.ds.query(`SELECT ledger_id, period::text, account_code, difference::text FROM period_control_difference ORDER BY 1, 2, 3`)) as Row[],
  };
}

/** The same, recounted from scratch from the lines, the entries and the accounts. */
async function recounted(): Promise<{ trial: Row[]; control: Row[] }> {
  return {
    trial: (await t.ds.query(
      `SELECT ledger_id, period::text, sum(debit - credit)::text AS difference FROM voucher_line
       GROUP BY 1, 2 HAVING sum(debit - credit) <> 0 ORDER BY 1, 2`,
    )) as Row[],
    control: (await t.ds.query(
      `SELECT a.ledger_id, x.period::text, a.code AS account_code, sum(x.amount)::text AS difference
       FROM account a
       CROSS JOIN LATERAL (
         SELECT l.period, l.debit - l.credit AS amount FROM voucher_line l WHERE l.ledger_id = a.ledger_id AND l.account_code = a.code
         UNION ALL
         SELECT e.period, -e.amount FROM subledger_entry e WHERE e.ledger_id = a.ledger_id AND e.subledger = a.control_of) x
       WHERE a.control_of IS NOT NULL
       GROUP BY 1, 2, 3 HAVING sum(x.amount) <> 0 ORDER BY 1, 2, 3`,
    )) as Row[],
  };
}

/**
 * The board's two counts as it made them before the kept rows (per ledger of the subtree: control
 * accounts whose movement differs from their sub-ledger's total, and 1 when the trial balance does
 * not balance), from the tallies.
 */
async function countedBefore(parentId: number, period: string): Promise<Record<string, Record<string, number>>> {
  const found = (await t.ds.query(
    `WITH ledgers AS (SELECT l.id, l.code FROM ledger l WHERE l.path @> ARRAY[$1::int] AND l.id <> $1 AND l.active AND l.first_period <= $2)
     SELECT l.code, 'SUBLEDGER_UNRECONCILED' AS what, count(*)::int AS n
     FROM account a JOIN ledgers l ON l.id = a.ledger_id
     LEFT JOIN period_account_total t ON t.ledger_id = a.ledger_id AND t.period = $2 AND t.account_code = a.code
     LEFT JOIN subledger_total s ON s.ledger_id = a.ledger_id AND s.period = $2 AND s.subledger = a.control_of
     WHERE a.control_of IS NOT NULL AND coalesce(t.debit - t.credit, 0) <> coalesce(s.amount, 0) GROUP BY 1
     UNION ALL
     SELECT l.code, 'TRIAL_BALANCE_UNBALANCED', 1 FROM period_account_total t JOIN ledgers l ON l.id = t.ledger_id
     WHERE t.period = $2 GROUP BY 1 HAVING sum(t.debit) <> sum(t.credit)`,
    [parentId, period],
  )) as Array<{ code: string; what: string; n: number }>;
  const counts: Record<string, Record<string, number>> = {};
  for (const r of found) (counts[r.code] ??= {})[r.what] = r.n;
  return counts;
}

/** The board's answer for those two codes, per ledger (as the API answers it). */
async function onTheBoard(parentCode: string, period: string): Promise<Record<string, Record<string, number>>> {
  const board = await federationReadiness(t.ds, parentCode, period, { limit: 500 });
  const counts: Record<string, Record<string, number>> = {};
  for (const item of board.items)
    for (const code of ['SUBLEDGER_UNRECONCILED', 'TRIAL_BALANCE_UNBALANCED'])
      if (item.counts[code] !== undefined) (counts[item.ledger] ??= {})[code] = Number(item.counts[code]);
  return counts;
}

async function expectKeptEqualsRecount(): Promise<void> {
  expect(await kept()).toEqual(await recounted());
}

const controlLines = (account: string, amount: number, against = '102') =>
  amount > 0
    ? [
        { account, debit: amount, memo: 'x' },
        { account: against, credit: amount },
      ]
    : [
        { account, credit: -amount, memo: 'x' },
        { account: against, debit: -amount },
      ];

describe('the differences the federation board counts (period_trial_difference, period_control_difference)', () => {
  let fed: { id: number; code: string };
  let a: { id: number; code: string };
  let b: { id: number; code: string };

  beforeAll(async () => {
    fed = await createLedger(t.ds, { code: 'PD-FED', firstPeriod: PERIOD });
    a = await createLedger(t.ds, { code: 'PD-A', parentCode: 'PD-FED', firstPeriod: PERIOD });
    b = await createLedger(t.ds, { code: 'PD-B', parentCode: 'PD-FED', firstPeriod: PERIOD });
    await t.ds.query(`INSERT INTO period (ledger_id, period, state) VALUES ($1, $3, 'open'), ($2, $3, 'open')`, [a.id, b.id, NEXT]);
  });

  it('when lines, entries and accounts change in a mixed sequence, then after every step the kept rows equal a recount and the board counts as before', async () => {
    const step = async () => {
      await expectKeptEqualsRecount();
      for (const period of [PERIOD, NEXT]) expect(await onTheBoard('PD-FED', period)).toEqual(await countedBefore(fed.id, period));
    };
    await step();
    expect(await kept()).toEqual({ trial: [], control: [] });

    // A receivable booked on its control account (112) without its sub-ledger entry: one difference.
    const v1 = await addVoucher(t.ds, { ledgerId: a.id, period: PERIOD, lines: controlLines('112', 500_00) });
    await step();
    expect((await kept()).control).toEqual([{ ledger_id: a.id, period: PERIOD, account_code: '112', difference: '50000' }]);
    expect(await onTheBoard('PD-FED', PERIOD)).toEqual({ 'PD-A': { SUBLEDGER_UNRECONCILED: 1 } });

    // Its entry: reconciled, no row left.
    const e1 = await addSubledgerEntry(t.ds, { ledgerId: a.id, period: PERIOD, subledger: 'receivables', amount: 500_00 });
    await step();
    expect(await kept()).toEqual({ trial: [], control: [] });

    // Payables on both ledgers and both periods; entries in several rows, one statement.
    await addVoucher(t.ds, { ledgerId: a.id, period: PERIOD, lines: controlLines('201', -300_00) });
    await addVoucher(t.ds, { ledgerId: b.id, period: NEXT, lines: controlLines('201', -120_00) });
    await addVoucher(t.ds, { ledgerId: b.id, period: PERIOD, lines: [...controlLines('204', -80_00), ...controlLines('113', 45_00, '501')] });
    await t.ds.query(
      `INSERT INTO subledger_entry (ledger_id, period, subledger, reference, amount)
       VALUES ($1, $3, 'payables', 'P1', -10000), ($1, $3, 'payables', 'P2', -20000), ($2, $4, 'payables', 'P3', -12000), ($2, $3, 'invoices', 'I1', 4000)`,
      [a.id, b.id, PERIOD, NEXT],
    );
    await step();

    // Amounts edited on both sides of a voucher in one statement; an entry's amount and sub-ledger changed.
    await t.ds.query(
      `UPDATE voucher_line SET debit = CASE WHEN debit > 0 THEN 60000 ELSE 0 END, credit = CASE WHEN credit > 0 THEN 60000 ELSE 0 END WHERE voucher_id = $1`,
      [v1.id],
    );
    await step();
    await t.ds.query(`UPDATE subledger_entry SET amount = 60000 WHERE id = $1`, [e1.id]);
    await step();
    await t.ds.query(`UPDATE subledger_entry SET subledger = 'invoices', amount = 500 WHERE reference = 'I1'`);
    await step();
    await t.ds.query(`UPDATE subledger_entry SET subledger = 'receivables' WHERE reference = 'P2'`);
    await step();

    // A line moved off a control account, and one onto it.
    await t.ds.query(`UPDATE voucher_line SET account_code = '501' WHERE voucher_id = $1 AND account_code = '112'`, [v1.id]);
    await step();
    await t.ds.query(`UPDATE voucher_line SET account_code = '112' WHERE voucher_id = $1 AND account_code = '501'`, [v1.id]);
    await step();

    // The chart changes: invoices' control moves from 113 to a new account, then back; a control account removed.
    await t.ds.query(`UPDATE account SET control_of = NULL WHERE ledger_id = $1 AND code = '113'`, [b.id]);
    await step();
    await t.ds.query(`INSERT INTO account (ledger_id, code, name, class, control_of) VALUES ($1, '1131', '开票应收款（新）', 'asset', 'invoices')`, [b.id]);
    await step();
    await t.ds.query(`UPDATE account SET control_of = NULL WHERE ledger_id = $1 AND code = '1131'`, [b.id]);
    await t.ds.query(`UPDATE account SET control_of = 'invoices' WHERE ledger_id = $1 AND code = '113'`, [b.id]);
    await step();
    await t.ds.query(`UPDATE account SET name = '开票应收款（改名）' WHERE ledger_id = $1 AND control_of IS NOT NULL`, [b.id]);
    await step();
    await t.ds.query(`DELETE FROM account WHERE ledger_id = $1 AND code = '1131'`, [b.id]);
    await step();

    // Vouchers deleted (their lines by cascade), entries deleted.
    await t.ds.query(`DELETE FROM voucher WHERE id = $1`, [v1.id]);
    await step();
    await t.ds.query(`DELETE FROM subledger_entry WHERE reference IN ('P1', 'P3')`);
    await step();
    expect((await kept()).control.length).toBeGreaterThan(0);

    // A trial balance that does not balance can only be made with the balance rule off (BK002): the kept row follows it.
    await t.ds.query(`ALTER TABLE voucher_line DISABLE TRIGGER voucher_line_guard_insert`);
    try {
      const v = await addVoucher(t.ds, { ledgerId: a.id, period: NEXT, lines: [{ account: '501', debit: 1 }] });
      await step();
      expect((await kept()).trial).toEqual([{ ledger_id: a.id, period: NEXT, difference: '1' }]);
      expect((await onTheBoard('PD-FED', NEXT))['PD-A']).toEqual({ TRIAL_BALANCE_UNBALANCED: 1 });
      await t.ds.query(`DELETE FROM voucher WHERE id = $1`, [v.id]);
      await step();
      expect((await kept()).trial).toEqual([]);
    } finally {
      await t.ds.query(`ALTER TABLE voucher_line ENABLE TRIGGER voucher_line_guard_insert`);
    }
  });

  it('when the kept rows are written directly, then the database refuses (BK006)', async () => {
    await expect(t.ds.query(`INSERT INTO period_control_difference VALUES ($1, $2, '112', 1)`, [a.id, PERIOD])).rejects.toMatchObject({
      driverError: { code: 'BK006' },
    });
    await expect(t.ds.query(`INSERT INTO period_trial_difference VALUES ($1, $2, 1)`, [a.id, PERIOD])).rejects.toMatchObject({
      driverError: { code: 'BK006' },
    });
    const [some] = (await t.ds.query(`SELECT ledger_id, account_code FROM period_control_difference LIMIT 1`)) as Array<{
      ledger_id: number;
      account_code: string;
    }>;
    await expect(
      t.ds.query(`UPDATE period_control_difference SET difference = 0 WHERE ledger_id = $1 AND account_code = $2`, [some!.ledger_id, some!.account_code]),
    ).rejects.toMatchObject({ driverError: { code: 'BK006' } });
  });

  it('when writers of lines, entries and the chart race on one ledger’s control accounts, then the kept rows equal a recount after all commit', async () => {
    const ledger = await createLedger(t.ds, { code: 'PD-RACE', parentCode: 'PD-FED', firstPeriod: PERIOD });
    const clients = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const c = new Client({ connectionString: t.db.url });
        await c.connect();
        return c;
      }),
    );
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    let number = 1000;
    const voucher = async (c: Client, lines: Array<[string, number, number]>) => {
      await c.query(
        `WITH v AS (INSERT INTO voucher (ledger_id, period, number, voucher_date, preparer, approver, state, approved_at, posted_at)
                    VALUES ($1::int, $2::text, $3::int, to_date($2::text || '-20', 'YYYY-MM-DD'), 'racer', 'racer-approver', 'posted', now(), now()) RETURNING id)
         INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit)
         SELECT v.id, $1::int, $2::text, x.n, x.a, x.d, x.c FROM v, unnest($4::text[], $5::bigint[], $6::bigint[]) WITH ORDINALITY AS x(a, d, c, n)`,
        [ledger.id, PERIOD, number++, lines.map((l) => l[0]), lines.map((l) => l[1]), lines.map((l) => l[2])],
      );
    };
    const entry = (c: Client, subledger: string, amount: number) =>
      c.query(`INSERT INTO subledger_entry (ledger_id, period, subledger, reference, amount) VALUES ($1, $2, $3, $4, $5)`, [
        ledger.id,
        PERIOD,
        subledger,
        `R-${number++}`,
        amount,
      ]);
    let conflicts = 0;
    const inTransaction = async (c: Client, work: () => Promise<void>) => {
      await c.query('BEGIN');
      try {
        await work();
        await pause(Math.random() * 15);
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK');
        if (!['40P01', '40001'].includes((err as { code?: string }).code ?? '')) throw err;
        conflicts++;
      }
    };
    try {
      // A deterministic interleaving first: a writer of lines holds its transaction open while the
      // chart makes its account a control account; an entry writer arrives while the chart change waits.
      const [w, chart, e] = clients as [Client, Client, Client];
      await w.query('BEGIN');
      await voucher(w, [
        ['501', 700, 0],
        ['112', 0, 700],
      ]);
      await chart.query('BEGIN');
      // Both wait for the writer's commit (queued on the connection): the first takes the lock.
      const unmaking = chart.query(`UPDATE account SET control_of = NULL WHERE ledger_id = $1 AND code = '112'`, [ledger.id]);
      const moving = chart.query(`UPDATE account SET control_of = 'receivables' WHERE ledger_id = $1 AND code = '501'`, [ledger.id]);
      await pause(100);
      await e.query('BEGIN');
      const entering = entry(e, 'receivables', 300);
      await pause(100);
      await w.query('COMMIT');
      await unmaking;
      await moving;
      await chart.query('COMMIT');
      await entering;
      await e.query('COMMIT');
      await expectKeptEqualsRecount();

      // Then writers at random: lines on control and plain accounts, entries, edits and deletions,
      // and the chart moving a control account, each transaction held open a random while.
      const accounts = ['112', '113', '201', '204', '501', '102'];
      const subledgers = ['receivables', 'payables', 'invoices', 'reimbursements'];
      const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
      await Promise.all(
        clients.map(async (c, k) => {
          for (let i = 0; i < 25; i++) {
            const roll = Math.random();
            await inTransaction(c, async () => {
              if (roll < 0.35) {
                const amount = 100 + Math.floor(Math.random() * 900);
                await voucher(c, [
                  [pick(accounts), amount, 0],
                  [pick(accounts), 0, amount],
                ]);
              } else if (roll < 0.65) {
                await entry(c, pick(subledgers), (Math.random() < 0.5 ? -1 : 1) * (100 + Math.floor(Math.random() * 900)));
              } else if (roll < 0.75) {
                await c.query(
                  `UPDATE subledger_entry SET amount = amount + 7 WHERE id = (SELECT id FROM subledger_entry WHERE ledger_id = $1 ORDER BY random() LIMIT 1)`,
                  [ledger.id],
                );
              } else if (roll < 0.85) {
                await c.query(`DELETE FROM voucher WHERE id = (SELECT id FROM voucher WHERE ledger_id = $1 AND preparer = 'racer' ORDER BY random() LIMIT 1)`, [
                  ledger.id,
                ]);
              } else if (k === 0) {
                // The receivables' control account moves between 112 and 501 (two statements: one control per sub-ledger).
                const [now] = (await c.query(`SELECT code FROM account WHERE ledger_id = $1 AND control_of = 'receivables'`, [ledger.id])).rows as Array<{
                  code: string;
                }>;
                await c.query(`UPDATE account SET control_of = NULL WHERE ledger_id = $1 AND code = $2`, [ledger.id, now!.code]);
                await c.query(`UPDATE account SET control_of = 'receivables' WHERE ledger_id = $1 AND code = $2`, [
                  ledger.id,
                  now!.code === '112' ? '501' : '112',
                ]);
              } else {
                await c.query(`DELETE FROM subledger_entry WHERE id = (SELECT id FROM subledger_entry WHERE ledger_id = $1 ORDER BY random() LIMIT 1)`, [
                  ledger.id,
                ]);
              }
            });
          }
        }),
      );
      await expectKeptEqualsRecount();
      expect(await onTheBoard('PD-FED', PERIOD)).toEqual(await countedBefore(fed.id, PERIOD));
      // Deadlocks between writers of different control accounts are possible (the loser retries, as a client would); few, if any.
      expect(conflicts).toBeLessThan(25);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  }, 120_000);

  it('when the entries or the lines are emptied (TRUNCATE), then everything is recounted', async () => {
    await addVoucher(t.ds, { ledgerId: a.id, period: PERIOD, lines: controlLines('112', 10_00) });
    await addSubledgerEntry(t.ds, { ledgerId: a.id, period: PERIOD, subledger: 'payables', amount: -5_00 });
    await t.ds.query(`TRUNCATE subledger_entry`);
    await expectKeptEqualsRecount();
    expect((await kept()).control.length).toBeGreaterThan(0);
    await t.ds.query(`TRUNCATE voucher_line`);
    await expectKeptEqualsRecount();
    expect(await kept()).toEqual({ trial: [], control: [] });
  });
});
