import { rows } from '../../db/sql';
import { standInAdmin } from '../../simulators/common/admin-client';
import { addInvoice, addReimbursement, addVoucher, createLedger } from '../fixtures/books';
import { browserTest, signIn, useDashboard, chooseLanguage } from './browser';
import { englishOnPage } from './english-text';
import { lastPeriod } from './serve';

const period = lastPeriod();
const lines = [
  { account: '501', debit: 1_234_50 },
  { account: '102', credit: 1_234_50 },
];

describe('the dashboard in a real browser against the real API, worker and database', () => {
  const s = useDashboard();
  const closeState = () => s.page.locator('[data-testid=close-state]');

  browserTest(
    'when a finance manager signs in and starts a close with blockers, then they see them, clear them with the buttons, resume, and see the period closed',
    async () => {
      const ledger = await createLedger(s.h.ds, { code: 'UI-BLOCK', firstPeriod: period, openingBalances: { '102': 10_000_00, '301': -10_000_00 } });
      const submitted = await addVoucher(s.h.ds, { ledgerId: ledger.id, period, preparer: 'clerk', state: 'submitted', lines });
      const approved = await addVoucher(s.h.ds, { ledgerId: ledger.id, period, preparer: 'clerk', approver: 'fm2', state: 'approved', lines });
      const claim = await addReimbursement(s.h.ds, { ledgerId: ledger.id, period, claimant: '王芳', amount: 300_00, state: 'approved' });

      await s.page.goto(s.api.url);
      await s.page.locator('#sign-in-view').waitFor();
      expect(await s.page.locator('html').getAttribute('lang')).toBe('zh-CN');
      expect(await s.page.locator('#sign-in').textContent()).toBe('登录');
      await s.page.fill('#token-input', 'not-a-valid-token');
      await s.page.click('#sign-in');
      await s.page.locator('[data-testid=flash-error]', { hasText: 'UNAUTHENTICATED: ' }).waitFor();
      expect(await s.page.evaluate('sessionStorage.length')).toBe(0);

      await s.page.fill('#token-input', s.h.tokens.fm);
      await s.page.click('#sign-in');
      await s.page.locator('#start-form').waitFor();
      expect(await s.page.evaluate('Object.values(sessionStorage)')).toEqual([s.h.tokens.fm]);
      expect(await s.page.locator('#nav-closes').textContent()).toBe('结账');

      await s.page.fill('#start-ledger', 'UI-BLOCK');
      await s.page.fill('#start-period', period);
      await s.page.click('#start-submit');
      await s.page.waitForURL(/#\/closes\/[0-9a-f-]{36}$/);
      await s.page.locator('[data-testid=close-state][data-state=blocked]').waitFor();
      await s.page.locator('[data-testid=step][data-step=pending_approvals][data-state=blocked]').waitFor();
      // Every check ran: the claim waits already, beside the vouchers (one round of fixing).
      await s.page.locator('[data-testid=step][data-step=reimbursements][data-state=blocked]').waitFor();
      for (const step of ['authorise', 'previous_period']) await s.page.locator(`[data-testid=step][data-step=${step}][data-state=done]`).waitFor();

      const toApprove = s.page.locator('[data-testid=blocker][data-code=VOUCHER_SUBMITTED]');
      await expect(toApprove.textContent()).resolves.toContain('凭证未审核');
      expect(await toApprove.locator('[data-testid=blocker-owner]').textContent()).toBe('处理人：财务主管');
      const submittedRow = toApprove.locator(`[data-testid=blocker-item][data-voucher-id="${submitted.id}"]`);
      expect(await submittedRow.locator('td').allTextContents()).toEqual(expect.arrayContaining([String(submitted.number), '1,234.50', 'clerk']));
      // The acts the API offers this finance manager on it: approve, or reject with a reason.
      expect(await submittedRow.locator('button').allTextContents()).toEqual(['审核', '驳回']);
      await s.page.locator('[data-testid=blocker][data-code=VOUCHER_NOT_POSTED]').waitFor();
      await s.shot('1-blockers-zh');

      await s.page.click(`[data-testid=approve-voucher][data-voucher-id="${submitted.id}"]`);
      await s.page.locator('[data-testid=flash-ok]', { hasText: `凭证 ${submitted.number} 已审核` }).waitFor();
      await s.page.click(`[data-testid=post-voucher][data-voucher-id="${submitted.id}"]`);
      await s.page.click(`[data-testid=post-voucher][data-voucher-id="${approved.id}"]`);
      await s.page.locator('[data-testid=item-done]').nth(1).waitFor();
      const vouchers = await rows<{ state: string; approver: string }>(s.h.ds, `SELECT state, approver FROM voucher WHERE id = ANY($1::bigint[]) ORDER BY id`, [
        [submitted.id, approved.id],
      ]);
      expect(vouchers).toEqual([
        { state: 'posted', approver: 'fm' },
        { state: 'posted', approver: 'fm2' },
      ]);

      await s.page.click('#resume');
      await s.page.locator('[data-testid=flash-ok]', { hasText: '已请求继续' }).waitFor();
      const claimBlocker = s.page.locator('[data-testid=blocker][data-code=REIMBURSEMENT_UNPAID]');
      await claimBlocker.waitFor();
      expect(await claimBlocker.locator('[data-testid=blocker-item]').first().textContent()).toContain('王芳');
      await s.shot('2-reimbursement-blocker-zh');
      await s.page.fill(`[data-testid=defer-reason][data-reimbursement-id="${claim.id}"]`, '下月支付');
      await s.page.click(`[data-testid=defer-reimbursement][data-reimbursement-id="${claim.id}"]`);
      await claimBlocker.locator('[data-testid=item-done]').waitFor();

      await s.page.locator('[data-testid=close-state][data-state=closed]').waitFor({ timeout: 40_000 });
      expect(await s.page.locator('[data-testid=step][data-state=done]').count()).toBe(11);
      await s.page.locator('[data-testid=no-blockers]').waitFor();
      expect(await s.page.locator('#resume').count()).toBe(0);
      await s.page.locator('#reopen').waitFor();
      await s.shot('3-closed-zh');

      // 结账报告, printable: the closed period's totals, its carry forward and backup, in Chinese and in yuan.
      await s.page.click('[data-testid=report-print]');
      const report = s.page.locator('[data-testid=close-report]');
      await report.waitFor();
      const reportText = (await report.textContent()) ?? '';
      expect(reportText).toContain('结账报告');
      expect(reportText).toContain('结转凭证');
      expect(reportText).toContain('4,938.00'); // the period's debits, grouped by thousands
      expect(await englishOnPage(s.page)).toEqual([]);
      // The dialog's zoom-in finished, so the screenshot shows it as a person reads it.
      await s.page.waitForFunction(`!document.querySelector('[class*="zoom-appear"], [class*="zoom-enter"]')`);
      await s.shot('3b-report-zh');
      await s.page.keyboard.press('Escape');
      await report.waitFor({ state: 'hidden' });
      expect((await rows<{ state: string }>(s.h.ds, `SELECT state FROM period WHERE ledger_id = $1 AND period = $2`, [ledger.id, period]))[0].state).toBe(
        'closed',
      );

      await chooseLanguage(s.page, 'en');
      expect(await closeState().textContent()).toBe('closed');
      expect(await s.page.locator('#nav-closes').textContent()).toBe('Closes');
      expect(await s.page.locator('[data-step=pending_approvals] .step-name').textContent()).toBe('Voucher approvals');
      await s.page.reload();
      await s.page.locator('[data-testid=close-state][data-state=closed]').waitFor();
      expect(await s.page.locator('html').getAttribute('lang')).toBe('en');
      expect(await closeState().textContent()).toBe('closed');
      await s.shot('4-closed-en');

      await s.page.fill('#reopen-reason', 'correct an invoice');
      await s.page.click('#reopen');
      await s.page.locator('[data-testid=flash-ok]', { hasText: `Period ${period} of UI-BLOCK reopened.` }).waitFor();
      await s.page.locator('#reopen').waitFor({ state: 'detached' });
      expect(s.pageErrors).toEqual([]);
    },
  );

  browserTest(
    'when a close is cancelled, then it shows cancelled with no more actions, and the list filters find it; a role without the right sees the refusal',
    async () => {
      const ledger = await createLedger(s.h.ds, { code: 'UI-CANCEL', firstPeriod: period, openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
      await addVoucher(s.h.ds, { ledgerId: ledger.id, period, preparer: 'clerk', state: 'draft', lines });
      await s.page.goto(`${s.api.url}/#/closes`);
      await chooseLanguage(s.page, 'en');
      expect(await s.page.locator('#sign-in').textContent()).toBe('Sign in');
      await signIn(s.page, s.h.tokens.ops);
      // Operations may check a period but not start a close: only the check is offered, not the start.
      await s.page.locator('#start-form #check-submit').waitFor();
      expect(await s.page.locator('#start-submit, #sync-submit').count()).toBe(0);
      await s.page.click('#sign-out');
      await signIn(s.page, s.h.tokens.fm);
      await s.page.fill('#start-ledger', 'UI-CANCEL');
      await s.page.fill('#start-period', period);
      await s.page.click('#start-submit');
      await s.page.locator('[data-testid=blocker][data-code=VOUCHER_DRAFT]').waitFor();
      expect(await s.page.locator('[data-testid=blocker][data-code=VOUCHER_DRAFT] [data-testid=blocker-owner]').textContent()).toBe('To act: accountant');

      await s.page.fill('#cancel-reason', 'draft belongs to next month');
      await s.page.click('#cancel');
      await s.page.locator('[data-testid=close-state][data-state=cancelled]').waitFor({ timeout: 30_000 });
      expect(await s.page.locator('#resume, #cancel, #reopen').count()).toBe(0);

      await s.page.click('#back');
      await s.page.locator('[data-testid=close-row]', { hasText: 'UI-CANCEL' }).waitFor();
      await s.page.click('[data-testid=filter-blocked]');
      // The blocked filter's page has loaded once no row of another state is left.
      await s.page.waitForFunction("[...document.querySelectorAll('[data-testid=close-row]')].every((r) => r.dataset.state === 'blocked')");
      expect(await s.page.locator('[data-testid=close-row]', { hasText: 'UI-CANCEL' }).count()).toBe(0);
      await s.page.click('[data-testid=filter-all]');
      const row = s.page.locator('[data-testid=close-row]', { hasText: 'UI-CANCEL' });
      await row.waitFor();
      expect(await row.getAttribute('data-state')).toBe('cancelled');
      await s.shot('5-list-en');

      await s.page.click('#sign-out');
      await s.page.locator('#sign-in-view').waitFor();
      expect(await s.page.evaluate("sessionStorage.getItem('closeDashboard.token')")).toBeNull();
      expect(s.pageErrors).toEqual([]);
    },
  );

  browserTest(
    'when a finance manager syncs invoices ahead of the close, then the differences show with who must act, and once fixed the sync agrees by digest',
    async () => {
      const seller = '91310000MA1FLUISY1';
      const ledger = await createLedger(s.h.ds, { code: 'UI-SYNC', firstPeriod: period, taxpayerId: seller, openingBalances: {} });
      const wrong = await addInvoice(s.h.ds, {
        ledgerId: ledger.id,
        period,
        number: 'UI-0001',
        sellerTaxId: seller,
        buyerName: '南京某某有限公司',
        buyerTaxId: '91110000MA00BUYER1',
        amount: 80_00,
        tax: 10_40,
        date: `${period}-06`,
      });
      await standInAdmin(s.h.stack.taxPlatformUrl).request('POST', '/invoices', {
        invoices: [
          {
            number: 'UI-0001',
            sellerTaxId: seller,
            buyerName: '南京某某科技有限公司',
            buyerTaxId: '91110000MA00BUYER1',
            amount: 80_00,
            tax: 10_40,
            date: `${period}-06`,
          },
        ],
      });

      await s.page.goto(`${s.api.url}/#/closes`);
      await s.page.locator('#sign-in-view').waitFor();
      await chooseLanguage(s.page, 'zh');
      await signIn(s.page, s.h.tokens.fm);
      await s.page.fill('#sync-ledger', 'UI-SYNC');
      await s.page.fill('#sync-period', period);
      await s.page.click('#sync-submit');
      const summary = s.page.locator('[data-testid=sync-summary][data-state=done]');
      await summary.waitFor();
      expect(await summary.textContent()).toBe(`UI-SYNC ${period} 的发票：上传 1 张，一致 0 张，平台共 1 张（逐张核对）。`);
      const mismatch = s.page.locator('#sync-result [data-testid=blocker][data-code=INVOICE_FIELD_MISMATCH]');
      await mismatch.waitFor();
      expect(await mismatch.textContent()).toContain('南京某某科技有限公司');
      await s.shot('6-invoice-sync-differences-zh');

      await s.h.ds.query(`UPDATE invoice SET buyer_name = '南京某某科技有限公司' WHERE id = $1`, [wrong.id]);
      await s.page.click('#sync-submit');
      await s.page.locator('[data-testid=sync-summary][data-by=digest]').waitFor();
      expect(await s.page.locator('#sync-result [data-testid=no-blockers]').count()).toBe(0);
      expect(await s.page.locator('#sync-result [data-testid=blocker]').count()).toBe(0);
      expect(s.pageErrors).toEqual([]);
    },
  );
});
