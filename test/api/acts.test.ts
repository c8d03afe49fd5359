import { Client } from 'pg';
import { rows } from '../../db/sql';
import { standInAdmin } from '../../simulators/common/admin-client';
import { addReimbursement, addTransfer, addVoucher, createLedger, ensurePeriod } from '../fixtures/books';
import { waitUntilWaitingOnLock } from '../helpers/database';
import { expectError, fingerprint, startApiHarness, type ApiHarness } from './harness';

/**
 * The acts that clear a close's blockers (issue #15), each through the real API, worker and
 * database: what it does, who it names in the audit log, and every refusal (wrong role, the
 * preparer approving, a closed period, bad input) as a 4xx with a code that writes nothing.
 */
const lines = [
  { account: '501', debit: 80_00 },
  { account: '102', credit: 80_00 },
];

describe('acts on blockers through the API', () => {
  let h: ApiHarness;
  let ledgerId: number;
  const period = '2026-09';
  const inClosed = { claim: '', draft: '' };

  beforeAll(async () => {
    h = await startApiHarness();
    ledgerId = (await createLedger(h.ds, { code: 'ACTS', firstPeriod: '2026-08', openingBalances: { '102': 5_000_00, '301': -5_000_00 } })).id;
    await ensurePeriod(h.ds, ledgerId, period);
    // Documents left in August before it closed: every act on them must be refused.
    inClosed.claim = (await addReimbursement(h.ds, { ledgerId, period: '2026-08', amount: 10_00, state: 'approved' })).id;
    inClosed.draft = (await addVoucher(h.ds, { ledgerId, period: '2026-08', preparer: 'clerk', state: 'draft', lines })).id;
    await h.ds.query(`UPDATE period SET state = 'closed', closed_by = 'fm', closed_at = now() WHERE ledger_id = $1 AND period = '2026-08'`, [ledgerId]);
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });

  const voucher = (state: 'draft' | 'submitted' | 'rejected' | 'approved', preparer = 'clerk', at = period) =>
    addVoucher(h.ds, { ledgerId, period: at, preparer, state, approver: state === 'approved' ? 'fm2' : null, lines });
  const auditOf = (target: string) =>
    rows<{ action: string; actor: string; reason: string | null }>(h.ds, `SELECT action, actor, reason FROM audit_log WHERE target = $1 ORDER BY id`, [target]);

  describe('vouchers', () => {
    it('when the preparer submits a draft and another user rejects it with a reason, then it is rejected; resubmitted and approved, each act audited by name', async () => {
      const v = await voucher('draft');
      expect((await h.as('clerk').post(`/api/v1/vouchers/${v.id}/submit`)).body).toMatchObject({ state: 'submitted' });
      const rejected = await h.as('fm').post(`/api/v1/vouchers/${v.id}/reject`, { reason: '摘要不清' });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({ state: 'rejected' });
      expect((await h.as('clerk').post(`/api/v1/vouchers/${v.id}/submit`)).body).toMatchObject({ state: 'submitted' });
      expect((await h.as('fm').post(`/api/v1/vouchers/${v.id}/approve`)).body).toMatchObject({ state: 'approved', approver: 'fm' });
      const trail = await auditOf(v.id);
      expect(trail.map((a) => `${a.action} ${a.actor}`)).toEqual([
        'voucher.submitted clerk',
        'voucher.rejected fm',
        'voucher.submitted clerk',
        'voucher.approved fm',
      ]);
      expect(trail[1]!.reason).toBe('摘要不清');
    });

    it('when a draft is voided by its preparer with a reason, then it is void and audited; without a reason it is a 400 that writes nothing', async () => {
      const v = await voucher('draft');
      const before = await fingerprint(h.ds);
      expectError(await h.as('clerk').post(`/api/v1/vouchers/${v.id}/void`, {}), 400, 'VALIDATION_FAILED');
      expectError(await h.as('clerk').post(`/api/v1/vouchers/${v.id}/void`, { reason: 'a\u0000b' }), 400, 'TEXT_INVALID');
      expect(await fingerprint(h.ds)).toEqual(before);
      const voided = await h.as('clerk').post(`/api/v1/vouchers/${v.id}/void`, { reason: '重复录入' });
      expect(voided.status).toBe(200);
      expect(voided.body).toEqual({ id: v.id, number: v.number, voided: true });
      expect(await rows(h.ds, `SELECT 1 FROM voucher WHERE id = $1`, [v.id])).toEqual([]);
      expect(await auditOf(v.id)).toEqual([{ action: 'voucher.voided', actor: 'clerk', reason: '重复录入' }]);
    });

    it('when someone other than the preparer submits or voids, or the preparer approves, or the role lacks the act, then it is refused with a code and nothing changes', async () => {
      const draft = await voucher('draft');
      const own = await voucher('submitted', 'fm');
      const before = await fingerprint(h.ds);
      expectError(await h.as('fm').post(`/api/v1/vouchers/${draft.id}/submit`), 403, 'PERMISSION_DENIED'); // finance managers do not submit others' work
      expectError(await h.as('fm').post(`/api/v1/vouchers/${own.id}/approve`), 409, 'SEGREGATION_OF_DUTIES');
      expectError(await h.as('clerk').post(`/api/v1/vouchers/${own.id}/approve`), 403, 'PERMISSION_DENIED');
      expectError(await h.as('auditor').post(`/api/v1/vouchers/${draft.id}/void`, { reason: 'x' }), 403, 'PERMISSION_DENIED');
      expectError(await h.as('ops').post(`/api/v1/vouchers/${draft.id}/submit`), 403, 'PERMISSION_DENIED');
      expectError(await h.as(null).post(`/api/v1/vouchers/${draft.id}/submit`), 401, 'UNAUTHENTICATED');
      expect(await fingerprint(h.ds)).toEqual(before);
    });

    it('when a voucher is not the preparer’s to submit, then NOT_THE_PREPARER; an unknown or malformed id is a 404 or 400', async () => {
      const others = await voucher('draft', 'fm2');
      const before = await fingerprint(h.ds);
      expectError(await h.as('clerk').post(`/api/v1/vouchers/${others.id}/submit`), 403, 'NOT_THE_PREPARER');
      expectError(await h.as('clerk').post('/api/v1/vouchers/99999999/submit'), 404, 'VOUCHER_NOT_FOUND');
      expectError(await h.as('clerk').post('/api/v1/vouchers/abc/submit'), 400, 'VALIDATION_FAILED');
      expect(await fingerprint(h.ds)).toEqual(before);
    });

    it('when vouchers are approved and posted in bulk (批量审核 / 批量记账), then each has its own result: done, or refused with its code', async () => {
      const a = await voucher('submitted');
      const b = await voucher('submitted', 'fm');
      const approved = await h.as('fm').post('/api/v1/vouchers/approve', { ids: [a.id, b.id, '99999999'] });
      expect(approved.status).toBe(200);
      expect(approved.body.results.map((r: { id: string; ok: boolean; error?: { code: string } }) => [r.id, r.ok, r.error?.code])).toEqual([
        [a.id, true, undefined],
        [b.id, false, 'SEGREGATION_OF_DUTIES'],
        ['99999999', false, 'VOUCHER_NOT_FOUND'],
      ]);
      const posted = await h.as('fm2').post('/api/v1/vouchers/post', { ids: [a.id, b.id] });
      expect(posted.body.results.map((r: { ok: boolean; error?: { code: string } }) => r.error?.code ?? 'ok')).toEqual(['ok', 'VOUCHER_STATE_INVALID']);
      expectError(await h.as('fm').post('/api/v1/vouchers/approve', { ids: [] }), 400, 'VALIDATION_FAILED');
      expectError(await h.as('clerk').post('/api/v1/vouchers/approve', { ids: [a.id] }), 403, 'PERMISSION_DENIED');
    });

    it('when an adjusting voucher is prepared, then it is a balanced draft of the caller; unbalanced lines, an unknown account or a closed period are refused', async () => {
      const made = await h.as('clerk').post(`/api/v1/ledgers/ACTS/periods/${period}/vouchers`, {
        description: '调整 补记利息',
        lines: [
          { account: '102', debit: '12.34', memo: '利息' },
          { account: '409', credit: '12.34' },
        ],
      });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ state: 'draft', preparer: 'clerk', period });
      const [sums] = await rows<{ d: string; c: string }>(
        h.ds,
        `SELECT sum(debit)::text AS d, sum(credit)::text AS c FROM voucher_line WHERE voucher_id = $1`,
        [made.body.id],
      );
      expect(sums).toEqual({ d: '1234', c: '1234' });

      const before = await fingerprint(h.ds);
      const bad = (body: unknown) => h.as('clerk').post(`/api/v1/ledgers/ACTS/periods/${period}/vouchers`, body);
      expectError(
        await bad({
          description: 'x',
          lines: [
            { account: '102', debit: '1.00' },
            { account: '409', credit: '2.00' },
          ],
        }),
        422,
        'VOUCHER_UNBALANCED',
      );
      expectError(
        await bad({
          description: 'x',
          lines: [
            { account: '999', debit: '1.00' },
            { account: '409', credit: '1.00' },
          ],
        }),
        404,
        'ACCOUNT_NOT_FOUND',
      );
      expectError(await bad({ description: 'x', lines: [{ account: '102', debit: '1.001' }] }), 400, 'VALIDATION_FAILED');
      expectError(await bad({ description: 'x', lines: [{ account: '102', debit: 1.5 }] }), 400, 'VALIDATION_FAILED');
      expectError(
        await h.as('clerk').post('/api/v1/ledgers/ACTS/periods/2026-08/vouchers', {
          description: 'x',
          lines: [
            { account: '102', debit: '1.00' },
            { account: '409', credit: '1.00' },
          ],
        }),
        409,
        'PERIOD_CLOSED',
      );
      expectError(await h.as('auditor').post(`/api/v1/ledgers/ACTS/periods/${period}/vouchers`, { description: 'x', lines }), 403, 'PERMISSION_DENIED');
      expect(await fingerprint(h.ds)).toEqual(before);
    });
  });

  describe('reimbursements', () => {
    it('when a claim’s payment is recorded and it is posted, then the product writes one balanced posted voucher for it, audited by name; twice is refused', async () => {
      const claim = await addReimbursement(h.ds, { ledgerId, period, amount: 345_67, state: 'approved', claimant: '王芳' });
      const paid = await h.as('fm').post(`/api/v1/reimbursements/${claim.id}/pay`);
      expect(paid.status).toBe(200);
      expect(paid.body.state).toBe('paid');
      const posted = await h.as('fm2').post(`/api/v1/reimbursements/${claim.id}/post`);
      expect(posted.status).toBe(200);
      expect(posted.body.state).toBe('posted');
      const [v] = await rows<{ state: string; d: string; c: string }>(
        h.ds,
        `SELECT v.state, sum(l.debit)::text AS d, sum(l.credit)::text AS c FROM reimbursement r JOIN voucher v ON v.id = r.voucher_id
         JOIN voucher_line l ON l.voucher_id = v.id WHERE r.id = $1 GROUP BY v.id`,
        [claim.id],
      );
      expect(v).toEqual({ state: 'posted', d: '34567', c: '34567' });
      expect((await auditOf(claim.id)).map((a) => `${a.action} ${a.actor}`)).toEqual(
        expect.arrayContaining(['reimbursement.paid fm', 'reimbursement.posted fm2']),
      );

      const before = await fingerprint(h.ds);
      expectError(await h.as('fm').post(`/api/v1/reimbursements/${claim.id}/post`), 409, 'REIMBURSEMENT_STATE_INVALID');
      expectError(await h.as('fm').post(`/api/v1/reimbursements/${claim.id}/pay`), 409, 'REIMBURSEMENT_STATE_INVALID');
      expectError(await h.as('clerk').post(`/api/v1/reimbursements/${claim.id}/pay`), 403, 'PERMISSION_DENIED');
      expectError(await h.as('fm').post('/api/v1/reimbursements/99999999/pay'), 404, 'REIMBURSEMENT_NOT_FOUND');
      expect(await fingerprint(h.ds)).toEqual(before);
    });

    it('when a writer outside the product takes the next voucher number while a claim is posted, then the post waits, tries again with the number after, and succeeds', async () => {
      const claim = await addReimbursement(h.ds, { ledgerId, period, amount: 12_00, state: 'paid', claimant: '李雷' });
      const [{ next }] = await rows<{ next: number }>(h.ds, `SELECT coalesce(max(number), 0) + 1 AS next FROM voucher WHERE ledger_id = $1 AND period = $2`, [
        ledgerId,
        period,
      ]);
      // The writer numbers without the product's numbering lock and holds its transaction open.
      const writer = new Client({ connectionString: h.db.url });
      await writer.connect();
      try {
        await writer.query('BEGIN');
        await writer.query(
          `INSERT INTO voucher (ledger_id, period, number, voucher_date, preparer, state) VALUES ($1, $2, $3, '2026-09-28', 'outside', 'draft')`,
          [ledgerId, period, next],
        );
        // then() sends the request now; it is awaited once the writer has committed.
        const posting = h
          .as('fm2')
          .post(`/api/v1/reimbursements/${claim.id}/post`)
          .then((r) => r);
        await waitUntilWaitingOnLock(h.ds, 'INSERT INTO voucher');
        await writer.query('COMMIT');
        const posted = await posting;
        expect(posted.status).toBe(200);
        expect(posted.body.state).toBe('posted');
      } finally {
        await writer.end();
      }
      const numbers = await rows<{ number: number; preparer: string }>(
        h.ds,
        `SELECT number, preparer FROM voucher WHERE ledger_id = $1 AND period = $2 AND number >= $3 ORDER BY number`,
        [ledgerId, period, next],
      );
      expect(numbers).toEqual([
        { number: next, preparer: 'outside' },
        { number: next + 1, preparer: 'system:reimbursement' },
      ]);
    });

    it('when a claim of a closed period is paid, or a draft of it submitted, then PERIOD_CLOSED and nothing changes', async () => {
      const before = await fingerprint(h.ds);
      expectError(await h.as('fm').post(`/api/v1/reimbursements/${inClosed.claim}/pay`), 409, 'PERIOD_CLOSED');
      expectError(await h.as('clerk').post(`/api/v1/vouchers/${inClosed.draft}/submit`), 409, 'PERIOD_CLOSED');
      expect(await fingerprint(h.ds)).toEqual(before);
    });
  });

  describe('fund transfers', () => {
    it('when the bank is asked about a transfer, then its word is kept; a failed one is re-sent once and settles; a returned one is written off with a reversing voucher', async () => {
      const settled = await addTransfer(h.ds, { ledgerId, period, reference: 'ACT-T1', amount: 100_00, state: 'in_transit' });
      const failed = await addTransfer(h.ds, { ledgerId, period, reference: 'ACT-T2', amount: 200_00, state: 'failed', bankReason: '账户冻结' });
      const returned = await addTransfer(h.ds, { ledgerId, period, reference: 'ACT-T3', amount: 300_00, state: 'returned', bankReason: '户名不符' });
      await standInAdmin(h.stack.bankUrl).request('PUT', '/transfers', {
        transfers: [
          { reference: 'ACT-T1', state: 'settled', settledAt: '2026-09-28T07:00:00Z' },
          { reference: 'ACT-T2', state: 'failed', reason: '账户冻结' },
          { reference: 'ACT-T3', state: 'returned', reason: '户名不符' },
        ],
      });

      const asked = await h.as('ops').post(`/api/v1/transfers/${settled.id}/ask-bank`);
      expect(asked.status).toBe(200);
      expect(asked.body).toMatchObject({ reference: 'ACT-T1', bankState: 'settled' });

      const resent = await h.as('fm').post(`/api/v1/transfers/${failed.id}/resend`);
      expect(resent.status).toBe(200);
      expectError(await h.as('fm').post(`/api/v1/transfers/${failed.id}/resend`), 409, 'TRANSFER_STATE_INVALID');

      const before = await fingerprint(h.ds);
      expectError(await h.as('fm').post(`/api/v1/transfers/${returned.id}/write-off`, {}), 400, 'VALIDATION_FAILED');
      expectError(await h.as('ops').post(`/api/v1/transfers/${returned.id}/write-off`, { reason: 'x' }), 403, 'PERMISSION_DENIED');
      expectError(await h.as('fm').post(`/api/v1/transfers/${settled.id}/write-off`, { reason: 'x' }), 409, 'TRANSFER_STATE_INVALID');
      expectError(await h.as('fm').post('/api/v1/transfers/99999999/ask-bank'), 404, 'TRANSFER_NOT_FOUND');
      expect(await fingerprint(h.ds)).toEqual(before);

      const written = await h.as('fm').post(`/api/v1/transfers/${returned.id}/write-off`, { reason: '收款人户名不符，已退回' });
      expect(written.status).toBe(200);
      const [t] = await rows<{ state: string; net: string }>(
        h.ds,
        `SELECT t.state, (SELECT sum(l.debit - l.credit)::text FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id
                           WHERE v.ledger_id = t.ledger_id AND v.period = t.period AND l.account_code = t.debit_account
                             AND v.description LIKE '%' || t.reference || '%') AS net
         FROM fund_transfer t WHERE t.id = $1`,
        [returned.id],
      );
      // Posted and reversed: the transfer leaves nothing on its account.
      expect(t).toEqual({ state: 'written_off', net: '0' });
      expect((await auditOf(returned.id)).find((a) => a.action === 'transfer.written_off')).toMatchObject({ actor: 'fm', reason: '收款人户名不符，已退回' });
    });
  });

  describe('invoices and openings', () => {
    it('when a difference is accepted that no reconciliation shows, or the openings are aligned by a role without the act, then it is refused with a code and writes nothing', async () => {
      const before = await fingerprint(h.ds);
      expectError(
        await h.as('fm').post(`/api/v1/ledgers/ACTS/periods/${period}/invoice-differences`, { number: 'NOPE', field: null, reason: '红字发票待开' }),
        404,
        'INVOICE_DIFFERENCE_NOT_FOUND',
      );
      expectError(
        await h.as('clerk').post(`/api/v1/ledgers/ACTS/periods/${period}/invoice-differences`, { number: 'NOPE', field: null, reason: 'x' }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await h.as('fm').post(`/api/v1/ledgers/ACTS/periods/${period}/invoice-differences`, { number: 'N', field: 'colour', reason: 'x' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await h.as('clerk').post(`/api/v1/ledgers/ACTS/periods/${period}/openings/align`, { reason: 'x' }), 403, 'PERMISSION_DENIED');
      expectError(await h.as('clerk').post(`/api/v1/invoices/99999999/take-platform-values`), 404, 'INVOICE_NOT_FOUND');
      expectError(await h.as('fm').post(`/api/v1/invoices/99999999/take-platform-values`), 403, 'PERMISSION_DENIED');
      expect(await fingerprint(h.ds)).toEqual(before);
    });

    it('when the openings of the period are aligned, then they equal the closed previous period’s closing balances, audited with the reason', async () => {
      const aligned = await h.as('fm').post(`/api/v1/ledgers/ACTS/periods/${period}/openings/align`, { reason: '上期调整后期初未更新' });
      expect(aligned.status).toBe(200);
      const differ = await rows(
        h.ds,
        `SELECT cur.account_code FROM balance cur JOIN balance prev ON prev.ledger_id = cur.ledger_id AND prev.account_code = cur.account_code AND prev.period = '2026-08'
         WHERE cur.ledger_id = $1 AND cur.period = $2 AND cur.opening <> prev.closing`,
        [ledgerId, period],
      );
      expect(differ).toEqual([]);
    });
  });
});
