import { rows } from '../../db/sql';
import { formatMinor } from '../../lib/money';
import { addReimbursement, addVoucher, createLedger, recomputeTrialBalance } from '../fixtures/books';
import { expectError, startApiHarness, waitFor, waitForClose, type ApiHarness } from './harness';

describe('a close through the API, from start to closed, reopened and closed again', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when a close meets a submitted voucher and an unpaid claim, then approving, posting, deferring and resuming through the API closes it', async () => {
    const ledger = await createLedger(h.ds, { code: 'LIFE', firstPeriod: '2026-09', openingBalances: { '102': 10_000_00, '301': -10_000_00 } });
    await addVoucher(h.ds, {
      ledgerId: ledger.id,
      period: '2026-09',
      preparer: 'clerk',
      approver: 'fm2',
      lines: [
        { account: '102', debit: 500_00 },
        { account: '401', credit: 500_00 },
      ],
    });
    const voucher = await addVoucher(h.ds, {
      ledgerId: ledger.id,
      period: '2026-09',
      preparer: 'clerk',
      state: 'submitted',
      lines: [
        { account: '501', debit: 120_00 },
        { account: '102', credit: 120_00 },
      ],
    });
    const claim = await addReimbursement(h.ds, { ledgerId: ledger.id, period: '2026-09', amount: 300_00, state: 'approved', claimant: 'wang' });

    const started = await h.as('fm').post('/api/v1/closes', { ledger: 'LIFE', period: '2026-09' });
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/api/v1/closes/${started.body.id}`);
    expect(started.body).toMatchObject({ ledger: 'LIFE', period: '2026-09', initiatedBy: 'fm', monthEndId: null, endedAt: null });
    expect(started.body.steps).toHaveLength(11);
    const id: string = started.body.id;
    expect((await h.as('clerk').get(`/api/v1/closes/${id}`)).body.id).toBe(id);

    const again = await h.as('sched').post('/api/v1/closes', { ledger: 'LIFE', period: '2026-09' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);

    // Every blocker at once (the voucher and the claim), each item with the acts the caller may take.
    const onVoucher = await waitFor(async () => {
      const c = (await h.as('fm').get(`/api/v1/closes/${id}`)).body;
      return c.state === 'blocked' && c.blockers.length === 2 ? c : undefined;
    }, 'the close blocked on the voucher and the claim');
    expect(onVoucher.currentStep).toBe('pending_approvals');
    expect(onVoucher.blockers).toEqual([
      expect.objectContaining({
        code: 'VOUCHER_SUBMITTED',
        step: 'pending_approvals',
        owner: 'finance_manager',
        message: expect.any(String),
        items: [
          expect.objectContaining({
            voucherId: voucher.id,
            preparer: 'clerk',
            amount: '120.00',
            actions: [
              expect.objectContaining({ id: 'voucher.approve', method: 'POST', path: `/api/v1/vouchers/${voucher.id}/approve`, needs: [] }),
              expect.objectContaining({ id: 'voucher.reject', path: `/api/v1/vouchers/${voucher.id}/reject`, needs: ['reason'] }),
            ],
          }),
        ],
      }),
      expect.objectContaining({
        code: 'REIMBURSEMENT_UNPAID',
        step: 'reimbursements',
        items: [expect.objectContaining({ reimbursementId: claim.id, claimant: 'wang', owner: 'wang' })],
      }),
    ]);

    const approved = await h.as('fm').post(`/api/v1/vouchers/${voucher.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: voucher.id, state: 'approved', approver: 'fm', preparer: 'clerk' });
    expectError(await h.as('fm2').post(`/api/v1/vouchers/${voucher.id}/approve`), 409, 'VOUCHER_STATE_INVALID');
    expect((await h.as('fm').post(`/api/v1/vouchers/${voucher.id}/post`)).body).toMatchObject({ state: 'posted', postedAt: expect.any(String) });

    // Each act makes the close re-check at once: only the claim is left.
    const onClaim = await waitFor(async () => {
      const c = (await h.as('ops').get(`/api/v1/closes/${id}`)).body;
      return c.state === 'blocked' && c.currentStep === 'reimbursements' && c.blockers.length === 1 ? c : undefined;
    }, 'the close blocked on the claim alone');
    expect(onClaim.blockers).toEqual([
      expect.objectContaining({ code: 'REIMBURSEMENT_UNPAID', items: [expect.objectContaining({ reimbursementId: claim.id, claimant: 'wang' })] }),
    ]);
    const deferred = await h.as('fm').post(`/api/v1/reimbursements/${claim.id}/defer`, { reason: '下月支付 paid in October' });
    expect(deferred.body).toMatchObject({
      id: claim.id,
      state: 'deferred',
      deferredTo: '2026-10',
      deferredReason: '下月支付 paid in October',
      amount: '300.00',
    });
    expect((await h.as('ops').post(`/api/v1/closes/${id}/resume`)).status).toBe(202);

    const closed = await waitForClose(h, id, ['closed', 'failed']);
    expect(closed).toMatchObject({ state: 'closed', blockers: [], currentStep: null, endedAt: expect.any(String) });
    // The lock step commits the closed state a moment before its own step is marked done (see the report).
    const settled = await waitFor(
      async () => {
        const c = (await h.as('fm').get(`/api/v1/closes/${id}`)).body;
        return c.steps.every((s: { state: string }) => s.state === 'done') ? c : undefined;
      },
      'every step done',
      5_000,
    );
    expect(settled.steps.map((s: { name: string }) => s.name)).toEqual([
      'authorise',
      'previous_period',
      'pending_approvals',
      'reimbursements',
      'fund_transfers',
      'invoice_sync',
      'reconciliation',
      'trial_balance',
      'backup',
      'carry_forward',
      'lock',
    ]);

    expectError(await h.as('fm').post('/api/v1/closes', { ledger: 'LIFE', period: '2026-09' }), 409, 'PERIOD_ALREADY_CLOSED');
    expectError(await h.as('ops').post(`/api/v1/closes/${id}/resume`), 409, 'CLOSE_NOT_ACTIVE');
    expectError(await h.as('ops').post(`/api/v1/closes/${id}/cancel`, { reason: 'too late' }), 409, 'CLOSE_NOT_ACTIVE');

    const periods = (await h.as('auditor').get('/api/v1/ledgers/LIFE/periods')).body;
    expect(periods.items).toEqual([
      expect.objectContaining({ period: '2026-10', state: 'open', closedBy: null }),
      expect.objectContaining({ period: '2026-09', state: 'closed', closedBy: 'fm', closeId: id, closedAt: expect.any(String) }),
    ]);
    const ledgers = (await h.as('auditor').get('/api/v1/ledgers')).body;
    expect(ledgers.items).toContainEqual(expect.objectContaining({ code: 'LIFE', latestClosedPeriod: '2026-09', parent: null }));

    const tb = (await h.as('clerk').get('/api/v1/ledgers/LIFE/periods/2026-09/trial-balance')).body;
    expect(tb).toMatchObject({ ledger: 'LIFE', period: '2026-09', periodState: 'closed', source: 'balance' });
    const expected = await recomputeTrialBalance(h.ds, ledger.id, '2026-09');
    for (const line of tb.accounts) {
      const e = expected[line.account];
      expect(line).toEqual({
        account: line.account,
        name: expect.any(String),
        opening: formatMinor(e.opening),
        debit: formatMinor(e.debit),
        credit: formatMinor(e.credit),
        closing: formatMinor(e.closing),
      });
    }
    expect(tb.accounts.find((a: { account: string }) => a.account === '302').closing).toBe('-380.00');
    expect(tb.totals).toMatchObject({ opening: '0.00', closing: '0.00' });

    const audit = (await h.as('auditor').get('/api/v1/audit?ledger=LIFE&period=2026-09&limit=100')).body.items;
    const acts = audit.map((a: { action: string; actor: string }) => `${a.action}:${a.actor}`);
    expect(acts).toEqual(
      expect.arrayContaining([
        'close.started:fm',
        'voucher.approved:fm',
        'voucher.posted:fm',
        'reimbursement.deferred:fm',
        'close.resume_requested:ops',
        'close.closed:fm',
      ]),
    );
    expect(audit.find((a: { action: string }) => a.action === 'reimbursement.deferred').reason).toBe('下月支付 paid in October');
  });

  it('when two starts of the same period race, then one close runs and both answers name it', async () => {
    const ledger = await createLedger(h.ds, { code: 'RACE', firstPeriod: '2026-09' });
    await addVoucher(h.ds, {
      ledgerId: ledger.id,
      period: '2026-09',
      preparer: 'clerk',
      state: 'draft',
      lines: [
        { account: '501', debit: 1_00 },
        { account: '102', credit: 1_00 },
      ],
    });
    const answers = await Promise.all([
      h.as('fm').post('/api/v1/closes', { ledger: 'RACE', period: '2026-09' }),
      h.as('sched').post('/api/v1/closes', { ledger: 'RACE', period: '2026-09' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 202]);
    expect(answers[0].body.id).toBe(answers[1].body.id);
    expect(await rows(h.ds, `SELECT id FROM close_run WHERE ledger_id = $1`, [ledger.id])).toEqual([{ id: answers[0].body.id }]);
    await waitForClose(h, answers[0].body.id, ['blocked']);
    await h.as('fm').post(`/api/v1/closes/${answers[0].body.id}/cancel`, { reason: 'race over' });
    await waitForClose(h, answers[0].body.id, ['cancelled']);
  });

  it('when the latest closed period is reopened with a reason, then it is open as before the close, and can be closed again', async () => {
    const ledger = (await rows<{ id: number }>(h.ds, `SELECT id FROM ledger WHERE code = 'LIFE'`))[0];
    const balancesNow = () =>
      rows(h.ds, `SELECT period, account_code, opening, debit, credit, closing FROM balance WHERE ledger_id = $1 ORDER BY period, account_code`, [ledger.id]);
    const firstClose = await balancesNow();
    expect(firstClose.length).toBeGreaterThan(0);
    expectError(await h.as('fm').post('/api/v1/ledgers/LIFE/periods/2026-09/reopen', {}), 400, 'VALIDATION_FAILED');
    const reopened = await h.as('fm').post('/api/v1/ledgers/LIFE/periods/2026-09/reopen', { reason: '补录漏记凭证 a missed voucher' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ ledger: 'LIFE', period: '2026-09', state: 'open', reopenedBy: 'fm', removedCarryForward: 1, removedOpenings: 35 });
    expectError(await h.as('fm').post('/api/v1/ledgers/LIFE/periods/2026-09/reopen', { reason: 'twice' }), 409, 'PERIOD_NOT_CLOSED');

    const period = (
      await rows(h.ds, `SELECT state, closed_by, closed_at, close_id, frozen_at FROM period WHERE ledger_id = $1 AND period = '2026-09'`, [ledger.id])
    )[0];
    expect(period).toEqual({ state: 'open', closed_by: null, closed_at: null, close_id: null, frozen_at: null });
    expect(await rows(h.ds, `SELECT 1 FROM balance WHERE ledger_id = $1 AND period = '2026-10'`, [ledger.id])).toEqual([]);
    expect(await rows(h.ds, `SELECT 1 FROM voucher WHERE ledger_id = $1 AND source_type = 'carry_forward'`, [ledger.id])).toEqual([]);
    const tb = (await h.as('fm').get('/api/v1/ledgers/LIFE/periods/2026-09/trial-balance')).body;
    expect(tb).toMatchObject({ periodState: 'open', source: 'computed', totals: { opening: '0.00', debit: '620.00', credit: '620.00', closing: '0.00' } });
    const audit = (await h.as('auditor').get('/api/v1/audit?ledger=LIFE&period=2026-09&limit=5')).body.items;
    expect(audit[0]).toMatchObject({ action: 'period.reopen', actor: 'fm', reason: '补录漏记凭证 a missed voucher' });

    const second = await h.as('fm').post('/api/v1/closes', { ledger: 'LIFE', period: '2026-09' });
    expect(second.status).toBe(202);
    const closed = await waitForClose(h, second.body.id, ['closed', 'failed']);
    expect(closed.state).toBe('closed');
    const closes = (await h.as('fm').get('/api/v1/closes?ledger=LIFE')).body.items;
    expect(closes.map((c: { id: string; state: string }) => c.state)).toEqual(['closed', 'closed']);
    expect(await balancesNow()).toEqual(firstClose);
  });
});
