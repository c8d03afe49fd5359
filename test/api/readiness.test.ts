import { standInAdmin } from '../../simulators/common/admin-client';
import { addReimbursement, addTransfer, addVoucher, createLedger } from '../fixtures/books';
import { expectError, fingerprint, startApiHarness, type ApiHarness } from './harness';
import { BLOCKER_OWNERS, type BlockerCode } from '../../close';

/**
 * 结账检查 through the API (issue #15 §1): one ledger's period, every check at once, writing nothing;
 * and every ledger of a federation, counted set-based, paged and filtered.
 */
const period = '2026-10';
const lines = [
  { account: '501', debit: 50_00 },
  { account: '102', credit: 50_00 },
];

describe('the pre-close check', () => {
  let h: ApiHarness;
  let blocked: { id: number };

  beforeAll(async () => {
    h = await startApiHarness();
    await createLedger(h.ds, { code: 'RD-FED', firstPeriod: period });
    blocked = await createLedger(h.ds, { code: 'RD-A', parentCode: 'RD-FED', firstPeriod: period, openingBalances: { '102': 5_000_00, '301': -5_000_00 } });
    await createLedger(h.ds, { code: 'RD-B', parentCode: 'RD-FED', firstPeriod: period });
    await createLedger(h.ds, { code: 'RD-C', parentCode: 'RD-FED', firstPeriod: period });
    await createLedger(h.ds, { code: 'RD-OTHER', firstPeriod: period });
    await addVoucher(h.ds, { ledgerId: blocked.id, period, preparer: 'clerk', state: 'draft', lines });
    await addVoucher(h.ds, { ledgerId: blocked.id, period, preparer: 'clerk', state: 'submitted', lines });
    await addReimbursement(h.ds, { ledgerId: blocked.id, period, amount: 88_00, state: 'approved', claimant: '赵磊' });
    await addTransfer(h.ds, { ledgerId: blocked.id, period, reference: 'RD-T1', amount: 10_00, state: 'in_transit' });
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('when a ledger is checked, then every step’s blockers come at once, with people as owners, and nothing is written', async () => {
    const before = await fingerprint(h.ds);
    const res = await h.as('clerk').get(`/api/v1/ledgers/RD-A/periods/${period}/readiness`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ledger: 'RD-A', period, ready: false, state: 'open', checkedAt: expect.any(String) });
    const codes = res.body.blockers.map((b: { step: string; code: string }) => `${b.step}:${b.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'pending_approvals:VOUCHER_DRAFT',
        'pending_approvals:VOUCHER_SUBMITTED',
        'reimbursements:REIMBURSEMENT_UNPAID',
        'fund_transfers:TRANSFER_IN_TRANSIT',
      ]),
    );
    // Each blocker names the role that must act as the board counts it (BLOCKER_OWNERS).
    for (const b of res.body.blockers as Array<{ code: BlockerCode; owner: string }>) expect([b.code, b.owner]).toEqual([b.code, BLOCKER_OWNERS[b.code]]);
    const drafts = res.body.blockers.find((b: { code: string }) => b.code === 'VOUCHER_DRAFT');
    expect(drafts.owners).toEqual([{ user: 'clerk', count: 1 }]);
    // The clerk prepared it: the acts offered to them are submit and void; the transfer is not theirs to ask about.
    expect(drafts.items[0].actions.map((a: { id: string }) => a.id)).toEqual(['voucher.submit', 'voucher.void']);
    const transfer = res.body.blockers.find((b: { code: string }) => b.code === 'TRANSFER_IN_TRANSIT');
    expect(transfer.items[0].actions).toEqual([]);
    // The bank was never asked: the check says so rather than asking it.
    expect(res.body.knownAt.fund_transfers).toBeNull();
    expect(await fingerprint(h.ds)).toEqual(before);
  });

  it('when the reader asks in Chinese, then the messages and act labels are Chinese; without a language, English', async () => {
    const zh = await h.as('fm').get(`/api/v1/ledgers/RD-A/periods/${period}/readiness`).set('Accept-Language', 'zh-CN,zh;q=0.9');
    const submitted = zh.body.blockers.find((b: { code: string }) => b.code === 'VOUCHER_SUBMITTED');
    expect(submitted.message).toMatch(/[\u4e00-\u9fff]/);
    expect(submitted.items[0].actions.map((a: { label: string }) => a.label)).toEqual(['审核', '驳回']);
    const en = await h.as('fm').get(`/api/v1/ledgers/RD-A/periods/${period}/readiness`);
    expect(en.body.blockers.find((b: { code: string }) => b.code === 'VOUCHER_SUBMITTED').message).toMatch(/^[\x20-\x7e]+$/);
  });

  it('when refresh=true, then the bank is asked first and its word is kept and shown', async () => {
    await standInAdmin(h.stack.bankUrl).request('PUT', '/transfers', { transfers: [{ reference: 'RD-T1', state: 'failed', reason: '账户已冻结' }] });
    const res = await h.as('fm').get(`/api/v1/ledgers/RD-A/periods/${period}/readiness?refresh=true`);
    expect(res.status).toBe(200);
    const failed = res.body.blockers.find((b: { code: string }) => b.code === 'TRANSFER_FAILED');
    expect(failed.items[0]).toMatchObject({ reference: 'RD-T1', bankState: 'failed', bankReason: '账户已冻结' });
    expect(res.body.knownAt.fund_transfers).toEqual(expect.any(String));
  });

  it('when a clean ledger is checked, then it is ready', async () => {
    const res = await h.as('auditor').get(`/api/v1/ledgers/RD-B/periods/${period}/readiness`);
    expect(res.body).toMatchObject({ ledger: 'RD-B', ready: true, blockers: [] });
  });

  it('when the ledger, the period or the caller is wrong, then a 4xx with a code', async () => {
    expectError(await h.as('fm').get(`/api/v1/ledgers/NOPE/periods/${period}/readiness`), 404, 'LEDGER_NOT_FOUND');
    expectError(await h.as('fm').get('/api/v1/ledgers/RD-A/periods/2026-13/readiness'), 400, 'PERIOD_INVALID');
    expectError(await h.as('fm').get(`/api/v1/ledgers/RD-A/periods/${period}/readiness?refresh=yes`), 400, 'VALIDATION_FAILED');
    expectError(await h.as(null).get(`/api/v1/ledgers/RD-A/periods/${period}/readiness`), 401, 'UNAUTHENTICATED');
    expectError(await h.as('admin').get(`/api/v1/ledgers/RD-A/periods/${period}/readiness`), 403, 'PERMISSION_DENIED');
  });

  it('when a federation is checked, then each ledger under it has its state and counts by code, with totals; filters and pages hold', async () => {
    const all = await h.as('fm').get(`/api/v1/readiness?parent=RD-FED&period=${period}`);
    expect(all.status).toBe(200);
    expect(all.body.items.map((i: { ledger: string }) => i.ledger)).toEqual(['RD-A', 'RD-B', 'RD-C']);
    const a = all.body.items[0];
    expect(a).toMatchObject({ ledger: 'RD-A', state: 'open', ready: false });
    expect(a.counts).toMatchObject({ VOUCHER_DRAFT: 1, VOUCHER_SUBMITTED: 1, REIMBURSEMENT_UNPAID: 1 });
    expect(all.body.totals).toMatchObject({ ledgers: 3, ready: 2 });
    expect(all.body.totals.byCode).toMatchObject({ VOUCHER_DRAFT: 1 });
    // Who has the most to do: the items by the role that must act, summed from the codes.
    const owners: Record<string, number> = {};
    for (const [code, n] of Object.entries(all.body.totals.byCode as Record<string, number>))
      owners[BLOCKER_OWNERS[code as BlockerCode]] = (owners[BLOCKER_OWNERS[code as BlockerCode]] ?? 0) + n;
    expect(all.body.totals.byOwner).toEqual(owners);
    expect(all.body.totals.byOwner).toMatchObject({ accountant: expect.any(Number), finance_manager: expect.any(Number) });
    expect(all.body.totals.byOwner.finance_manager).toBeGreaterThanOrEqual(3);

    // Search by part of the code or of the name, case-insensitive; LIKE's wildcards are matched as themselves.
    const search = async (q: string) =>
      (await h.as('fm').get(`/api/v1/readiness?parent=RD-FED&period=${period}&q=${encodeURIComponent(q)}`)).body.items.map((i: { ledger: string }) => i.ledger);
    expect(await search('rd-b')).toEqual(['RD-B']);
    expect(await search('工会委员会')).toEqual(['RD-A', 'RD-B', 'RD-C']);
    expect(await search('%')).toEqual([]);
    expect(await search('RD_')).toEqual([]);
    const searched = await h.as('fm').get(`/api/v1/readiness?parent=RD-FED&period=${period}&q=RD-C`);
    expect(searched.body.totals).toMatchObject({ ledgers: 1, ready: 1 });
    expectError(await h.as('fm').get(`/api/v1/readiness?parent=RD-FED&period=${period}&q=${'x'.repeat(61)}`), 400, 'VALIDATION_FAILED');
    expect(all.body.next).toBeNull();

    const notReady = await h.as('fm').get(`/api/v1/readiness?parent=RD-FED&period=${period}&ready=false`);
    expect(notReady.body.items.map((i: { ledger: string }) => i.ledger)).toEqual(['RD-A']);
    const byCode = await h.as('fm').get(`/api/v1/readiness?parent=RD-FED&period=${period}&code=REIMBURSEMENT_UNPAID`);
    expect(byCode.body.items.map((i: { ledger: string }) => i.ledger)).toEqual(['RD-A']);

    const first = await h.as('fm').get(`/api/v1/readiness?parent=RD-FED&period=${period}&limit=2`);
    expect(first.body.items.map((i: { ledger: string }) => i.ledger)).toEqual(['RD-A', 'RD-B']);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await h.as('fm').get(`/api/v1/readiness?parent=RD-FED&period=${period}&limit=2&cursor=${encodeURIComponent(first.body.next)}`);
    expect(second.body.items.map((i: { ledger: string }) => i.ledger)).toEqual(['RD-C']);
    expect(second.body.next).toBeNull();

    expectError(await h.as('fm').get(`/api/v1/readiness?parent=NOPE&period=${period}`), 404, 'LEDGER_NOT_FOUND');
    expectError(await h.as('fm').get(`/api/v1/readiness?parent=RD-FED&period=${period}&code=NOT_A_CODE`), 400, 'VALIDATION_FAILED');
    expect((await h.as('fm').get(`/api/v1/readiness?parent=RD-FED&period=${period}&cursor=not-a-cursor`)).status).toBe(400);
  });
});
