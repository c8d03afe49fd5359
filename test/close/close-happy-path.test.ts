import { verifySnapshot } from '../../books/snapshot';
import { one, rows } from '../../db/sql';
import { addVoucher, createLedger, recomputeTrialBalance } from '../fixtures/books';
import { useCloseStack, balances, closeRun, historyCost, startClose, waitForState } from './close-harness';
import { recordHistory } from './record-history';

describe('closing a period with nothing in the way', () => {
  const t = useCloseStack([
    ['manager', 'finance_manager'],
    ['clerk', 'accountant'],
  ]);

  it('when nothing blocks, then the period closes, income and expenditure go to net assets and the next period opens with the closing balances', async () => {
    const ds = t.db.dataSource;
    const ledger = await createLedger(ds, { code: 'HAPPY', firstPeriod: '2026-09', openingBalances: { '102': 100_000_00, '101': 500_00, '301': -100_500_00 } });
    await addVoucher(ds, {
      ledgerId: ledger.id,
      period: '2026-09',
      preparer: 'clerk',
      approver: 'manager',
      state: 'posted',
      lines: [
        { account: '102', debit: 5_000_00 },
        { account: '401', credit: 5_000_00 },
      ],
    });
    await addVoucher(ds, {
      ledgerId: ledger.id,
      period: '2026-09',
      preparer: 'clerk',
      approver: 'manager',
      state: 'posted',
      lines: [
        { account: '501', debit: 1_200_00 },
        { account: '507', debit: 800_01 },
        { account: '102', credit: 2_000_01 },
      ],
    });

    const { closeId, handle } = await startClose(t.stack, 'HAPPY', '2026-09');
    // Its result, not its status query: a query that arrives while a workflow task waits on a local
    // activity can make the task end early and one more follow (the cost counted below).
    const status = await handle.result();

    expect(status.state).toBe('closed');
    expect(status.steps.map((s) => s.state)).toEqual(Array(11).fill('done'));
    const written = await balances(ds, ledger.id, '2026-09');
    const recomputed = await recomputeTrialBalance(ds, ledger.id, '2026-09');
    for (const [account, r] of Object.entries(recomputed)) {
      expect({ account, closing: written[account]?.closing }).toEqual({ account, closing: String(r.closing) });
    }
    expect(written['401'].closing).toBe('0');
    expect(written['501'].closing).toBe('0');
    expect(written['507'].closing).toBe('0');
    // 5,000.00 income less 2,000.01 expenditure: net assets grow by 2,999.99 (a credit balance).
    expect(written['302'].closing).toBe(String(-2_999_99));
    const next = await balances(ds, ledger.id, '2026-10');
    for (const [account, b] of Object.entries(written)) expect(next[account]?.opening).toBe(b.closing);

    const period = await one<{ state: string; closed_by: string; close_id: string }>(
      ds,
      `SELECT state, closed_by, close_id FROM period WHERE ledger_id = $1 AND period = '2026-09'`,
      [ledger.id],
    );
    expect(period).toEqual({ state: 'closed', closed_by: 'manager', close_id: closeId });
    const run = await closeRun(ds, closeId);
    expect(run.state).toBe('closed');
    expect(run.steps.map((s) => s.state)).toEqual(status.steps.map((s) => s.state));
    const carry = await rows(ds, `SELECT id FROM voucher WHERE ledger_id = $1 AND period = '2026-09' AND source_type = 'carry_forward'`, [ledger.id]);
    expect(carry).toHaveLength(1);
    const snapshot = await one<{ id: string }>(ds, `SELECT id FROM period_snapshot WHERE close_id = $1`, [closeId]);
    expect((await verifySnapshot(ds, snapshot!.id)).matches).toBe(true);
    // A clean close costs Temporal two workflow tasks: its steps up to the lock ran ahead in one local
    // activity; the lock went through the server, so that the task that ran the others recorded them first.
    const cost = await historyCost(handle);
    expect(cost).toEqual({ workflowTasks: 2, serverActivities: ['lock'], localActivities: ['runAhead'] });
    await recordHistory(handle, 'close-happy-path');
  });

  it('when every step ends within a moment, then the ten run ahead are recorded by one write to its close run, each with its attempt, start and end', async () => {
    const ds = t.db.dataSource;
    // Counts the writes to close_run per close (a month-end pays for every one of them, thousands of times).
    await ds.query(`CREATE TABLE IF NOT EXISTS close_run_write (close_id text NOT NULL)`);
    await ds.query(`CREATE OR REPLACE FUNCTION count_close_run_write() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN INSERT INTO close_run_write VALUES (NEW.id); RETURN NULL; END $$`);
    await ds.query(`CREATE OR REPLACE TRIGGER close_run_write AFTER UPDATE ON close_run FOR EACH ROW EXECUTE FUNCTION count_close_run_write()`);
    try {
      await createLedger(ds, { code: 'ONEWRITE', firstPeriod: '2026-09', openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
      const { closeId, handle } = await startClose(t.stack, 'ONEWRITE', '2026-09');
      expect((await waitForState(handle, ['closed', 'failed', 'blocked'])).state).toBe('closed');

      const writes = await one<{ n: number }>(ds, `SELECT count(*)::int AS n FROM close_run_write WHERE close_id = $1`, [closeId]);
      // The ten steps run ahead in one write (their ends held: step-ends.ts), the lock's end, the lock closing
      // the run: 12 when each step's end was written apart, 23 when each start was too.
      expect(writes!.n).toBe(3);
      const run = await closeRun(ds, closeId);
      for (const step of run.steps) {
        expect({ name: step.name, state: step.state, attempts: step.attempts }).toEqual({ name: step.name, state: 'done', attempts: 1 });
        expect(Date.parse(step.startedAt!)).toBeLessThanOrEqual(Date.parse(step.endedAt!));
      }
    } finally {
      await ds.query(`DROP TRIGGER close_run_write ON close_run`);
    }
  });

  it('when a period is closed, then the database refuses any change to it, also by direct SQL', async () => {
    const ds = t.db.dataSource;
    const ledger = await createLedger(ds, { code: 'LOCKED', firstPeriod: '2026-09', openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    const v = await addVoucher(ds, {
      ledgerId: ledger.id,
      period: '2026-09',
      preparer: 'clerk',
      approver: 'manager',
      state: 'posted',
      lines: [
        { account: '102', debit: 10_00 },
        { account: '401', credit: 10_00 },
      ],
    });
    const { handle } = await startClose(t.stack, 'LOCKED', '2026-09');
    expect((await waitForState(handle, ['closed', 'failed', 'blocked'])).state).toBe('closed');

    await expect(ds.query(`UPDATE voucher SET description = 'changed' WHERE id = $1`, [v.id])).rejects.toMatchObject({ driverError: { code: 'BK001' } });
    await expect(ds.query(`DELETE FROM voucher_line WHERE voucher_id = $1`, [v.id])).rejects.toMatchObject({ driverError: { code: 'BK001' } });
    await expect(ds.query(`UPDATE balance SET opening = opening + 1 WHERE ledger_id = $1 AND period = '2026-09'`, [ledger.id])).rejects.toMatchObject({
      driverError: { code: 'BK001' },
    });
    await expect(
      ds.query(`UPDATE period SET state = 'open', closed_at = NULL, closed_by = NULL WHERE ledger_id = $1 AND period = '2026-09'`, [ledger.id]),
    ).rejects.toMatchObject({ driverError: { code: 'BK004' } });
  });

  it('when the same close is started again while the period is closed, then it fails with PERIOD_ALREADY_CLOSED and changes nothing', async () => {
    const ds = t.db.dataSource;
    await createLedger(ds, { code: 'TWICE', firstPeriod: '2026-09', openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    const first = await startClose(t.stack, 'TWICE', '2026-09');
    expect((await waitForState(first.handle, ['closed', 'failed'])).state).toBe('closed');
    const audits = await one<{ n: number }>(ds, `SELECT count(*)::int AS n FROM audit_log`);

    const second = await startClose(t.stack, 'TWICE', '2026-09');
    const status = await waitForState(second.handle, ['closed', 'failed']);
    expect(status.state).toBe('failed');
    expect(status.errors[0].code).toBe('PERIOD_ALREADY_CLOSED');
    const carried = await rows(
      ds,
      `SELECT o.close_id FROM close_operation o JOIN ledger l ON l.id = o.ledger_id WHERE l.code = 'TWICE' AND o.operation = 'carry_forward'`,
    );
    expect(carried).toEqual([{ close_id: first.closeId }]);
    const after = await one<{ n: number }>(ds, `SELECT count(*)::int AS n FROM audit_log WHERE action <> 'close.failed'`);
    expect(after!.n).toBe(audits!.n);
  });
});
