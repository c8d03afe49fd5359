import type { Page } from 'playwright-core';
import { standInAdmin } from '../../simulators/common/admin-client';
import { addInvoice, addReimbursement, addVoucher, createLedger } from '../fixtures/books';
import { browserTest, signIn, useDashboard, chooseLanguage, chooseOption } from './browser';
import { englishOnPage, isEnglish } from './english-text';
import { lastPeriod } from './serve';

const period = lastPeriod();
const SELLER = '91310000MA1ZHTEXT1';

/**
 * A Chinese finance team reads every screen in Chinese: each page is opened in zh, with real
 * blockers, refusals and runs on it, and every visible text node (and every placeholder and title)
 * is read for English. Codes, ledger codes, numbers and names stay as they are.
 */
describe('every page of the dashboard in Chinese, read text node by text node', () => {
  const s = useDashboard();

  async function expectNoEnglish(page: Page, where: string): Promise<void> {
    const english = await englishOnPage(page);
    expect({ where, english }).toEqual({ where, english: [] });
  }

  browserTest(
    'when a finance manager and an operations user go through sign-in, the closes, a blocked close, the board, a ledger’s page and month-end in Chinese, then no English sentence is shown',
    async () => {
      await createLedger(s.h.ds, { code: 'ZH-FED', name: '中文测试联合会', firstPeriod: period, openingBalances: {} });
      const ledger = await createLedger(s.h.ds, {
        code: 'ZH-01',
        name: '中文测试基层工会',
        parentCode: 'ZH-FED',
        firstPeriod: period,
        taxpayerId: SELLER,
        openingBalances: { '102': 50_000_00, '301': -50_000_00 },
      });
      const lines = [
        { account: '501', debit: 14_614_00 },
        { account: '102', credit: 14_614_00 },
      ];
      await addVoucher(s.h.ds, { ledgerId: ledger.id, period, preparer: 'clerk', state: 'draft', lines });
      await addVoucher(s.h.ds, { ledgerId: ledger.id, period, preparer: 'clerk', state: 'submitted', lines });
      await addReimbursement(s.h.ds, { ledgerId: ledger.id, period, claimant: '王芳', amount: 300_00, state: 'approved' });
      const invoice = { number: 'ZH-0001', sellerTaxId: SELLER, buyerTaxId: '91110000MA00BUYER1', amount: 80_00, tax: 10_40, date: `${period}-06` };
      await addInvoice(s.h.ds, { ledgerId: ledger.id, period, buyerName: '南京某某有限公司', ...invoice });
      await standInAdmin(s.h.stack.taxPlatformUrl).request('POST', '/invoices', { invoices: [{ ...invoice, amount: 81_00, buyerName: '南京某某有限公司' }] });

      await s.page.goto(s.api.url);
      await s.page.locator('#sign-in-view').waitFor();
      await expectNoEnglish(s.page, 'sign-in');
      await s.page.fill('#token-input', 'not-a-valid-token');
      await s.page.click('#sign-in');
      await s.page.locator('[data-testid=flash-error]', { hasText: 'UNAUTHENTICATED' }).waitFor();
      await expectNoEnglish(s.page, 'sign-in refused');

      await signIn(s.page, s.h.tokens.fm);
      await s.page.locator('#start-form').waitFor();
      await s.page.fill('#start-ledger', 'NO-SUCH-LEDGER');
      await s.page.fill('#start-period', period);
      await s.page.click('#start-submit');
      await s.page.locator('[data-testid=flash-error]', { hasText: 'LEDGER_NOT_FOUND' }).waitFor();
      await expectNoEnglish(s.page, 'closes, start refused');

      await s.page.fill('#start-ledger', 'ZH-01');
      await s.page.click('#start-submit');
      await s.page.waitForURL(/#\/closes\/[0-9a-f-]{36}$/);
      const closeUrl = s.page.url();
      await s.page.locator('[data-testid=close-state][data-state=blocked]').waitFor();
      for (const code of ['VOUCHER_DRAFT', 'VOUCHER_SUBMITTED', 'REIMBURSEMENT_UNPAID'])
        await s.page.locator(`[data-testid=blocker][data-code=${code}]`).waitFor();
      // The invoice check runs with the others: its difference is listed in the same round.
      await s.page.locator('[data-testid=blocker][data-code=INVOICE_FIELD_MISMATCH]').waitFor({ timeout: 30_000 });
      await expectNoEnglish(s.page, 'a blocked close');
      // Steps of milliseconds read 不到1秒, never 用时 0秒 (as if they had done nothing).
      const took = await s.page.locator('[data-testid=step][data-state=done] .step-head .step-time').allInnerTexts();
      expect(took.length).toBeGreaterThan(0);
      for (const text of took) expect(text).toMatch(/^用时 (不到1秒|[1-9]\d*秒|\d+分\d\d秒)$/);
      await s.shot('chinese-1-blocked-close');

      await s.page.goto(`${s.api.url}/#/closes`);
      await s.page.locator('[data-testid=close-row]', { hasText: 'ZH-01' }).waitFor();
      await expectNoEnglish(s.page, 'the closes list');

      await s.page.goto(`${s.api.url}/#/board`);
      await s.page.fill('#board-parent', 'ZH-FED');
      await s.page.fill('#board-period', period);
      await s.page.click('#board-submit');
      await s.page.locator('#board-table', { hasText: 'ZH-01' }).waitFor();
      // Who must act across the federation, by role; then only the ledgers a blocker holds up, found by name.
      expect(await s.page.locator('[data-testid=board-owners]').textContent()).toMatch(/财务主管 \d+.*会计 \d+|会计 \d+.*财务主管 \d+/);
      await chooseOption(s.page, '#board-code', 'VOUCHER_SUBMITTED');
      await s.page.fill('#board-search', '基层');
      await s.page.click('#board-submit');
      await s.page.locator('[data-testid=board-row][data-ledger=ZH-01]').waitFor();
      expect(await s.page.locator('[data-testid=board-row]').count()).toBe(1);
      await expectNoEnglish(s.page, 'the federation board');
      await s.shot('chinese-board');
      await s.page.fill('#board-search', '没有这个工会');
      await s.page.click('#board-submit');
      await s.page.locator('[data-testid=board-row]').first().waitFor({ state: 'detached' });

      await s.page.goto(`${s.api.url}/#/ledgers/ZH-01/${period}`);
      await s.page.locator('[data-testid=period-row]').first().waitFor();
      await s.page.locator('[data-testid=tb-verdict]').waitFor();
      await expectNoEnglish(s.page, "the ledger's page with a trial balance");

      await s.page.goto(`${s.api.url}/#/month-end`);
      await s.page.locator('#month-end-form').waitFor();
      await expectNoEnglish(s.page, 'month-end and schedules');

      // Operations may see the close but not act on the vouchers; what it meets is Chinese too.
      await s.page.click('#sign-out');
      await signIn(s.page, s.h.tokens.ops);
      await s.page.goto(closeUrl);
      await s.page.locator('[data-testid=blocker][data-code=VOUCHER_SUBMITTED]').waitFor();
      await expectNoEnglish(s.page, 'a blocked close, as operations');
      // Operations resume and cancel stalled closes; an auditor reads the same page without a button to press.
      expect(await s.page.locator('#resume, #cancel').count()).toBe(2);
      await s.page.click('#sign-out');
      await signIn(s.page, s.h.tokens.auditor);
      await s.page.goto(closeUrl);
      await s.page.locator('[data-testid=blocker][data-code=VOUCHER_SUBMITTED]').waitFor();
      expect(await s.page.locator('#resume, #cancel, #reopen, [data-testid=blocker-item] button').count()).toBe(0);
      await s.page.click('#sign-out');
      await signIn(s.page, s.h.tokens.ops);
      // A refusal operations can still meet: an act the API refuses (here, approving for a finance manager).
      await s.page.goto(`${s.api.url}/#/closes`);
      await s.page.locator('#start-form').waitFor();
      await expectNoEnglish(s.page, 'the closes, as operations');
      const refused = await s.page.evaluate(
        `fetch('/api/v1/vouchers/approve', { method: 'POST', headers: { authorization: 'Bearer ${s.h.tokens.ops}', 'content-type': 'application/json', 'accept-language': 'zh-CN' }, body: '{}' }).then((r) => r.json())`,
      );
      expect(refused).toMatchObject({ error: { code: 'PERMISSION_DENIED' } });
      expect(isEnglish((refused as { error: { message: string } }).error.message)).toBe(false);
      await s.shot('chinese-2-refusal');

      // The reading is not blind: the same close in English is found to be English.
      await chooseLanguage(s.page, 'en');
      await s.page.goto(closeUrl);
      await s.page.locator('[data-testid=blocker][data-code=VOUCHER_SUBMITTED]').waitFor();
      expect((await englishOnPage(s.page)).length).toBeGreaterThan(10);
      await s.page.goto(`${s.api.url}/#/board`);
      await s.page.fill('#board-parent', 'ZH-FED');
      await s.page.fill('#board-period', period);
      await s.page.click('#board-submit');
      await s.page.locator('[data-testid=board-owners]', { hasText: 'To act, by role:' }).waitFor();
      await s.shot('board-en');
      expect(s.pageErrors).toEqual([]);
    },
  );
});
