import { addInvoice, addReimbursement, addSubledgerEntry, addTransfer, addVoucher, createLedger } from '../test/fixtures/books';
import { useTestDatabase } from '../test/helpers/database';
import { inBooksTransaction } from './session';

const PERIOD = '2026-09';
const TABLES = ['voucher', 'voucher_line', 'reimbursement', 'fund_transfer', 'invoice', 'subledger_entry', 'balance'] as const;

const t = useTestDatabase();

/** A ledger with one row of every kind in the period (and the balance row of 509 left out, to insert later). */
async function ledgerWithEverything(code: string) {
  const l = await createLedger(t.ds, { code, firstPeriod: PERIOD, openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
  const voucher = await addVoucher(t.ds, {
    ledgerId: l.id,
    period: PERIOD,
    preparer: 'li.na',
    approver: 'zhou.qiang',
    lines: [
      { account: '112', debit: 80_00 },
      { account: '409', credit: 80_00 },
    ],
  });
  await addReimbursement(t.ds, { ledgerId: l.id, period: PERIOD, number: `${code}-BX1`, amount: 30_00, state: 'approved' });
  await addTransfer(t.ds, { ledgerId: l.id, period: PERIOD, reference: `${code}-HB1`, amount: 500_00, state: 'in_transit' });
  await addInvoice(t.ds, { ledgerId: l.id, period: PERIOD, number: `${code}-FP1`, amount: 80_00 });
  await addSubledgerEntry(t.ds, { ledgerId: l.id, period: PERIOD, subledger: 'receivables', reference: `${code}-YS1`, amount: 80_00 });
  await t.ds.query(`DELETE FROM balance WHERE ledger_id = $1 AND period = $2 AND account_code = '509'`, [l.id, PERIOD]);
  return { ...l, voucher };
}

async function closePeriod(ledgerId: number): Promise<void> {
  await t.ds.query(`UPDATE period SET state = 'closed', closed_by = 'x', closed_at = now() WHERE ledger_id = $1 AND period = $2`, [ledgerId, PERIOD]);
}

/** Every row of the ledger in the period's tables, hashed per table. */
async function fingerprint(ledgerId: number): Promise<Record<string, string>> {
  const prints: Record<string, string> = {};
  for (const table of [...TABLES, 'period']) {
    const [row] = (await t.ds.query(`SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS print FROM ${table} t WHERE ledger_id = $1`, [
      ledgerId,
    ])) as Array<{ print: string }>;
    prints[table] = row!.print;
  }
  return prints;
}

/** An INSERT, an UPDATE and a DELETE of each table, by direct SQL ($1 is the ledger). */
const writes: Record<(typeof TABLES)[number], string[]> = {
  voucher: [
    `INSERT INTO voucher (ledger_id, period, number, voucher_date, preparer, state) VALUES ($1, '2026-09', 99, '2026-09-30', 'li.na', 'draft')`,
    `UPDATE voucher SET description = 'changed' WHERE id = (SELECT min(id) FROM voucher WHERE ledger_id = $1)`,
    `DELETE FROM voucher WHERE id = (SELECT min(id) FROM voucher WHERE ledger_id = $1)`,
  ],
  voucher_line: [
    `INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit) SELECT id, $1::int, '2026-09', n, a, d, c FROM voucher, (VALUES (8, '501', 1, 0), (9, '102', 0, 1)) AS x(n, a, d, c) WHERE ledger_id = $1::int`,
    `UPDATE voucher_line SET memo = 'changed' WHERE ledger_id = $1`,
    `DELETE FROM voucher_line WHERE ledger_id = $1`,
  ],
  reimbursement: [
    `INSERT INTO reimbursement (ledger_id, period, number, claimant, amount, expense_account, state) VALUES ($1, '2026-09', 'NEW', 'x', 1, '507', 'submitted')`,
    `UPDATE reimbursement SET state = 'paid' WHERE ledger_id = $1`,
    `DELETE FROM reimbursement WHERE ledger_id = $1`,
  ],
  fund_transfer: [
    `INSERT INTO fund_transfer (ledger_id, period, reference, amount, debit_account, credit_account, counterparty, state) VALUES ($1, '2026-09', 'NEW-CLOSED', 1, '102', '403', 'x', 'in_transit')`,
    `UPDATE fund_transfer SET state = 'failed' WHERE ledger_id = $1`,
    `DELETE FROM fund_transfer WHERE ledger_id = $1`,
  ],
  invoice: [
    `INSERT INTO invoice (ledger_id, period, number, buyer_name, buyer_tax_id, seller_tax_id, amount, tax, invoice_date) VALUES ($1, '2026-09', 'NEW', 'x', '', 'y', 1, 0, '2026-09-30')`,
    `UPDATE invoice SET buyer_name = 'changed' WHERE ledger_id = $1`,
    `DELETE FROM invoice WHERE ledger_id = $1`,
  ],
  subledger_entry: [
    `INSERT INTO subledger_entry (ledger_id, period, subledger, reference, amount) VALUES ($1, '2026-09', 'receivables', 'NEW', 1)`,
    `UPDATE subledger_entry SET amount = amount + 1 WHERE ledger_id = $1`,
    `DELETE FROM subledger_entry WHERE ledger_id = $1`,
  ],
  balance: [
    `INSERT INTO balance (ledger_id, period, account_code, opening) VALUES ($1, '2026-09', '509', 0)`,
    `UPDATE balance SET opening = opening + 1 WHERE ledger_id = $1 AND account_code = '102'`,
    `DELETE FROM balance WHERE ledger_id = $1`,
  ],
};

describe('a closed period cannot change (BK001)', () => {
  let ledger: Awaited<ReturnType<typeof ledgerWithEverything>>;
  let before: Record<string, string>;
  beforeAll(async () => {
    ledger = await ledgerWithEverything('CLOSED');
    await closePeriod(ledger.id);
    before = await fingerprint(ledger.id);
  });

  it.each(TABLES)(
    'when %s rows of the closed period are inserted, updated or deleted by direct SQL, then each statement fails with BK001 and nothing changes',
    async (table) => {
      for (const sql of writes[table]) {
        await expect(t.ds.query(sql, [ledger.id])).rejects.toMatchObject({ driverError: { code: 'BK001' } });
      }
      expect(await fingerprint(ledger.id)).toEqual(before);
    },
  );

  it('when the closed period itself is deleted, then it is rejected with BK001', async () => {
    await expect(t.ds.query(`DELETE FROM period WHERE ledger_id = $1`, [ledger.id])).rejects.toMatchObject({ driverError: { code: 'BK001' } });
    expect(await fingerprint(ledger.id)).toEqual(before);
  });
});

describe('a frozen period (BK003)', () => {
  it('when the close has frozen the period, then writes are rejected with BK003 unless the close itself writes (books.close_writer)', async () => {
    const l = await createLedger(t.ds, { code: 'FROZEN', firstPeriod: PERIOD });
    await t.ds.query(`UPDATE period SET frozen_at = now() WHERE ledger_id = $1`, [l.id]);
    const before = await fingerprint(l.id);
    await expect(
      addVoucher(t.ds, {
        ledgerId: l.id,
        period: PERIOD,
        lines: [
          { account: '501', debit: 1 },
          { account: '102', credit: 1 },
        ],
      }),
    ).rejects.toMatchObject({ driverError: { code: 'BK003' } });
    await expect(t.ds.query(`UPDATE balance SET opening = 0 WHERE ledger_id = $1`, [l.id])).rejects.toMatchObject({ driverError: { code: 'BK003' } });
    expect(await fingerprint(l.id)).toEqual(before);

    const written = await inBooksTransaction(t.ds, { actor: 'system:close', closeWriter: true }, (em) =>
      addVoucher(em, {
        ledgerId: l.id,
        period: PERIOD,
        lines: [
          { account: '501', debit: 1 },
          { account: '102', credit: 1 },
        ],
      }),
    );
    expect(written.number).toBe(1);
  });
});

describe('reopening a closed period (反结账, BK004)', () => {
  it('when a closed period is set open without a reopen reason, then it is rejected with BK004 and stays closed', async () => {
    const l = await createLedger(t.ds, { code: 'REOPEN-1', firstPeriod: PERIOD });
    await closePeriod(l.id);
    await expect(t.ds.query(`UPDATE period SET state = 'open', closed_by = NULL, closed_at = NULL WHERE ledger_id = $1`, [l.id])).rejects.toMatchObject({
      driverError: { code: 'BK004' },
    });
    await expect(
      inBooksTransaction(t.ds, { actor: 'wu.yan' }, (em) =>
        em.query(`UPDATE period SET state = 'open', closed_by = NULL, closed_at = NULL WHERE ledger_id = $1`, [l.id]),
      ),
    ).rejects.toMatchObject({ driverError: { code: 'BK004' } });
    expect(await t.ds.query(`SELECT state FROM period WHERE ledger_id = $1`, [l.id])).toEqual([{ state: 'closed' }]);
  });

  it('when the reopen act sets it open with a reason, then it is open again and the audit log says who reopened it and why', async () => {
    const l = await createLedger(t.ds, { code: 'REOPEN-2', firstPeriod: PERIOD });
    await closePeriod(l.id);
    await inBooksTransaction(t.ds, { actor: 'wu.yan', reopenReason: '补记漏登的会费收入' }, (em) =>
      em.query(`UPDATE period SET state = 'open', closed_by = NULL, closed_at = NULL WHERE ledger_id = $1`, [l.id]),
    );
    expect(await t.ds.query(`SELECT state FROM period WHERE ledger_id = $1`, [l.id])).toEqual([{ state: 'open' }]);
    const entries = (await t.ds.query(`SELECT actor, action, details FROM audit_log WHERE ledger_id = $1 AND action = 'period.reopened'`, [l.id])) as unknown[];
    expect(entries).toEqual([{ actor: 'wu.yan', action: 'period.reopened', details: { from: 'closed', to: 'open', reopenReason: '补记漏登的会费收入' } }]);
  });
});
