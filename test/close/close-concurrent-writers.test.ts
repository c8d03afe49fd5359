import { Client } from 'pg';
import { checkInvariants } from '../../bench/invariants';
import { one } from '../../db/sql';
import { addVoucher, createLedger } from '../fixtures/books';
import { closeRun, startClose, useCloseStack, waitForState, waitUntil } from './close-harness';

/**
 * A second, real database connection writes a period's rows while a real close freezes it, for each
 * kind of row the period holds, in both orders. Writer first: the freeze waits for the writer's
 * commit, and what it wrote is then part of the close (backed up and balanced, or a blocker).
 * Close first: the writer waits for the freeze and is refused (PERIOD_FROZEN). Either way the
 * closed books agree with their raw lines (the independent invariants checker).
 */
const PERIOD = '2026-09';

interface Books {
  ledgerId: number;
  code: string;
  voucherId: string;
  fourLineVoucherId: string;
  draftId: string;
}

/** One write per kind of row; `$1` is the ledger id, `$2` the two-line voucher, `$3` the four-line one. */
interface Write {
  kind: string;
  sql: string[];
  writerFirst: { state: 'closed' } | { state: 'blocked'; code: string };
}

const writes: Write[] = [
  {
    kind: 'voucher lines: update amounts of a posted voucher',
    writerFirst: { state: 'closed' },
    sql: [
      `UPDATE voucher_line SET debit = CASE WHEN debit > 0 THEN debit + 100000 ELSE debit END,
       credit = CASE WHEN credit > 0 THEN credit + 100000 ELSE credit END WHERE voucher_id = $2`,
    ],
  },
  {
    kind: 'voucher lines: add lines to a posted voucher',
    writerFirst: { state: 'closed' },
    sql: [
      `INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit)
     VALUES ($2, $1, '${PERIOD}', 8, '501', 700, 0), ($2, $1, '${PERIOD}', 9, '102', 0, 700)`,
    ],
  },
  {
    kind: 'voucher lines: delete lines of a posted voucher',
    writerFirst: { state: 'closed' },
    sql: [`DELETE FROM voucher_line WHERE voucher_id = $3 AND line_no IN (3, 4)`],
  },
  {
    kind: 'vouchers: a new posted voucher with its lines',
    writerFirst: { state: 'closed' },
    sql: [
      `INSERT INTO voucher (ledger_id, period, number, voucher_date, preparer, approver, state, approved_at, posted_at)
     VALUES ($1, '${PERIOD}', 50, '${PERIOD}-20', 'clerk', 'manager', 'posted', now(), now())`,
      `INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit)
     SELECT id, $1, '${PERIOD}', n, a, d, c FROM voucher, (VALUES (1, '507', 3300, 0), (2, '102', 0, 3300)) AS x(n, a, d, c)
     WHERE ledger_id = $1 AND number = 50`,
    ],
  },
  { kind: 'vouchers: delete a posted voucher', writerFirst: { state: 'closed' }, sql: [`DELETE FROM voucher WHERE id = $3`] },
  {
    kind: 'reimbursements: a new unpaid claim',
    writerFirst: { state: 'blocked', code: 'REIMBURSEMENT_UNPAID' },
    sql: [
      `INSERT INTO reimbursement (ledger_id, period, number, claimant, amount, expense_account, state) VALUES ($1, '${PERIOD}', 'BX-RACE', 'x', 100, '507', 'approved')`,
    ],
  },
  {
    kind: 'fund transfers: a new transfer in transit',
    writerFirst: { state: 'blocked', code: 'TRANSFER_UNKNOWN_AT_BANK' },
    sql: [
      `INSERT INTO fund_transfer (ledger_id, period, reference, amount, debit_account, credit_account, counterparty, state)
     VALUES ($1, '${PERIOD}', 'HB-RACE-' || $1, 100, '102', '403', 'x', 'in_transit')`,
    ],
  },
  {
    kind: 'invoices: a new invoice',
    writerFirst: { state: 'closed' },
    sql: [
      `INSERT INTO invoice (ledger_id, period, number, buyer_name, buyer_tax_id, seller_tax_id, amount, tax, invoice_date)
     SELECT $1, '${PERIOD}', 'FP-RACE-' || $1, '杭州恒达科技有限公司', '91330106MA27XK1234', taxpayer_id, 1000, 60, '${PERIOD}-20' FROM ledger WHERE id = $1`,
    ],
  },
  {
    kind: 'sub-ledger entries: a new receivable',
    writerFirst: { state: 'blocked', code: 'SUBLEDGER_UNRECONCILED' },
    sql: [`INSERT INTO subledger_entry (ledger_id, period, subledger, reference, amount) VALUES ($1, '${PERIOD}', 'receivables', 'YS-RACE', 500)`],
  },
  {
    kind: 'balances: move an opening balance between accounts',
    writerFirst: { state: 'closed' },
    sql: [
      `UPDATE balance SET opening = opening + CASE account_code WHEN '102' THEN 900 ELSE -900 END
     WHERE ledger_id = $1 AND period = '${PERIOD}' AND account_code IN ('102', '101')`,
    ],
  },
];

describe('writers racing the close: every kind of row, both orders', () => {
  const t = useCloseStack([
    ['manager', 'finance_manager'],
    ['clerk', 'accountant'],
  ]);
  let n = 0;

  async function books(): Promise<Books> {
    const ds = t.db.dataSource;
    const code = `RACE-${++n}`;
    const l = await createLedger(ds, { code, firstPeriod: PERIOD, openingBalances: { '102': 50_000_00, '101': 1_000_00, '301': -51_000_00 } });
    const v = await addVoucher(ds, {
      ledgerId: l.id,
      period: PERIOD,
      preparer: 'clerk',
      approver: 'manager',
      lines: [
        { account: '102', debit: 2_000_00 },
        { account: '401', credit: 2_000_00 },
      ],
    });
    const four = await addVoucher(ds, {
      ledgerId: l.id,
      period: PERIOD,
      preparer: 'clerk',
      approver: 'manager',
      lines: [
        { account: '501', debit: 300_00 },
        { account: '102', credit: 300_00 },
        { account: '507', debit: 45_00 },
        { account: '101', credit: 45_00 },
      ],
    });
    // Holds a close at its checks (VOUCHER_DRAFT) until the test lets it go on to the freeze.
    const draft = await addVoucher(ds, {
      ledgerId: l.id,
      period: PERIOD,
      preparer: 'clerk',
      state: 'draft',
      lines: [
        { account: '501', debit: 12_00 },
        { account: '102', credit: 12_00 },
      ],
    });
    return { ledgerId: l.id, code, voucherId: v.id, fourLineVoucherId: four.id, draftId: draft.id };
  }

  /** Starts a close and lets it pass authorise: it waits at its checks on the draft voucher. */
  async function closeWaitingAtChecks(b: Books) {
    const started = await startClose(t.stack, b.code, PERIOD);
    const status = await waitForState(started.handle, ['blocked', 'closed', 'failed']);
    expect(status.blockers.map((x) => x.code)).toEqual(['VOUCHER_DRAFT']);
    return started;
  }

  /** Clears the draft (approved and posted by another connection) and resumes: the close goes on to the freeze. */
  async function letGo(b: Books, handle: Awaited<ReturnType<typeof startClose>>['handle']): Promise<void> {
    await t.db.dataSource.query(`UPDATE voucher SET state = 'posted', approver = 'manager', approved_at = now(), posted_at = now() WHERE id = $1`, [b.draftId]);
    await handle.signal('resume', { by: 'manager' });
  }

  async function connect(): Promise<Client> {
    const c = new Client({ connectionString: t.db.url });
    await c.connect();
    return c;
  }

  /** Some backend waits for a lock `holder` holds. */
  const blockedBy = (holder: Client) => async () => {
    const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return waitUntil(
      async () => {
        const r = await one<{ n: number }>(t.db.dataSource, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))`, [pid]);
        return r!.n > 0;
      },
      20_000,
      `a transaction waiting on backend ${pid}`,
    );
  };

  async function expectBooksAgree(b: Books, closed = true): Promise<void> {
    const report = await checkInvariants(t.db.dataSource, { ledgerIds: [b.ledgerId] });
    expect(report.violations).toEqual([]);
    if (closed) expect(report.byInvariant.closing_equals_opening_plus_movements.checks).toBeGreaterThan(0);
  }

  describe.each(writes)('$kind', (w) => {
    it('when the writer is first and holds its transaction open, then the freeze waits for its commit and the close includes what it wrote', async () => {
      const b = await books();
      const writer = await connect();
      try {
        const { closeId, handle } = await closeWaitingAtChecks(b);
        await writer.query('BEGIN');
        for (const sql of w.sql) await writer.query(bind(sql, b));
        await letGo(b, handle);
        await blockedBy(writer)();
        // The backup is what waits: its step reads running (recorded beside its wait, so polled briefly).
        const waiting = await waitUntil(
          async () => {
            const run = await closeRun(t.db.dataSource, closeId);
            return run.steps.find((s) => s.name === 'backup')?.state === 'running' ? run : undefined;
          },
          10_000,
          'the backup step running while it waits for the writer',
        );
        expect(waiting.steps.find((s) => s.name === 'backup')?.state).toBe('running');
        await writer.query('COMMIT');

        const status = await waitForState(handle, ['closed', 'blocked', 'failed', 'cancelled']);
        expect(status.state).toBe(w.writerFirst.state);
        if (w.writerFirst.state === 'blocked') {
          expect(status.blockers.map((x) => x.code)).toContain(w.writerFirst.code);
          const period = await one<{ state: string; frozen_at: string | null }>(
            t.db.dataSource,
            `SELECT state, frozen_at FROM period WHERE ledger_id = $1 AND period = $2`,
            [b.ledgerId, PERIOD],
          );
          expect(period).toEqual({ state: 'closing', frozen_at: null });
          await handle.signal('cancel', { by: 'manager', reason: 'test over' });
          await waitForState(handle, ['cancelled']);
        }
        await expectBooksAgree(b, w.writerFirst.state === 'closed');
      } finally {
        await writer.end();
      }
    });

    it('when the close freezes first, then the writer waits for the freeze, is refused with PERIOD_FROZEN, and the closed books agree with their lines', async () => {
      const b = await books();
      // Holds the backup inside its freeze transaction (after it locked and froze the period) by
      // keeping the snapshot table locked; the writer then meets a freeze that has not committed yet.
      const holder = await connect();
      const writer = await connect();
      try {
        const { handle } = await closeWaitingAtChecks(b);
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE period_snapshot IN SHARE MODE');
        await letGo(b, handle);
        await blockedBy(holder)();

        await writer.query('BEGIN');
        const writing = (async () => {
          for (const sql of w.sql) await writer.query(bind(sql, b));
        })().then(
          () => null,
          (e: unknown) => e,
        );
        await blockedBy(holder)();
        await waitUntil(
          async () =>
            (await one<{ n: number }>(
              t.db.dataSource,
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0 AND query NOT LIKE '%period_snapshot%'`,
            ))!.n > 0,
          10_000,
          'the writer waiting for the freeze',
        );
        await holder.query('COMMIT');
        const refused = await writing;
        await writer.query('ROLLBACK');
        expect(refused).toMatchObject({ code: 'BK003' });

        expect((await waitForState(handle, ['closed', 'blocked', 'failed', 'cancelled'])).state).toBe('closed');
        await expectBooksAgree(b);
      } finally {
        await holder.end();
        await writer.end();
      }
    });
  });

  it("when a writer holds the period past the freeze's wait, then the backup fails that attempt with PERIOD_BUSY, retries, and closes once the writer commits", async () => {
    const stack = t.stack;
    const impatient = await stack.startWorker({ periodLockWaitMs: 300 });
    await stack.worker.stop();
    const b = await books();
    const writer = await connect();
    try {
      const { closeId, handle } = await closeWaitingAtChecks(b);
      await writer.query('BEGIN');
      await writer.query(bind(writes[0].sql[0], b));
      await letGo(b, handle);
      const run = await waitUntil(
        async () => {
          const r = await closeRun(t.db.dataSource, closeId);
          return r?.errors.some((e) => e.code === 'PERIOD_BUSY') ? r : undefined;
        },
        20_000,
        'a PERIOD_BUSY attempt',
      );
      expect(run.steps.find((s) => s.name === 'backup')?.lastError).toMatchObject({ code: 'PERIOD_BUSY' });
      await writer.query('COMMIT');
      expect((await waitForState(handle, ['closed', 'blocked', 'failed'])).state).toBe('closed');
      await expectBooksAgree(b);
    } finally {
      await writer.end();
      stack.worker = await stack.startWorker();
      await impatient.stop();
    }
  });
});

/** The write with its ids in place ($1 ledger, $2 and $3 vouchers): numbers this test made itself. */
function bind(sql: string, b: Books): string {
  return sql.replace(/\$1/g, String(b.ledgerId)).replace(/\$2/g, b.voucherId).replace(/\$3/g, b.fourLineVoucherId);
}
