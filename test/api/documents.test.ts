import { rows } from '../../db/sql';
import { addReimbursement, addVoucher, createLedger, ensurePeriod } from '../fixtures/books';
import { expectError, fingerprint, startApiHarness, type ApiHarness } from './harness';

const lines = [
  { account: '501', debit: 80_00 },
  { account: '102', credit: 80_00 },
];

describe('approving, posting and deferring documents through the API', () => {
  let h: ApiHarness;
  let ledgerId: number;
  beforeAll(async () => {
    h = await startApiHarness();
    ledgerId = (await createLedger(h.ds, { code: 'DOCS', firstPeriod: '2026-08', openingBalances: { '102': 1_000_00, '301': -1_000_00 } })).id;
    for (const period of ['2026-09', '2026-10']) await ensurePeriod(h.ds, ledgerId, period);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const voucherIn = (period: string, state: 'draft' | 'submitted' | 'approved', preparer = 'clerk') =>
    addVoucher(h.ds, { ledgerId, period, preparer, state, approver: state === 'approved' ? 'fm2' : null, lines });

  it('when a submitted voucher is approved by another user and then posted, then each act is recorded with who did it', async () => {
    const v = await voucherIn('2026-09', 'submitted');
    const approved = await h.as('fm').post(`/api/v1/vouchers/${v.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      id: v.id,
      ledger: 'DOCS',
      period: '2026-09',
      number: v.number,
      state: 'approved',
      approver: 'fm',
      approvedAt: expect.any(String),
      postedAt: null,
    });
    const posted = await h.as('fm2').post(`/api/v1/vouchers/${v.id}/post`);
    expect(posted.body).toMatchObject({ state: 'posted', approver: 'fm', postedAt: expect.any(String) });
    const audit = await rows<{ action: string; actor: string }>(h.ds, `SELECT action, actor FROM audit_log WHERE target = $1 ORDER BY id`, [v.id]);
    expect(audit).toEqual([
      { action: 'voucher.approved', actor: 'fm' },
      { action: 'voucher.posted', actor: 'fm2' },
    ]);
  });

  it('when the approver prepared the voucher, or it is not submitted, then approving is refused and changes nothing', async () => {
    const own = await voucherIn('2026-09', 'submitted', 'fm');
    const draft = await voucherIn('2026-09', 'draft');
    const approved = await voucherIn('2026-09', 'approved');
    const before = await fingerprint(h.ds);
    const refused = await h.as('fm').post(`/api/v1/vouchers/${own.id}/approve`);
    expectError(refused, 409, 'SEGREGATION_OF_DUTIES');
    expect(refused.body.error.details).toEqual({ preparer: 'fm' });
    expectError(await h.as('fm').post(`/api/v1/vouchers/${draft.id}/approve`), 409, 'VOUCHER_STATE_INVALID');
    expectError(await h.as('fm').post(`/api/v1/vouchers/${approved.id}/approve`), 409, 'VOUCHER_STATE_INVALID');
    expectError(await h.as('fm').post(`/api/v1/vouchers/${draft.id}/post`), 409, 'VOUCHER_STATE_INVALID');
    expectError(await h.as('fm').post('/api/v1/vouchers/99999999/approve'), 404, 'VOUCHER_NOT_FOUND');
    expectError(await h.as('fm').post('/api/v1/vouchers/99999999/post'), 404, 'VOUCHER_NOT_FOUND');
    expect(await fingerprint(h.ds)).toEqual(before);
  });

  it('when the database itself is asked to let a preparer approve, then its constraint refuses too', async () => {
    const own = await voucherIn('2026-09', 'submitted', 'fm');
    await expect(h.ds.query(`UPDATE voucher SET state = 'approved', approver = preparer, approved_at = now() WHERE id = $1`, [own.id])).rejects.toMatchObject({
      driverError: expect.objectContaining({ constraint: 'voucher_segregation_of_duties' }),
    });
  });

  it('when the period is closed or frozen by its close, then the database refuses the act and the API says why', async () => {
    const closedOne = await voucherIn('2026-08', 'submitted');
    const closedClaim = await addReimbursement(h.ds, { ledgerId, period: '2026-08', amount: 50_00, state: 'submitted' });
    await h.ds.query(`UPDATE period SET state = 'closed', closed_by = 'fm', closed_at = now() WHERE ledger_id = $1 AND period = '2026-08'`, [ledgerId]);
    const frozen = await voucherIn('2026-10', 'approved');
    await h.ds.query(`UPDATE period SET state = 'closing', frozen_at = now() WHERE ledger_id = $1 AND period = '2026-10'`, [ledgerId]);

    const before = await fingerprint(h.ds);
    expectError(await h.as('fm').post(`/api/v1/vouchers/${closedOne.id}/approve`), 409, 'PERIOD_CLOSED');
    expectError(await h.as('fm').post(`/api/v1/reimbursements/${closedClaim.id}/defer`, { reason: 'next month' }), 409, 'PERIOD_CLOSED');
    expectError(await h.as('fm').post(`/api/v1/vouchers/${frozen.id}/post`), 409, 'PERIOD_FROZEN');
    expect(await fingerprint(h.ds)).toEqual(before);
  });

  it('when an unpaid claim is deferred with a reason, then it moves to the next period; a paid or posted one cannot be', async () => {
    const claim = await addReimbursement(h.ds, { ledgerId, period: '2026-09', amount: 260_50, state: 'submitted', claimant: 'li' });
    const deferred = await h.as('fm').post(`/api/v1/reimbursements/${claim.id}/defer`, { reason: '  发票未到 invoice not yet received  ' });
    expect(deferred.status).toBe(200);
    expect(deferred.body).toEqual({
      id: claim.id,
      ledger: 'DOCS',
      period: '2026-09',
      number: claim.number,
      claimant: 'li',
      amount: '260.50',
      state: 'deferred',
      deferredTo: '2026-10',
      deferredReason: '发票未到 invoice not yet received',
      voucherId: null,
    });
    const [entry] = await rows(h.ds, `SELECT actor, reason, details FROM audit_log WHERE action = 'reimbursement.deferred' AND target = $1`, [claim.id]);
    expect(entry).toEqual({
      actor: 'fm',
      reason: '发票未到 invoice not yet received',
      details: { from: 'submitted', deferredTo: '2026-10', number: claim.number },
    });

    const paid = await addReimbursement(h.ds, { ledgerId, period: '2026-09', amount: 10_00, state: 'paid' });
    const before = await fingerprint(h.ds);
    expectError(await h.as('fm').post(`/api/v1/reimbursements/${paid.id}/defer`, { reason: 'x' }), 409, 'REIMBURSEMENT_STATE_INVALID');
    expectError(await h.as('fm').post(`/api/v1/reimbursements/${claim.id}/defer`, { reason: 'again' }), 409, 'REIMBURSEMENT_STATE_INVALID');
    expectError(await h.as('fm').post('/api/v1/reimbursements/99999999/defer', { reason: 'x' }), 404, 'REIMBURSEMENT_NOT_FOUND');
    expect(await fingerprint(h.ds)).toEqual(before);
  });
});
