import { one, rows } from '../../db/sql';
import { cancelSignal } from '../../workflows/close/messages';
import { addVoucher, createLedger } from '../fixtures/books';
import { closeRun, startClose, useCloseStack, waitForState } from './close-harness';

/**
 * A close always ends: a failure that waiting cannot fix (a data error, a broken rule) fails its step
 * at once with a stable code instead of retrying for ever, and text that reaches the close from
 * outside the API (a cancel sent from Temporal's own UI or CLI) cannot make its release fail.
 */
describe('failures that waiting cannot fix', () => {
  const t = useCloseStack([
    ['manager', 'finance_manager'],
    ['clerk', 'accountant'],
  ]);

  async function blockedLedger(code: string): Promise<number> {
    const l = await createLedger(t.db.dataSource, { code, firstPeriod: '2026-09', openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    await addVoucher(t.db.dataSource, {
      ledgerId: l.id,
      period: '2026-09',
      preparer: 'clerk',
      state: 'submitted',
      lines: [
        { account: '501', debit: 10_00 },
        { account: '102', credit: 10_00 },
      ],
    });
    return l.id;
  }

  it('when a cancel from outside the API carries a NUL byte in its reason, then the close still ends cancelled and the reason is stored without it', async () => {
    const ledgerId = await blockedLedger('NUL-CANCEL');
    const { closeId, handle } = await startClose(t.stack, 'NUL-CANCEL', '2026-09');
    await waitForState(handle, ['blocked']);
    await handle.signal(cancelSignal, { by: 'operator', reason: 'power\u0000cut' });

    const status = await waitForState(handle, ['cancelled', 'failed', 'closed'], 30_000);
    expect(status.state).toBe('cancelled');
    expect((await closeRun(t.db.dataSource, closeId)).state).toBe('cancelled');
    expect(await one(t.db.dataSource, `SELECT state, close_id FROM period WHERE ledger_id = $1 AND period = '2026-09'`, [ledgerId])).toEqual({
      state: 'open',
      close_id: null,
    });
    expect(await rows(t.db.dataSource, `SELECT actor, reason FROM audit_log WHERE target = $1 AND action = 'close.cancelled'`, [closeId])).toEqual([
      { actor: 'operator', reason: 'powercut' },
    ]);
  });

  it('when a step meets a data error of the database, then it fails at its first attempt with VALUE_REJECTED, and the close fails, released', async () => {
    const ledgerId = await blockedLedger('DATA-ERR');
    await t.db.dataSource.query(`UPDATE voucher SET state = 'posted', approver = 'manager', approved_at = now(), posted_at = now() WHERE ledger_id = $1`, [
      ledgerId,
    ]);
    await t.stack.worker.stop();
    // A real statement PostgreSQL refuses (text with a NUL byte), run by the reimbursements step.
    const faulty = await t.stack.startWorker({}, (a) => ({
      ...a,
      reimbursements: async () => {
        await t.db.dataSource.query(`SELECT $1::text`, ['bad\u0000byte']);
        throw new Error('unreachable');
      },
    }));
    try {
      const { closeId, handle } = await startClose(t.stack, 'DATA-ERR', '2026-09');
      const status = await waitForState(handle, ['failed', 'closed', 'blocked', 'cancelled'], 30_000);
      expect(status.state).toBe('failed');
      expect(status.errors).toEqual([expect.objectContaining({ code: 'VALUE_REJECTED', step: 'reimbursements' })]);
      const run = await closeRun(t.db.dataSource, closeId);
      expect(run.state).toBe('failed');
      expect(run.errors.map((e) => e.code)).toEqual(['VALUE_REJECTED']);
      expect(await one(t.db.dataSource, `SELECT state, close_id FROM period WHERE ledger_id = $1 AND period = '2026-09'`, [ledgerId])).toEqual({
        state: 'open',
        close_id: null,
      });
    } finally {
      await faulty.stop();
      t.stack.worker = await t.stack.startWorker();
    }
  });
});
