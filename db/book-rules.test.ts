import { AppError } from '../lib/errors';
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

  it('when the error is of no known rule or class, then it passes through unchanged', () => {
    const other = { driverError: { code: '42P01' } };
    expect(fromDatabaseError(other)).toBe(other);
    expect(fromDatabaseError(null)).toBeNull();
  });
});
