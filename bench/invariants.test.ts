import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../test/helpers/database';
import { addVoucher, createLedger, ensurePeriod } from '../test/fixtures/books';
import { createReopenService } from '../api/services/reopen-service';
import { checkInvariants } from './invariants';

const PERIOD = '2026-09';
const NEXT = '2026-10';

/**
 * Closes a period the way the close does, by hand: carry forward (unless told not to), balances from
 * the raw lines, next period's openings, the period locked with its audit entries. `skew` plants a
 * balance row whose movement and closing are off by that much (the table's CHECK still holds).
 */
async function closeByHand(
  ds: DataSource,
  ledgerId: number,
  opts: { carryForward?: boolean; skew?: number; audit?: boolean; backupSkew?: number } = {},
): Promise<string> {
  const closeId = randomUUID();
  await ds.query(`INSERT INTO close_run (id, workflow_id, ledger_id, period, initiated_by) VALUES ($1, $2, $3, $4, 'bench-manager')`, [
    closeId,
    `close:${ledgerId}:${PERIOD}`,
    ledgerId,
    PERIOD,
  ]);
  await ds.query(
    `
    INSERT INTO period_snapshot (close_id, ledger_id, period, line_count, debit_total, credit_total, checksum, accounts)
    SELECT $3::text, $1::int, $2::text, count(*), coalesce(sum(debit), 0) + $4::bigint, coalesce(sum(credit), 0) + $4::bigint, 'by hand', '[]'
    FROM voucher_line WHERE ledger_id = $1::int AND period = $2::text`,
    [ledgerId, PERIOD, closeId, opts.backupSkew ?? 0],
  );
  if (opts.carryForward !== false) {
    const ie = (await ds.query(
      `
      SELECT a.code, (coalesce(b.opening, 0) + coalesce(sum(l.debit - l.credit), 0))::bigint AS bal
      FROM account a
      LEFT JOIN balance b ON b.ledger_id = a.ledger_id AND b.period = $2 AND b.account_code = a.code
      LEFT JOIN voucher_line l ON l.ledger_id = a.ledger_id AND l.period = $2 AND l.account_code = a.code
      WHERE a.ledger_id = $1 AND a.class IN ('income', 'expenditure') GROUP BY a.code, b.opening`,
      [ledgerId, PERIOD],
    )) as Array<{ code: string; bal: string }>;
    const lines = ie
      .filter((r) => BigInt(r.bal) !== 0n)
      .map((r) => {
        const bal = BigInt(r.bal);
        return bal > 0n ? { account: r.code, credit: bal } : { account: r.code, debit: -bal };
      });
    const total = ie.reduce((s, r) => s + BigInt(r.bal), 0n);
    lines.push(total > 0n ? { account: '302', debit: total } : { account: '302', credit: -total });
    const v = await addVoucher(ds, {
      ledgerId,
      period: PERIOD,
      date: `${PERIOD}-30`,
      preparer: 'system:close',
      approver: 'bench-manager',
      source: { type: 'carry_forward', id: ledgerId },
      lines,
    });
    await ds.query(`INSERT INTO close_operation (ledger_id, period, operation, close_id, result) VALUES ($1, $2, 'carry_forward', $3, $4)`, [
      ledgerId,
      PERIOD,
      closeId,
      JSON.stringify({ voucherId: v.id }),
    ]);
  }
  await ds.query(
    `
    INSERT INTO balance (ledger_id, period, account_code, opening, debit, credit, closing)
    SELECT a.ledger_id, $2, a.code, coalesce(b.opening, 0), coalesce(m.debit, 0), coalesce(m.credit, 0),
           coalesce(b.opening, 0) + coalesce(m.debit, 0) - coalesce(m.credit, 0)
    FROM account a
    LEFT JOIN balance b ON b.ledger_id = a.ledger_id AND b.period = $2 AND b.account_code = a.code
    LEFT JOIN (SELECT account_code, sum(debit) AS debit, sum(credit) AS credit FROM voucher_line WHERE ledger_id = $1 AND period = $2 GROUP BY account_code) m
      ON m.account_code = a.code
    WHERE a.ledger_id = $1
    ON CONFLICT (ledger_id, period, account_code) DO UPDATE SET debit = EXCLUDED.debit, credit = EXCLUDED.credit, closing = EXCLUDED.closing`,
    [ledgerId, PERIOD],
  );
  if (opts.skew) {
    await ds.query(`UPDATE balance SET debit = debit + $3, closing = closing + $3 WHERE ledger_id = $1 AND period = $2 AND account_code = '102'`, [
      ledgerId,
      PERIOD,
      opts.skew,
    ]);
  }
  await ensurePeriod(ds, ledgerId, NEXT);
  await ds.query(
    `INSERT INTO balance (ledger_id, period, account_code, opening) SELECT ledger_id, $3, account_code, closing FROM balance
                  WHERE ledger_id = $1 AND period = $2`,
    [ledgerId, PERIOD, NEXT],
  );
  await ds.query(`UPDATE close_run SET state = 'closed', ended_at = now() WHERE id = $1`, [closeId]);
  await ds.query(`UPDATE period SET state = 'closed', closed_by = 'bench-manager', closed_at = now(), close_id = $3 WHERE ledger_id = $1 AND period = $2`, [
    ledgerId,
    PERIOD,
    closeId,
  ]);
  if (opts.audit !== false) await ds.query(`SELECT books_audit('close.closed', $1, $2, $3, '{}'::jsonb)`, [ledgerId, PERIOD, closeId]);
  return closeId;
}

async function ledgerWithActivity(ds: DataSource, code: string): Promise<number> {
  const { id } = await createLedger(ds, { code, firstPeriod: PERIOD, openingBalances: { '102': 1_000_000, '302': -1_000_000 } });
  await addVoucher(ds, {
    ledgerId: id,
    period: PERIOD,
    lines: [
      { account: '102', debit: 50_000 },
      { account: '401', credit: 50_000 },
    ],
  });
  await addVoucher(ds, {
    ledgerId: id,
    period: PERIOD,
    lines: [
      { account: '501', debit: 20_000 },
      { account: '102', credit: 20_000 },
    ],
  });
  await addVoucher(ds, {
    ledgerId: id,
    period: PERIOD,
    lines: [
      { account: '502', debit: 7_000 },
      { account: '409', credit: 1_000 },
      { account: '102', credit: 6_000 },
    ],
  });
  return id;
}

describe('checkInvariants', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('finds nothing wrong on clean books, open or closed', async () => {
    const open = await ledgerWithActivity(db.dataSource, 'INV-OPEN');
    const closed = await ledgerWithActivity(db.dataSource, 'INV-CLEAN');
    await closeByHand(db.dataSource, closed);
    const report = await checkInvariants(db.dataSource, { ledgerIds: [open, closed] });
    expect(report.violations).toEqual([]);
    expect(report.checks).toBeGreaterThan(20);
    expect(report.byInvariant.closing_equals_opening_plus_movements.checks).toBeGreaterThan(0);
  });

  it('finds a balance row whose closing disagrees with the raw lines', async () => {
    const id = await ledgerWithActivity(db.dataSource, 'INV-SKEW');
    await closeByHand(db.dataSource, id, { skew: 1 });
    const report = await checkInvariants(db.dataSource, { ledgerIds: [id] });
    const found = new Set(report.violations.map((v) => v.invariant));
    expect(found).toContain('closing_equals_opening_plus_movements');
    expect(found).toContain('period_balanced');
    expect(report.violations.find((v) => v.invariant === 'closing_equals_opening_plus_movements')?.detail).toMatch(/account 102/);
  });

  it('finds a tally that no longer agrees with the lines (its trigger switched off by hand)', async () => {
    const id = await ledgerWithActivity(db.dataSource, 'INV-TALLY');
    await db.dataSource.query(`ALTER TABLE voucher_line DISABLE TRIGGER voucher_line_tally_insert`);
    try {
      await addVoucher(db.dataSource, {
        ledgerId: id,
        period: PERIOD,
        lines: [
          { account: '501', debit: 900 },
          { account: '102', credit: 900 },
        ],
      });
    } finally {
      await db.dataSource.query(`ALTER TABLE voucher_line ENABLE TRIGGER voucher_line_tally_insert`);
    }
    const report = await checkInvariants(db.dataSource, { ledgerIds: [id] });
    const tally = report.violations.filter((v) => v.invariant === 'tally_equals_lines').map((v) => v.detail);
    expect(tally).toHaveLength(2);
    expect(tally.join('\n')).toMatch(/account 501: tally 1 lines 20000\/0, raw 2 lines 20900\/0/);
  });

  it("finds the board's kept differences when they no longer agree with the raw lines and entries (written past their guard by hand)", async () => {
    const id = await ledgerWithActivity(db.dataSource, 'INV-DIFF');
    const [{ code }] = (await db.dataSource.query(`SELECT code FROM account WHERE ledger_id = $1 ORDER BY code LIMIT 1`, [id])) as Array<{ code: string }>;
    for (const table of ['period_trial_difference', 'period_control_difference'])
      await db.dataSource.query(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_guard`);
    try {
      await db.dataSource.query(`INSERT INTO period_trial_difference (ledger_id, period, difference) VALUES ($1, $2, 700)`, [id, PERIOD]);
      await db.dataSource.query(`INSERT INTO period_control_difference (ledger_id, period, account_code, difference) VALUES ($1, $2, $3, -300)`, [
        id,
        PERIOD,
        code,
      ]);
    } finally {
      for (const table of ['period_trial_difference', 'period_control_difference'])
        await db.dataSource.query(`ALTER TABLE ${table} ENABLE TRIGGER ${table}_guard`);
    }
    const report = await checkInvariants(db.dataSource, { ledgerIds: [id] });
    const details = (invariant: string) => report.violations.filter((v) => v.invariant === invariant).map((v) => v.detail);
    expect(details('trial_difference_equals_lines')).toEqual([`ledger ${id} period ${PERIOD}: kept difference 700, raw lines 0`]);
    expect(details('control_difference_equals_raw')).toEqual([`ledger ${id} period ${PERIOD} account ${code}: kept difference -300, raw 0`]);
  });

  it('accepts a close whose period was reopened (反结账) and closed again by a later close, and finds a closed close the period does not know', async () => {
    const id = await ledgerWithActivity(db.dataSource, 'INV-REOPEN');
    const first = await closeByHand(db.dataSource, id);
    const manager = { id: 0, name: 'bench-manager', role: 'finance_manager', permissions: new Set<string>(), scopeLedgerId: null, scope: null };
    await createReopenService(db.dataSource).reopen(manager, 'INV-REOPEN', PERIOD, 'a late invoice');
    const second = await closeByHand(db.dataSource, id);
    const clean = await checkInvariants(db.dataSource, { ledgerIds: [id] });
    expect(clean.violations).toEqual([]);
    expect(first).not.toBe(second);

    // A third close that says it closed the period after that, with no reopen since: the period names another.
    const stray = randomUUID();
    await db.dataSource.query(
      `INSERT INTO close_run (id, workflow_id, ledger_id, period, initiated_by, state, ended_at)
                               VALUES ($1, 'close:stray', $2, $3, 'bench-manager', 'closed', now())`,
      [stray, id, PERIOD],
    );
    await db.dataSource.query(`SELECT books_audit('close.closed', $1, $2, $3, '{}'::jsonb)`, [id, PERIOD, stray]);
    const report = await checkInvariants(db.dataSource, { ledgerIds: [id] });
    expect(report.violations.filter((v) => v.invariant === 'close_run_matches_period').map((v) => v.detail)).toEqual([
      `close ${stray} is closed but period ${PERIOD} of ledger ${id} is closed by ${second}`,
    ]);
  });

  it('finds a closed period whose lines are not what its backup says (written past the freeze)', async () => {
    const id = await ledgerWithActivity(db.dataSource, 'INV-BACKUP');
    await closeByHand(db.dataSource, id, { backupSkew: 100_000 });
    const report = await checkInvariants(db.dataSource, { ledgerIds: [id] });
    expect(report.violations.filter((v) => v.invariant === 'backup_equals_lines').map((v) => v.detail)).toEqual([
      expect.stringMatching(/backup of close .* 7 lines 177000\/177000, raw 7 lines 77000\/77000/),
    ]);
  });

  it('finds a period closed without carry forward', async () => {
    const id = await ledgerWithActivity(db.dataSource, 'INV-NOCF');
    await closeByHand(db.dataSource, id, { carryForward: false });
    const report = await checkInvariants(db.dataSource, { ledgerIds: [id] });
    const found = new Set(report.violations.map((v) => v.invariant));
    expect(found).toContain('one_carry_forward_per_period');
    expect(found).toContain('income_expenditure_zero_after_carry_forward');
  });

  it('finds a voucher posting two transfers and a period closed without its audit entry', async () => {
    const id = await ledgerWithActivity(db.dataSource, 'INV-DUP');
    const v = await addVoucher(db.dataSource, {
      ledgerId: id,
      period: PERIOD,
      lines: [
        { account: '102', debit: 300 },
        { account: '403', credit: 300 },
      ],
    });
    for (const ref of ['DUP-1', 'DUP-2']) {
      await db.dataSource.query(
        `INSERT INTO fund_transfer (ledger_id, period, reference, amount, debit_account, credit_account, counterparty, state, voucher_id)
        VALUES ($1, $2, $3, 300, '102', '403', 'federation', 'posted', $4)`,
        [id, PERIOD, ref, v.id],
      );
    }
    await closeByHand(db.dataSource, id, { audit: false });
    const report = await checkInvariants(db.dataSource, { ledgerIds: [id] });
    const found = report.violations.map((x) => x.invariant);
    expect(found).toContain('posted_once');
    expect(found).toContain('audit_of_period_state_changes');
  });
});
