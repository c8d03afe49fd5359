import { rows } from '../../db/sql';
import { inBooksTransaction } from '../../db/session';
import { addReimbursement, addSubledgerEntry, addVoucher, createLedger } from '../fixtures/books';
import { resumeSignal, statusQuery } from '../../workflows/close/messages';
import { useCloseStack, closeRun, historyCost, startClose, waitForState, waitUntil } from './close-harness';
import { recordHistory } from './record-history';

describe('a close that finds blockers', () => {
  const t = useCloseStack([
    ['manager', 'finance_manager'],
    ['clerk', 'accountant'],
  ]);

  it('when vouchers are not posted, then the close waits listing each with who must act, and goes on by itself once they are', async () => {
    const ds = t.db.dataSource;
    const l = await createLedger(ds, { code: 'VOUCH', firstPeriod: '2026-09', openingBalances: { '102': 10_000_00, '301': -10_000_00 } });
    const lines = [
      { account: '501', debit: 100_00 },
      { account: '102', credit: 100_00 },
    ];
    const draft = await addVoucher(ds, { ledgerId: l.id, period: '2026-09', preparer: 'clerk', state: 'draft', lines });
    const submitted = await addVoucher(ds, { ledgerId: l.id, period: '2026-09', preparer: 'clerk', state: 'submitted', lines });
    const approved = await addVoucher(ds, { ledgerId: l.id, period: '2026-09', preparer: 'clerk', approver: 'manager', state: 'approved', lines });

    const { closeId, handle } = await startClose(t.stack, 'VOUCH', '2026-09');
    const blocked = await waitForState(handle, ['blocked', 'closed', 'failed']);
    expect(blocked.state).toBe('blocked');
    expect(blocked.currentStep).toBe('pending_approvals');
    const byCode = Object.fromEntries(blocked.blockers.map((b) => [b.code, b]));
    expect(Object.keys(byCode).sort()).toEqual(['VOUCHER_DRAFT', 'VOUCHER_NOT_POSTED', 'VOUCHER_SUBMITTED']);
    expect(byCode.VOUCHER_DRAFT.items).toEqual([expect.objectContaining({ voucherId: draft.id, number: draft.number, amount: '100.00', preparer: 'clerk' })]);
    expect(byCode.VOUCHER_SUBMITTED).toMatchObject({ owner: 'finance_manager', total: 1, items: [expect.objectContaining({ number: submitted.number })] });
    expect(byCode.VOUCHER_NOT_POSTED.items).toEqual([expect.objectContaining({ number: approved.number, approver: 'manager' })]);
    const run = await closeRun(ds, closeId);
    expect(run.state).toBe('blocked');
    expect(run.blockers.map((b) => b.code).sort()).toEqual(['VOUCHER_DRAFT', 'VOUCHER_NOT_POSTED', 'VOUCHER_SUBMITTED']);

    await inBooksTransaction(ds, { actor: 'manager' }, async (em) => {
      await em.query(`DELETE FROM voucher WHERE id = $1`, [draft.id]);
      await em.query(`UPDATE voucher SET state = 'approved', approver = 'manager', approved_at = now() WHERE id = $1`, [submitted.id]);
      await em.query(`UPDATE voucher SET state = 'posted', posted_at = now() WHERE id = ANY($1::bigint[])`, [[submitted.id, approved.id]]);
    });
    const closed = await waitForState(handle, ['closed', 'failed']);
    expect(closed.state).toBe('closed');
    expect(closed.blockers).toEqual([]);
    expect(closed.steps.find((s) => s.name === 'pending_approvals')!.attempts).toBe(1);
    // Run ahead twice: authorise and every check (stopping before the backup: they blocked), then, at
    // the re-check, every check, backup and carry forward; the lock through the server.
    const cost = await historyCost(handle);
    expect({ serverActivities: cost.serverActivities, localActivities: cost.localActivities }).toEqual({
      serverActivities: ['lock'],
      localActivities: Array(cost.localActivities.length).fill('runAhead'),
    });
    expect(cost.localActivities.length).toBeGreaterThanOrEqual(2);
    const backups = await rows<{ n: number }>(ds, `SELECT count(*)::int AS n FROM period_snapshot WHERE close_id = $1`, [closeId]);
    expect(backups).toEqual([{ n: 1 }]);
    await recordHistory(handle, 'close-blocked-then-cleared');
  });

  it('when a close stays blocked for many re-checks, then it continues as new with its status, and closes once cleared, posting once', async () => {
    const ds = t.db.dataSource;
    const l = await createLedger(ds, { code: 'LONGWAIT', firstPeriod: '2026-09', openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    const lines = [
      { account: '501', debit: 20_00 },
      { account: '102', credit: 20_00 },
    ];
    await addVoucher(ds, { ledgerId: l.id, period: '2026-09', preparer: 'clerk', approver: 'manager', lines });
    const waiting = await addVoucher(ds, { ledgerId: l.id, period: '2026-09', preparer: 'clerk', state: 'submitted', lines });
    const { closeId, handle } = await startClose(t.stack, 'LONGWAIT', '2026-09', 'manager', { maxRechecksPerRun: 2 });
    const first = await waitForState(handle, ['blocked']);
    const startedAt = first.steps.find((s) => s.name === 'authorise')!.startedAt;
    // Two re-checks a run, a second apart: within seconds the close is in its third run.
    await waitUntil(
      async () => {
        let runs = 0;
        for await (const _ of t.stack.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) runs++;
        return runs >= 3;
      },
      30_000,
      'the close continued as new twice',
    );
    // A blocked close re-runs every check at each re-check; it rests on the first blocked step.
    const later = await waitUntil(
      async () => {
        const s = await handle.query(statusQuery);
        return s.state === 'blocked' && s.currentStep === 'pending_approvals' && s.blockers.length > 0 ? s : undefined;
      },
      30_000,
      'the close resting blocked at pending approvals',
    );
    expect(later).toMatchObject({ closeId, state: 'blocked', currentStep: 'pending_approvals', startedAt: first.startedAt });
    expect(later.steps.find((s) => s.name === 'authorise')).toMatchObject({ state: 'done', startedAt });
    expect(later.blockers.map((b) => b.code)).toEqual(['VOUCHER_SUBMITTED']);

    await inBooksTransaction(ds, { actor: 'manager' }, async (em) => {
      await em.query(`UPDATE voucher SET state = 'approved', approver = 'manager', approved_at = now() WHERE id = $1`, [waiting.id]);
      await em.query(`UPDATE voucher SET state = 'posted', posted_at = now() WHERE id = $1`, [waiting.id]);
    });
    await handle.signal(resumeSignal, { by: 'ops' });
    const closed = await waitForState(handle, ['closed', 'failed']);
    expect(closed).toMatchObject({ closeId, state: 'closed', blockers: [] });
    expect((await closeRun(ds, closeId)).state).toBe('closed');
    expect(await ds.query(`SELECT count(*)::int AS n FROM voucher WHERE ledger_id = $1 AND source_type = 'carry_forward'`, [l.id])).toEqual([{ n: 1 }]);
  });

  it('when a close stays blocked on the same blockers, then it re-checks less and less often up to the maximum, at once after an act, and short again after it', async () => {
    const ds = t.db.dataSource;
    const l = await createLedger(ds, { code: 'BACKOFF', firstPeriod: '2026-09', openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    const lines = [
      { account: '501', debit: 20_00 },
      { account: '102', credit: 20_00 },
    ];
    const waiting = await addVoucher(ds, { ledgerId: l.id, period: '2026-09', preparer: 'clerk', state: 'submitted', lines });
    const { handle } = await startClose(t.stack, 'BACKOFF', '2026-09', 'manager', { recheckMs: 200, recheckMaxMs: 800 });
    await waitForState(handle, ['blocked']);
    const waits = async (): Promise<number[]> => {
      const history = await handle.fetchHistory();
      return (history.events ?? [])
        .map((e) => e.timerStartedEventAttributes?.startToFireTimeout)
        .filter((d) => d != null)
        .map((d) => Number(d!.seconds ?? 0) * 1000 + Math.round((d!.nanos ?? 0) / 1e6));
    };
    // The same voucher blocks each time: every wait twice the last, up to the maximum.
    const unchanged = await waitUntil(async () => ((await waits()).length >= 5 ? waits() : undefined), 30_000, 'five re-check waits');
    expect(unchanged.slice(0, 5)).toEqual([200, 400, 800, 800, 800]);

    // An act asks for a re-check: it runs at once, and the next wait is short again.
    const before = unchanged.length;
    await handle.signal(resumeSignal, { by: 'manager' });
    const after = await waitUntil(async () => ((await waits()).length > before + 1 ? waits() : undefined), 30_000, 'a wait after the resume');
    expect(after[before]).toBe(200);

    // Cleared without anyone saying so, the close notices within the longest wait and closes.
    await inBooksTransaction(ds, { actor: 'manager' }, async (em) => {
      await em.query(`UPDATE voucher SET state = 'approved', approver = 'manager', approved_at = now() WHERE id = $1`, [waiting.id]);
      await em.query(`UPDATE voucher SET state = 'posted', posted_at = now() WHERE id = $1`, [waiting.id]);
    });
    expect((await waitForState(handle, ['closed', 'failed'])).state).toBe('closed');
    await recordHistory(handle, 'close-blocked-backing-off');
  });

  it('when reimbursements are unpaid and a sub-ledger differs, then the close waits on each, and resume re-checks at once', async () => {
    const ds = t.db.dataSource;
    const l = await createLedger(ds, { code: 'REIMB', firstPeriod: '2026-09', openingBalances: { '102': 10_000_00, '301': -10_000_00 } });
    const claim = await addReimbursement(ds, { ledgerId: l.id, period: '2026-09', claimant: 'wang', amount: 300_00, state: 'approved' });
    await addVoucher(ds, {
      ledgerId: l.id,
      period: '2026-09',
      preparer: 'clerk',
      approver: 'manager',
      state: 'posted',
      lines: [
        { account: '112', debit: 50_00 },
        { account: '409', credit: 50_00 },
      ],
    });
    await addSubledgerEntry(ds, { ledgerId: l.id, period: '2026-09', subledger: 'receivables', reference: 'AR-1', amount: 40_00 });

    const { handle } = await startClose(t.stack, 'REIMB', '2026-09');
    const blocked = await waitForState(handle, ['blocked', 'closed', 'failed']);
    // Every check's blockers at once, marked by step; the close rests on the first.
    expect(blocked.currentStep).toBe('reimbursements');
    expect(blocked.blockers).toEqual([
      expect.objectContaining({
        code: 'REIMBURSEMENT_UNPAID',
        step: 'reimbursements',
        owner: 'finance_manager',
        items: [expect.objectContaining({ reimbursementId: claim.id, claimant: 'wang', amount: '300.00', owner: 'wang' })],
      }),
      expect.objectContaining({
        code: 'SUBLEDGER_UNRECONCILED',
        step: 'reconciliation',
        // The documents booked on one side only: the general ledger's 50.00 and the sub-ledger's 40.00 do not pair.
        items: [
          expect.objectContaining({ subledger: 'receivables', account: '112', side: 'general_ledger', amount: '50.00' }),
          expect.objectContaining({ subledger: 'receivables', account: '112', side: 'subledger', reference: 'AR-1', amount: '40.00' }),
        ],
      }),
    ]);

    await inBooksTransaction(ds, { actor: 'manager', reason: 'paid next month' }, (em) =>
      em.query(`UPDATE reimbursement SET state = 'deferred', deferred_to = '2026-10', deferred_reason = 'paid next month' WHERE id = $1`, [claim.id]),
    );
    await handle.signal(resumeSignal, { by: 'ops' });
    const reconciling = await waitUntil(
      async () => {
        const s = await handle.query(statusQuery);
        return s.currentStep === 'reconciliation' && s.state === 'blocked' ? s : undefined;
      },
      30_000,
      'the reconciliation blocker alone',
    );
    expect(reconciling.blockers.map((b) => b.code)).toEqual(['SUBLEDGER_UNRECONCILED']);

    await addSubledgerEntry(ds, { ledgerId: l.id, period: '2026-09', subledger: 'receivables', reference: 'AR-2', amount: 10_00 });
    await handle.signal(resumeSignal, { by: 'ops' });
    expect((await waitForState(handle, ['closed', 'failed'])).state).toBe('closed');
  });

  it('when the previous period is still open, then the close waits for it and finishes once that one has closed', async () => {
    const ds = t.db.dataSource;
    const l = await createLedger(ds, { code: 'CHAIN', firstPeriod: '2026-08', openingBalances: { '102': 2_000_00, '301': -2_000_00 } });
    await addVoucher(ds, {
      ledgerId: l.id,
      period: '2026-08',
      preparer: 'clerk',
      approver: 'manager',
      state: 'posted',
      lines: [
        { account: '102', debit: 700_00 },
        { account: '401', credit: 700_00 },
      ],
    });
    const september = await startClose(t.stack, 'CHAIN', '2026-09');
    const waiting = await waitForState(september.handle, ['blocked', 'closed', 'failed']);
    expect(waiting.blockers).toEqual([expect.objectContaining({ code: 'PREVIOUS_PERIOD_NOT_CLOSED', items: [{ period: '2026-08', state: 'open' }] })]);

    const august = await startClose(t.stack, 'CHAIN', '2026-08');
    expect((await waitForState(august.handle, ['closed', 'failed', 'blocked'])).state).toBe('closed');
    expect((await waitForState(september.handle, ['closed', 'failed'])).state).toBe('closed');
    const [b] = await ds.query(`SELECT closing FROM balance WHERE ledger_id = $1 AND period = '2026-09' AND account_code = '302'`, [l.id]);
    expect(b.closing).toBe(String(-700_00));
  });
  it("when acts' resumes keep arriving while the close runs its steps, then each step runs once and the close ends closed, with no error", async () => {
    const ds = t.db.dataSource;
    const l = await createLedger(ds, { code: 'RESUMES', firstPeriod: '2026-09', openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    const submitted = await addVoucher(ds, {
      ledgerId: l.id,
      period: '2026-09',
      preparer: 'clerk',
      state: 'submitted',
      lines: [
        { account: '501', debit: 10_00 },
        { account: '102', credit: 10_00 },
      ],
    });
    let locks = 0;
    await t.stack.worker.stop();
    t.stack.worker = await t.stack.startWorker({}, (a) => ({
      ...a,
      lock: async (input) => {
        locks++;
        return a.lock(input);
      },
    }));
    const { closeId, handle } = await startClose(t.stack, 'RESUMES', '2026-09');
    expect((await waitForState(handle, ['blocked', 'closed', 'failed'])).state).toBe('blocked');
    await inBooksTransaction(ds, { actor: 'manager' }, async (em) => {
      await em.query(`UPDATE voucher SET state = 'approved', approver = 'manager', approved_at = now() WHERE id = $1`, [submitted.id]);
      await em.query(`UPDATE voucher SET state = 'posted', posted_at = now() WHERE id = $1`, [submitted.id]);
    });
    // As a finance team clearing items one after another does: a resume per act, some while the close already writes.
    for (let i = 0; i < 200 && (await closeRun(ds, closeId)).state !== 'closed'; i++) {
      await handle.signal(resumeSignal, { by: 'manager' }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 10));
    }
    const closed = await waitForState(handle, ['closed', 'failed']);
    expect(closed.state).toBe('closed');
    expect(closed.errors).toEqual([]);
    expect(locks).toBe(1);
    expect((await closeRun(ds, closeId)).errors).toEqual([]);
  });
});
