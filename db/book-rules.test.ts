import { Client } from 'pg';
import { AppError, isRetryableCode } from '../lib/errors';
import { addReimbursement, addVoucher, createLedger } from '../test/fixtures/books';
import { useTestDatabase } from '../test/helpers/database';
import { fromDatabaseError } from './pg-errors';
import { inBooksTransaction } from './session';

const PERIOD = '2026-09';
const balanced = [
  { account: '501', debit: 120_00 },
  { account: '102', credit: 120_00 },
];

const t = useTestDatabase();

/** A fingerprint of every row a ledger has in the voucher tables and the audit log. */
async function fingerprint(ledgerId: number): Promise<string> {
  const [row] = (await t.ds.query(
    `SELECT (SELECT coalesce(md5(string_agg(v::text, '|' ORDER BY v.id)), '') FROM voucher v WHERE ledger_id = $1)
         || (SELECT coalesce(md5(string_agg(l::text, '|' ORDER BY l.id)), '') FROM voucher_line l WHERE ledger_id = $1)
         || (SELECT count(*)::text FROM audit_log) AS print`,
    [ledgerId],
  )) as Array<{ print: string }>;
  return row!.print;
}

function appCodeOf(err: unknown): string | undefined {
  const mapped = fromDatabaseError(err);
  return mapped instanceof AppError ? mapped.code : undefined;
}

describe('a voucher balances (BK002)', () => {
  it('when a voucher is written with lines that do not balance, then it fails with BK002 and neither the voucher nor its lines exist', async () => {
    const l = await createLedger(t.ds, { code: 'UNBAL-1', firstPeriod: PERIOD });
    const before = await fingerprint(l.id);
    const err = await addVoucher(t.ds, {
      ledgerId: l.id,
      period: PERIOD,
      lines: [
        { account: '501', debit: 100_00 },
        { account: '102', credit: 99_99 },
      ],
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ driverError: { code: 'BK002' } });
    expect(String((err as Error).message)).toMatch(/does not balance: debits 10000 and credits 9999/);
    expect(appCodeOf(err)).toBe('VOUCHER_UNBALANCED');
    expect(await fingerprint(l.id)).toBe(before);
  });

  it('when lines are written by a direct SQL INSERT that does not balance, or one line per statement, then each statement is rejected and nothing is written', async () => {
    const l = await createLedger(t.ds, { code: 'UNBAL-2', firstPeriod: PERIOD });
    const v = await addVoucher(t.ds, { ledgerId: l.id, period: PERIOD, state: 'draft', lines: [] });
    const before = await fingerprint(l.id);
    await expect(
      t.ds.query(
        `INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit)
       VALUES ($1, $2, $3, 1, '501', 500, 0), ($1, $2, $3, 2, '102', 0, 400)`,
        [v.id, l.id, PERIOD],
      ),
    ).rejects.toMatchObject({ driverError: { code: 'BK002' } });
    await expect(
      t.ds.query(`INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit) VALUES ($1, $2, $3, 1, '501', 500, 0)`, [
        v.id,
        l.id,
        PERIOD,
      ]),
    ).rejects.toMatchObject({ driverError: { code: 'BK002' } });
    expect(await fingerprint(l.id)).toBe(before);
  });

  it('when an UPDATE changes one side of a balanced voucher, then it is rejected with BK002 and the line keeps its amount', async () => {
    const l = await createLedger(t.ds, { code: 'UNBAL-3', firstPeriod: PERIOD });
    const v = await addVoucher(t.ds, { ledgerId: l.id, period: PERIOD, lines: balanced });
    const before = await fingerprint(l.id);
    await expect(t.ds.query(`UPDATE voucher_line SET debit = debit + 1 WHERE voucher_id = $1 AND line_no = 1`, [v.id])).rejects.toMatchObject({
      driverError: { code: 'BK002' },
    });
    expect(await fingerprint(l.id)).toBe(before);
  });
});

describe("the balance check reads only the written vouchers' lines (BK002)", () => {
  /**
   * Lines of voucher_line the lines' guard read while `sql` ran in a fresh session planned with
   * `settings`: from the guard statement's plan, as auto_explain tells it to the client.
   */
  async function linesTheGuardRead(sql: string, params: unknown[], settings: string): Promise<number> {
    const client = new Client({ connectionString: t.db.url });
    const plans: string[] = [];
    client.on('notice', (n) => plans.push(n.message ?? ''));
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(settings);
      await client.query(`LOAD 'auto_explain'`);
      await client.query(
        'SET LOCAL auto_explain.log_min_duration = 0; SET LOCAL auto_explain.log_analyze = on; SET LOCAL auto_explain.log_nested_statements = on; SET LOCAL client_min_messages = log',
      );
      await client.query(sql, params);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    const guard = plans.filter((p) => p.includes('FROM changed_lines') && p.includes('voucher_line l'));
    expect(guard.length).toBeGreaterThan(0);
    let read = 0;
    for (const node of guard.join('\n').matchAll(/on voucher_line l .*actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+) loops=(\d+)/g))
      read += Number(node[1]) * Number(node[2]);
    return read;
  }

  it('when one voucher is written beside thousands of lines, then its check reads its own lines, however the planner leans', async () => {
    const l = await createLedger(t.ds, { code: 'GUARD-READS', firstPeriod: PERIOD });
    await t.ds.query(
      `WITH v AS (
         INSERT INTO voucher (ledger_id, period, number, voucher_date, preparer, approver, state, approved_at, posted_at)
         SELECT $1, $2, g, '2026-09-15', 'preparer', 'approver', 'posted', now(), now() FROM generate_series(1, 1500) g RETURNING id)
       INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit)
       SELECT v.id, $1, $2, n, CASE n WHEN 1 THEN '501' ELSE '102' END, CASE n WHEN 1 THEN 100 ELSE 0 END, CASE n WHEN 1 THEN 0 ELSE 100 END
       FROM v CROSS JOIN generate_series(1, 2) n`,
      [l.id, PERIOD],
    );
    const oneVoucher = `WITH v AS (
        INSERT INTO voucher (ledger_id, period, number, voucher_date, preparer, approver, state, approved_at, posted_at)
        VALUES ($1, $2, 9999, '2026-09-15', 'preparer', 'approver', 'posted', now(), now()) RETURNING id)
      INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit)
      SELECT v.id, $1, $2, n, CASE n WHEN 1 THEN '501' ELSE '102' END, CASE n WHEN 1 THEN 7 ELSE 0 END, CASE n WHEN 1 THEN 0 ELSE 7 END
      FROM v CROSS JOIN generate_series(1, 2) n`;
    // A planner that prefers merging whole indexes (as one without statistics may) must not make the check read the table.
    for (const settings of ['SET LOCAL enable_hashjoin = off; SET LOCAL enable_nestloop = off', 'SET LOCAL enable_mergejoin = off', 'SELECT 1']) {
      expect(await linesTheGuardRead(oneVoucher, [l.id, PERIOD], settings)).toBe(2);
    }
  });
});

describe('a voucher balances after every DELETE and UPDATE too (BK002)', () => {
  const twoLine = (code: string, state: 'posted' | 'draft' = 'posted') =>
    createLedger(t.ds, { code, firstPeriod: PERIOD }).then(async (l) => ({
      l,
      v: await addVoucher(t.ds, { ledgerId: l.id, period: PERIOD, state, lines: balanced }),
    }));

  it('when one line of a two-line voucher is deleted, then the statement is rejected and both lines stay', async () => {
    const { l, v } = await twoLine('DEL-1');
    const before = await fingerprint(l.id);
    const err = await t.ds.query(`DELETE FROM voucher_line WHERE voucher_id = $1 AND line_no = 2`, [v.id]).catch((e: unknown) => e);
    expect(err).toMatchObject({ driverError: { code: 'BK002' } });
    expect(String((err as Error).message)).toMatch(/does not balance after the delete: debits 12000 and credits 0/);
    expect(await fingerprint(l.id)).toBe(before);
  });

  it('when every line of a posted voucher is deleted, then it is rejected: a voucher past its draft keeps its lines', async () => {
    const { l, v } = await twoLine('DEL-2');
    const before = await fingerprint(l.id);
    const err = await t.ds.query(`DELETE FROM voucher_line WHERE voucher_id = $1`, [v.id]).catch((e: unknown) => e);
    expect(err).toMatchObject({ driverError: { code: 'BK002' } });
    expect(String((err as Error).message)).toMatch(/is posted and would be left without lines/);
    expect(await fingerprint(l.id)).toBe(before);
  });

  it('when a draft loses all its lines, or a voucher is deleted with its lines, then both are allowed', async () => {
    const { v: draft } = await twoLine('DEL-3', 'draft');
    await t.ds.query(`DELETE FROM voucher_line WHERE voucher_id = $1`, [draft.id]);
    const { l, v } = await twoLine('DEL-4');
    await t.ds.query(`DELETE FROM voucher WHERE id = $1`, [v.id]);
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM voucher_line WHERE ledger_id = $1`, [l.id])).toEqual([{ n: 0 }]);
  });

  it('when an UPDATE moves a line to another voucher, then the voucher it left must still balance', async () => {
    const { l, v } = await twoLine('MOVE-1');
    const other = await addVoucher(t.ds, { ledgerId: l.id, period: PERIOD, lines: balanced });
    const before = await fingerprint(l.id);
    await expect(
      t.ds.query(`UPDATE voucher_line SET voucher_id = $2, line_no = 9 WHERE voucher_id = $1 AND line_no = 1`, [v.id, other.id]),
    ).rejects.toMatchObject({ driverError: { code: 'BK002' } });
    expect(await fingerprint(l.id)).toBe(before);
  });
});

describe('emptying a table of the books (TRUNCATE)', () => {
  it('when any period is closed, then TRUNCATE of any book table is refused with BK001', async () => {
    const l = await createLedger(t.ds, { code: 'TRUNC-1', firstPeriod: PERIOD });
    await addVoucher(t.ds, { ledgerId: l.id, period: PERIOD, lines: balanced });
    await t.ds.query(`UPDATE period SET state = 'closed', closed_by = 'x', closed_at = now() WHERE ledger_id = $1`, [l.id]);
    for (const table of ['voucher_line', 'voucher CASCADE', 'reimbursement', 'fund_transfer', 'invoice', 'subledger_entry', 'balance']) {
      await expect(t.ds.query(`TRUNCATE ${table}`)).rejects.toMatchObject({ driverError: { code: 'BK001' } });
    }
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM voucher_line WHERE ledger_id = $1`, [l.id])).toEqual([{ n: 2 }]);
  });
});

describe('an invoice edited after the tax platform confirmed it', () => {
  it("when a matched invoice's reported fields change, then it awaits confirmation again; a change of its sync state alone does not", async () => {
    const l = await createLedger(t.ds, { code: 'RESYNC-1', firstPeriod: PERIOD });
    const [inv] = (await t.ds.query(
      `INSERT INTO invoice (ledger_id, period, number, buyer_name, buyer_tax_id, seller_tax_id, amount, tax, invoice_date, sync_state)
       VALUES ($1, $2, 'FP-RESYNC', 'a', 'b', 'c', 100, 6, '2026-09-10', 'matched') RETURNING id`,
      [l.id, PERIOD],
    )) as Array<{ id: string }>;
    await t.ds.query(`UPDATE invoice SET voucher_id = NULL WHERE id = $1`, [inv!.id]);
    expect(await t.ds.query(`SELECT sync_state FROM invoice WHERE id = $1`, [inv!.id])).toEqual([{ sync_state: 'matched' }]);
    await t.ds.query(`UPDATE invoice SET buyer_name = 'changed' WHERE id = $1`, [inv!.id]);
    expect(await t.ds.query(`SELECT sync_state FROM invoice WHERE id = $1`, [inv!.id])).toEqual([{ sync_state: 'uploaded' }]);
    await t.ds.query(`UPDATE invoice SET sync_state = 'matched' WHERE id = $1`, [inv!.id]);
    expect(await t.ds.query(`SELECT sync_state FROM invoice WHERE id = $1`, [inv!.id])).toEqual([{ sync_state: 'matched' }]);
  });
});

describe('segregation of duties (不相容职务分离)', () => {
  it('when a voucher is approved by its own preparer, then the constraint rejects it, the error maps to SEGREGATION_OF_DUTIES, and nothing is written', async () => {
    const l = await createLedger(t.ds, { code: 'SOD-1', firstPeriod: PERIOD });
    const before = await fingerprint(l.id);
    const err = await addVoucher(t.ds, { ledgerId: l.id, period: PERIOD, preparer: 'li.na', approver: 'li.na', lines: balanced }).catch((e: unknown) => e);
    expect(err).toMatchObject({ driverError: { code: '23514', constraint: 'voucher_segregation_of_duties' } });
    expect(appCodeOf(err)).toBe('SEGREGATION_OF_DUTIES');
    expect(await fingerprint(l.id)).toBe(before);
  });

  it('when an UPDATE makes the preparer the approver, then it is rejected and the voucher keeps its approver', async () => {
    const l = await createLedger(t.ds, { code: 'SOD-2', firstPeriod: PERIOD });
    const v = await addVoucher(t.ds, { ledgerId: l.id, period: PERIOD, preparer: 'li.na', approver: 'zhou.qiang', lines: balanced });
    const before = await fingerprint(l.id);
    const err = await t.ds.query(`UPDATE voucher SET approver = preparer WHERE id = $1`, [v.id]).catch((e: unknown) => e);
    expect(err).toMatchObject({ driverError: { constraint: 'voucher_segregation_of_duties' } });
    expect(appCodeOf(err)).toBe('SEGREGATION_OF_DUTIES');
    expect(await fingerprint(l.id)).toBe(before);
  });
});

describe('a business document is posted once', () => {
  it('when a second voucher posts the same reimbursement, then the unique index rejects it and only the first voucher exists', async () => {
    const l = await createLedger(t.ds, { code: 'ONCE', firstPeriod: PERIOD });
    const claim = await addReimbursement(t.ds, { ledgerId: l.id, period: PERIOD, amount: 120_00, state: 'paid' });
    await addVoucher(t.ds, { ledgerId: l.id, period: PERIOD, source: { type: 'reimbursement', id: claim.id }, lines: balanced });
    const before = await fingerprint(l.id);
    await expect(addVoucher(t.ds, { ledgerId: l.id, period: PERIOD, source: { type: 'reimbursement', id: claim.id }, lines: balanced })).rejects.toMatchObject({
      driverError: { code: '23505', constraint: 'voucher_posts_source_once' },
    });
    expect(await fingerprint(l.id)).toBe(before);
  });
});

describe('the audit log', () => {
  it('when a voucher changes state inside inBooksTransaction, then an audit entry names the acting user, the voucher and both states', async () => {
    const l = await createLedger(t.ds, { code: 'AUDIT-1', firstPeriod: PERIOD });
    const v = await addVoucher(t.ds, { ledgerId: l.id, period: PERIOD, preparer: 'li.na', state: 'submitted', lines: balanced });
    await inBooksTransaction(t.ds, { actor: 'zhou.qiang' }, (em) =>
      em.query(`UPDATE voucher SET state = 'approved', approver = 'zhou.qiang', approved_at = now() WHERE id = $1`, [v.id]),
    );
    const entries = (await t.ds.query(`SELECT actor, action, target, period, details FROM audit_log WHERE ledger_id = $1 AND action LIKE 'voucher.%'`, [
      l.id,
    ])) as unknown[];
    expect(entries).toEqual([
      {
        actor: 'zhou.qiang',
        action: 'voucher.approved',
        target: String(v.id),
        period: PERIOD,
        details: { number: v.number, from: 'submitted', to: 'approved' },
      },
    ]);
  });

  it('when anyone updates or deletes an audit entry, then it is rejected with BK005 and the entry is unchanged', async () => {
    const l = await createLedger(t.ds, { code: 'AUDIT-2', firstPeriod: PERIOD });
    const [entry] = (await t.ds.query(`SELECT * FROM audit_log WHERE ledger_id = $1`, [l.id])) as Array<{ id: string }>;
    await expect(t.ds.query(`UPDATE audit_log SET actor = 'someone else' WHERE id = $1`, [entry!.id])).rejects.toMatchObject({
      driverError: { code: 'BK005' },
    });
    await expect(t.ds.query(`DELETE FROM audit_log WHERE id = $1`, [entry!.id])).rejects.toMatchObject({ driverError: { code: 'BK005' } });
    expect(await t.ds.query(`SELECT * FROM audit_log WHERE id = $1`, [entry!.id])).toEqual([entry]);
  });
});

describe('fromDatabaseError', () => {
  it.each([
    ['BK001', 'PERIOD_CLOSED'],
    ['BK002', 'VOUCHER_UNBALANCED'],
    ['BK003', 'PERIOD_FROZEN'],
    ['BK004', 'REOPEN_REQUIRES_ACT'],
  ])('when the database raises %s, then it maps to %s with the database message kept', (sqlState, code) => {
    const mapped = fromDatabaseError({ driverError: { code: sqlState, message: 'from the database', hint: 'a hint' } });
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({ code, details: { database: 'from the database', hint: 'a hint' } });
  });

  it.each([
    ['23505', 'CONSTRAINT_VIOLATED'],
    ['23503', 'CONSTRAINT_VIOLATED'],
    ['22021', 'VALUE_REJECTED'],
    ['22P05', 'VALUE_REJECTED'],
    ['55P03', 'PERIOD_BUSY'],
  ])('when the database raises %s of no named rule, then it maps to %s by its class', (sqlState, code) => {
    expect(fromDatabaseError({ driverError: { code: sqlState, constraint: 'ledger_code_key' } })).toMatchObject({ code });
  });

  it('when two writers numbered the same voucher at once, then the loser is a DATABASE_CONFLICT to try again, not a broken rule', () => {
    const mapped = fromDatabaseError({ driverError: { code: '23505', constraint: 'voucher_ledger_id_period_number_key' } });
    expect(mapped).toMatchObject({ code: 'DATABASE_CONFLICT' });
    expect(isRetryableCode((mapped as AppError).code)).toBe(true);
  });

  it('when the error is of no known rule or class, then it passes through unchanged', () => {
    const other = { driverError: { code: '42P01' } };
    expect(fromDatabaseError(other)).toBe(other);
    expect(fromDatabaseError(null)).toBeNull();
  });
});
