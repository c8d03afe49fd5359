import { randomUUID } from 'node:crypto';
import { closeWorkflowId } from '../../close';
import { createDataSource } from '../../db/data-source';
import { closeWorkflow } from '../../workflows/close/close-workflow';
import { fastCloseSettings } from '../helpers/temporal';
import { one, rows } from '../../db/sql';
import { cancelSignal } from '../../workflows/close/messages';
import { addVoucher, createLedger } from '../fixtures/books';
import { useCloseStack, balances, closeRun, startClose, waitForState, waitUntil } from './close-harness';
import { recordHistory } from './record-history';

describe('a close that meets failures', () => {
  const t = useCloseStack([
    ['manager', 'finance_manager'],
    ['clerk', 'accountant'],
    ['auditor', 'auditor'],
  ]);

  async function ledgerWithActivity(code: string): Promise<{ id: number }> {
    const l = await createLedger(t.db.dataSource, { code, firstPeriod: '2026-09', openingBalances: { '102': 9_000_00, '301': -9_000_00 } });
    await addVoucher(t.db.dataSource, {
      ledgerId: l.id,
      period: '2026-09',
      preparer: 'clerk',
      approver: 'manager',
      state: 'posted',
      lines: [
        { account: '102', debit: 1_234_56 },
        { account: '402', credit: 1_234_56 },
      ],
    });
    return l;
  }

  it('when the worker dies right after carry forward committed, then a new worker finishes the close and nothing is written twice', async () => {
    const ds = t.db.dataSource;
    const l = await ledgerWithActivity('CRASH');
    await t.stack.worker.stop();
    let carried = false;
    // This worker really carries forward, then never reports back: to Temporal it is a worker that died.
    const doomed = await t.stack.startWorker({}, (a) => ({
      ...a,
      carryForward: async (input) => {
        await a.carryForward(input);
        carried = true;
        return new Promise<never>(() => undefined);
      },
    }));
    const { closeId, handle } = await startClose(t.stack, 'CRASH', '2026-09');
    await waitUntil(async () => carried, 30_000, 'carry forward on the first worker');
    await doomed.stop();
    t.stack.worker = await t.stack.startWorker();

    const status = await waitForState(handle, ['closed', 'failed']);
    expect(status.state).toBe('closed');
    // The first worker's carry forward never answered: its workflow task (every step runs local-first)
    // was lost with it, and the new worker ran the close's steps again, carry forward finding its own work.
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.some((e) => e.workflowTaskTimedOutEventAttributes || e.workflowTaskFailedEventAttributes)).toBe(true);
    const cf = await rows(ds, `SELECT id FROM voucher WHERE ledger_id = $1 AND source_type = 'carry_forward'`, [l.id]);
    expect(cf).toHaveLength(1);
    const ops = await rows(ds, `SELECT operation FROM close_operation WHERE ledger_id = $1 ORDER BY operation`, [l.id]);
    expect(ops.map((o) => o.operation)).toEqual(['backup', 'carry_forward', 'lock']);
    expect((await balances(ds, l.id, '2026-09'))['302'].closing).toBe(String(-1_234_56));
    expect((await closeRun(ds, closeId)).state).toBe('closed');
  });

  it("when a step's database connection is cut, then the step is retried and the close finishes", async () => {
    const ds = t.db.dataSource;
    await ledgerWithActivity('CUT');
    // The worker has its own pool, named, so only its connections are cut.
    const workerDs = createDataSource(t.db.url, 4, 'close-worker-under-test');
    await workerDs.initialize();
    await t.stack.worker.stop();
    t.stack.worker = await t.stack.startWorker({ dataSource: workerDs });
    const blocker = createDataSource(t.db.url, 1, 'lock-holder');
    await blocker.initialize();
    const runner = blocker.createQueryRunner();
    await runner.startTransaction();
    await runner.query(`LOCK TABLE balance IN ACCESS EXCLUSIVE MODE`);
    try {
      const { closeId, handle } = await startClose(t.stack, 'CUT', '2026-09');
      const waiting = await waitUntil(
        async () =>
          (
            await rows<{ pid: number }>(ds, `SELECT pid FROM pg_stat_activity WHERE application_name = 'close-worker-under-test' AND wait_event_type = 'Lock'`)
          )[0],
        30_000,
        'a step waiting on the lock',
      );
      await ds.query(`SELECT pg_terminate_backend($1)`, [waiting.pid]);
      await waitUntil(async () => (await closeRun(ds, closeId)).errors.length > 0, 30_000, 'the error recorded');
      await runner.rollbackTransaction();
      const status = await waitForState(handle, ['closed', 'failed']);
      expect(status.state).toBe('closed');
      const run = await closeRun(ds, closeId);
      expect(run.errors[0]).toMatchObject({ code: 'DATABASE_UNAVAILABLE', step: 'previous_period' });
      expect(run.steps.find((s) => s.name === 'previous_period')!.attempts).toBeGreaterThanOrEqual(2);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
      await blocker.destroy();
      await t.stack.worker.stop();
      t.stack.worker = await t.stack.startWorker();
      await workerDs.destroy();
    }
  });

  it('when a blocked close is cancelled, then it ends cancelled, the period is open again and the close left nothing behind', async () => {
    const ds = t.db.dataSource;
    const l = await ledgerWithActivity('CANCEL');
    await addVoucher(ds, {
      ledgerId: l.id,
      period: '2026-09',
      preparer: 'clerk',
      state: 'submitted',
      lines: [
        { account: '501', debit: 1_00 },
        { account: '102', credit: 1_00 },
      ],
    });
    const { closeId, handle } = await startClose(t.stack, 'CANCEL', '2026-09');
    await waitForState(handle, ['blocked']);
    await handle.signal(cancelSignal, { by: 'ops-zhao', reason: 'voucher belongs to next month' });
    const status = await waitForState(handle, ['cancelled', 'failed', 'closed']);
    expect(status.state).toBe('cancelled');
    const period = await one(ds, `SELECT state, frozen_at, close_id FROM period WHERE ledger_id = $1 AND period = '2026-09'`, [l.id]);
    expect(period).toEqual({ state: 'open', frozen_at: null, close_id: null });
    expect((await closeRun(ds, closeId)).state).toBe('cancelled');
    expect(await rows(ds, `SELECT 1 FROM balance WHERE ledger_id = $1 AND period = '2026-10'`, [l.id])).toHaveLength(0);
    const audit = await one(ds, `SELECT actor, reason FROM audit_log WHERE action = 'close.cancelled' AND target = $1`, [closeId]);
    expect(audit).toEqual({ actor: 'ops-zhao', reason: 'voucher belongs to next month' });
    await recordHistory(handle, 'close-cancelled');
  });

  it('when a close is cancelled while its checks run ahead, then the check under way ends, no further step starts, and the close ends cancelled with nothing written', async () => {
    const ds = t.db.dataSource;
    const l = await ledgerWithActivity('AHEADCANCEL');
    await t.stack.worker.stop();
    let entered = false;
    let reconciled = false;
    const written: string[] = [];
    // Reconciliation takes 4 s: past the 1.6 s heartbeat of a 2 s workflow task, the one that brings the cancel to the close.
    t.stack.worker = await t.stack.startWorker({}, (a) => ({
      ...a,
      reconciliation: async (input) => {
        entered = true;
        await new Promise((r) => setTimeout(r, 4_000));
        const outcome = await a.reconciliation(input);
        reconciled = true;
        return outcome;
      },
      backup: async (input) => (written.push('backup'), a.backup(input)),
      carryForward: async (input) => (written.push('carry_forward'), a.carryForward(input)),
    }));
    const closeId = randomUUID();
    const handle = await t.stack.client.workflow.start(closeWorkflow, {
      taskQueue: t.stack.taskQueue,
      workflowId: closeWorkflowId('AHEADCANCEL', '2026-09'),
      workflowTaskTimeout: '2s',
      args: [{ closeId, ledger: 'AHEADCANCEL', period: '2026-09', initiatedBy: 'manager', settings: fastCloseSettings }],
    });
    await waitUntil(async () => entered, 30_000, 'reconciliation running ahead');
    await handle.signal(cancelSignal, { by: 'ops-wang', reason: 'started by mistake' });
    const status = await waitForState(handle, ['cancelled', 'failed', 'closed']);
    expect(status.state).toBe('cancelled');
    // Run-ahead finishes the check it was in, then sees the cancel: backup and carry forward never start.
    await waitUntil(async () => reconciled, 30_000, 'the slow reconciliation to end');
    await new Promise((r) => setTimeout(r, 500));
    expect(written).toEqual([]);
    expect(await one(ds, `SELECT state, frozen_at, close_id FROM period WHERE ledger_id = $1 AND period = '2026-09'`, [l.id])).toEqual({
      state: 'open',
      frozen_at: null,
      close_id: null,
    });
    expect(await rows(ds, `SELECT operation FROM close_operation WHERE ledger_id = $1`, [l.id])).toHaveLength(0);
    expect((await closeRun(ds, closeId)).state).toBe('cancelled');
    t.stack.worker = await t.stack.worker.stop().then(() => t.stack.startWorker());
  });

  it('when a close is cancelled in the frozen window (carried forward, not yet locked), then its writes are undone, the period is open and writable, and a late lock cannot close it', async () => {
    const ds = t.db.dataSource;
    const l = await ledgerWithActivity('FROZEN');
    await t.stack.worker.stop();
    let reachedLock = false;
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    let lateLock: Promise<unknown> | undefined;
    // The lock step waits at the gate: the period stays frozen and carried forward until the test opens it.
    t.stack.worker = await t.stack.startWorker({}, (a) => ({
      ...a,
      lock: async (input) => {
        reachedLock = true;
        await gate;
        lateLock = a.lock(input).then(
          () => 'locked',
          (err: { type?: string }) => err.type,
        );
        return lateLock as never;
      },
    }));
    const { closeId, handle } = await startClose(t.stack, 'FROZEN', '2026-09');
    await waitUntil(async () => reachedLock, 30_000, 'the lock step reached');
    expect(await one(ds, `SELECT state, frozen_at IS NOT NULL AS frozen FROM period WHERE ledger_id = $1 AND period = '2026-09'`, [l.id])).toEqual({
      state: 'closing',
      frozen: true,
    });
    expect(await rows(ds, `SELECT id FROM voucher WHERE ledger_id = $1 AND source_type = 'carry_forward'`, [l.id])).toHaveLength(1);

    await handle.signal(cancelSignal, { by: 'ops-li', reason: 'a late invoice belongs to this month' });
    const status = await waitForState(handle, ['cancelled', 'failed', 'closed']);
    expect(status.state).toBe('cancelled');
    expect(await one(ds, `SELECT state, frozen_at, close_id FROM period WHERE ledger_id = $1 AND period = '2026-09'`, [l.id])).toEqual({
      state: 'open',
      frozen_at: null,
      close_id: null,
    });
    expect(await rows(ds, `SELECT id FROM voucher WHERE ledger_id = $1 AND source_type = 'carry_forward'`, [l.id])).toHaveLength(0);
    expect(await rows(ds, `SELECT 1 FROM balance WHERE ledger_id = $1 AND period = '2026-10'`, [l.id])).toHaveLength(0);
    expect(await rows(ds, `SELECT operation FROM close_operation WHERE ledger_id = $1`, [l.id])).toHaveLength(0);
    expect(Object.values(await balances(ds, l.id, '2026-09')).every((b) => b.closing === null)).toBe(true);
    expect((await closeRun(ds, closeId)).state).toBe('cancelled');

    // The lock that arrives after the cancel finds the period no longer its own.
    openGate();
    expect(await waitUntil(async () => lateLock && (await lateLock), 30_000, 'the late lock')).toBe('CLOSE_NOT_ACTIVE');
    expect(await one(ds, `SELECT state FROM period WHERE ledger_id = $1 AND period = '2026-09'`, [l.id])).toEqual({ state: 'open' });
    // The period takes new vouchers again.
    await addVoucher(ds, {
      ledgerId: l.id,
      period: '2026-09',
      preparer: 'clerk',
      approver: 'manager',
      lines: [
        { account: '501', debit: 9_00 },
        { account: '102', credit: 9_00 },
      ],
    });
  });

  it.each([
    ['an unknown ledger', 'NOPE', '2026-09', 'manager', 'LEDGER_NOT_FOUND'],
    ['a period that has not ended', 'BADREQ', '2099-01', 'manager', 'PERIOD_IN_FUTURE'],
    ['a user without the close permission', 'BADREQ', '2026-09', 'auditor', 'PERMISSION_DENIED'],
  ])('when the close names %s, then it fails at once with a stable code and writes no books', async (_what, ledger, period, user, code) => {
    const ds = t.db.dataSource;
    await createLedger(ds, { code: 'BADREQ', firstPeriod: '2026-09', openingBalances: {} }).catch(() => undefined);
    const { handle } = await startClose(t.stack, ledger, period, user);
    const status = await waitForState(handle, ['failed', 'closed', 'blocked'], 20_000);
    expect(status.state).toBe('failed');
    expect(status.errors[0].code).toBe(code);
    const p = await one<{ state: string }>(
      ds,
      `SELECT p.state FROM period p JOIN ledger l ON l.id = p.ledger_id WHERE l.code = 'BADREQ' AND p.period = '2026-09'`,
    );
    expect(p?.state ?? 'open').toBe('open');
  });
});
