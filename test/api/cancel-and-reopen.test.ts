import { randomUUID } from 'node:crypto';
import { rows } from '../../db/sql';
import { addVoucher, createLedger, ensurePeriod } from '../fixtures/books';
import { expectError, fingerprint, startApiHarness, waitForClose, type ApiHarness } from './harness';

const posted = [
  { account: '102', debit: 200_00 },
  { account: '401', credit: 200_00 },
];
const pending = [
  { account: '501', debit: 50_00 },
  { account: '102', credit: 50_00 },
];

describe('cancelling a close, and the rules of reopening', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const startClose = async (ledger: string, period: string): Promise<string> => {
    const res = await h.as('fm').post('/api/v1/closes', { ledger, period });
    expect(res.status).toBe(202);
    return res.body.id;
  };

  it('when a cancel reason carries a NUL byte, then it is refused with 400 before the close is signalled: the close stays blocked, and a proper cancel still ends it', async () => {
    const ledger = await createLedger(h.ds, { code: 'CANC-NUL', firstPeriod: '2026-09', openingBalances: { '102': 500_00, '301': -500_00 } });
    await addVoucher(h.ds, { ledgerId: ledger.id, period: '2026-09', preparer: 'clerk', state: 'submitted', lines: pending });
    const id = await startClose('CANC-NUL', '2026-09');
    await waitForClose(h, id, ['blocked']);
    expectError(await h.as('ops').post(`/api/v1/closes/${id}/cancel`, { reason: 'power\u0000cut' }), 400, 'TEXT_INVALID');
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await h.as('ops').get(`/api/v1/closes/${id}`)).body.state).toBe('blocked');
    expect(await rows(h.ds, `SELECT action FROM audit_log WHERE target = $1 AND action LIKE 'close.cancel%'`, [id])).toEqual([]);

    expect((await h.as('ops').post(`/api/v1/closes/${id}/cancel`, { reason: 'power cut' })).status).toBe(202);
    expect((await waitForClose(h, id, ['cancelled'])).state).toBe('cancelled');
  });

  it('when a blocked close is cancelled with a reason, then it ends cancelled, the period is open again, and both acts are audited', async () => {
    const ledger = await createLedger(h.ds, { code: 'CANC', firstPeriod: '2026-09', openingBalances: { '102': 500_00, '301': -500_00 } });
    await addVoucher(h.ds, { ledgerId: ledger.id, period: '2026-09', preparer: 'clerk', state: 'submitted', lines: pending });
    const id = await startClose('CANC', '2026-09');
    await waitForClose(h, id, ['blocked']);

    const cancelled = await h.as('ops').post(`/api/v1/closes/${id}/cancel`, { reason: '账套选错 wrong ledger' });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.id).toBe(id);
    const ended = await waitForClose(h, id, ['cancelled']);
    expect(ended).toMatchObject({ state: 'cancelled', currentStep: null, endedAt: expect.any(String) });
    expect(ended.steps.find((s: { name: string }) => s.name === 'pending_approvals').state).toBe('cancelled');

    const [period] = await rows(h.ds, `SELECT state, close_id, frozen_at FROM period WHERE ledger_id = $1 AND period = '2026-09'`, [ledger.id]);
    expect(period).toEqual({ state: 'open', close_id: null, frozen_at: null });
    const audit = await rows<{ action: string; actor: string; reason: string }>(
      h.ds,
      `SELECT action, actor, reason FROM audit_log WHERE target = $1 AND action LIKE 'close.cancel%' ORDER BY id`,
      [id],
    );
    expect(audit).toEqual([
      { action: 'close.cancel_requested', actor: 'ops', reason: '账套选错 wrong ledger' },
      { action: 'close.cancelled', actor: 'ops', reason: '账套选错 wrong ledger' },
    ]);

    const before = await fingerprint(h.ds);
    expectError(await h.as('ops').post(`/api/v1/closes/${id}/resume`), 409, 'CLOSE_NOT_ACTIVE');
    expectError(await h.as('ops').post(`/api/v1/closes/${id}/cancel`), 409, 'CLOSE_NOT_ACTIVE');
    expectError(await h.as('ops').post(`/api/v1/closes/${randomUUID()}/cancel`), 404, 'CLOSE_NOT_FOUND');
    expectError(await h.as('ops').post(`/api/v1/closes/${randomUUID()}/resume`), 404, 'CLOSE_NOT_FOUND');
    expect(await fingerprint(h.ds)).toEqual(before);

    const next = await startClose('CANC', '2026-09');
    expect(next).not.toBe(id);
    await waitForClose(h, next, ['blocked']);
    expect((await h.as('fm').post(`/api/v1/closes/${next}/cancel`)).status).toBe(202);
    await waitForClose(h, next, ['cancelled']);
  });

  it('when reopening is asked of an open period, of one with a later closed period, or while the next period closes, then it is refused', async () => {
    const ledger = await createLedger(h.ds, { code: 'ROPN', firstPeriod: '2026-08', openingBalances: { '102': 500_00, '301': -500_00 } });
    await addVoucher(h.ds, { ledgerId: ledger.id, period: '2026-08', preparer: 'clerk', lines: posted });
    expect((await waitForClose(h, await startClose('ROPN', '2026-08'), ['closed', 'failed'])).state).toBe('closed');
    expect((await waitForClose(h, await startClose('ROPN', '2026-09'), ['closed', 'failed'])).state).toBe('closed');

    const before = await fingerprint(h.ds);
    const notLatest = await h.as('fm').post('/api/v1/ledgers/ROPN/periods/2026-08/reopen', { reason: 'fix' });
    expectError(notLatest, 409, 'PERIOD_NOT_LATEST_CLOSED');
    expect(notLatest.body.error.details).toEqual({ latestClosed: '2026-09' });
    expectError(await h.as('fm').post('/api/v1/ledgers/ROPN/periods/2026-10/reopen', { reason: 'fix' }), 409, 'PERIOD_NOT_CLOSED');
    expectError(await h.as('fm').post('/api/v1/ledgers/ROPN/periods/2027-01/reopen', { reason: 'fix' }), 409, 'PERIOD_NOT_CLOSED');
    expectError(await h.as('fm').post('/api/v1/ledgers/NOPE/periods/2026-09/reopen', { reason: 'fix' }), 404, 'LEDGER_NOT_FOUND');
    expect(await fingerprint(h.ds)).toEqual(before);

    expect((await h.as('fm').post('/api/v1/ledgers/ROPN/periods/2026-09/reopen', { reason: 'a late voucher' })).status).toBe(200);
    await ensurePeriod(h.ds, ledger.id, '2026-09');
    await addVoucher(h.ds, { ledgerId: ledger.id, period: '2026-09', preparer: 'clerk', state: 'submitted', lines: pending });
    const running = await startClose('ROPN', '2026-09');
    await waitForClose(h, running, ['blocked']);

    // The blocked close keeps re-checking (its own progress in close_run): the books must not move.
    const books = async () => {
      const { close_run: _progress, ...rest } = await fingerprint(h.ds);
      return rest;
    };
    const booksBefore = await books();
    const refused = await h.as('fm').post('/api/v1/ledgers/ROPN/periods/2026-08/reopen', { reason: 'fix' });
    expectError(refused, 409, 'PERIOD_CLOSE_RUNNING');
    expect(refused.body.error.details).toEqual({ period: '2026-09', closeId: running });
    expect(await books()).toEqual(booksBefore);
    await h.as('fm').post(`/api/v1/closes/${running}/cancel`, { reason: 'test over' });
    await waitForClose(h, running, ['cancelled']);
  });
});
