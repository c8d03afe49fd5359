import { addVoucher, createLedger } from '../fixtures/books';
import { waitFor } from '../api/harness';
import { browserTest, signIn, useDashboard, chooseLanguage } from './browser';
import { lastPeriod } from './serve';

const period = lastPeriod();
const opening = { '102': 1_000_00, '301': -1_000_00 };

describe("the dashboard's list of month-end runs, from the server, in a real browser", () => {
  const s = useDashboard();

  browserTest(
    'Given two month-end runs started elsewhere, when a finance manager opens the month-end page in a fresh browser, then both are listed newest first with their counts, filter by period, and lead to their run',
    async () => {
      await createLedger(s.h.ds, { code: 'UI-FED', firstPeriod: period });
      await createLedger(s.h.ds, { code: 'UI-FED-1', parentCode: 'UI-FED', firstPeriod: period, openingBalances: opening });
      const blocked = await createLedger(s.h.ds, { code: 'UI-FED-2', parentCode: 'UI-FED', firstPeriod: period, openingBalances: opening });
      await addVoucher(s.h.ds, {
        ledgerId: blocked.id,
        period,
        preparer: 'clerk',
        state: 'submitted',
        lines: [
          { account: '501', debit: 5_00 },
          { account: '102', credit: 5_00 },
        ],
      });
      // Started through the API, as closectl or another browser would: this browser never saw them start.
      const federation = (await s.h.as('fm').post('/api/v1/month-ends', { period, parent: 'UI-FED' })).body.id as string;
      await waitFor(async () => {
        const c = (await s.h.as('fm').get(`/api/v1/month-ends/${federation}`)).body.summary;
        return c.closed === 1 && c.blocked === 1;
      }, 'the federation month-end settled');
      const single = (await s.h.as('fm2').post('/api/v1/month-ends', { period, ledgers: ['UI-FED-1'] })).body.id as string;

      await s.page.goto(`${s.api.url}/#/month-end`);
      expect(await s.page.evaluate('localStorage.length')).toBe(0);
      await signIn(s.page, s.h.tokens.fm);
      const rows = s.page.locator('[data-testid=month-end-row]');
      await rows.nth(1).waitFor();
      expect(await rows.count()).toBe(2);
      expect([await rows.nth(0).getAttribute('data-run-id'), await rows.nth(1).getAttribute('data-run-id')]).toEqual([single, federation]);
      const fed = s.page.locator(`[data-testid=month-end-row][data-run-id="${federation}"]`);
      const cells = await fed.locator('td').allTextContents();
      expect(cells[0]).toBe(period);
      expect(cells[1]).toBe('UI-FED 下属账套');
      expect(cells[2]).toBe('fm');
      // total, closed, waiting, running, failed, cancelled, not started
      expect(cells.slice(5)).toEqual(['2', '1', '1', '0', '0', '0', '0']);
      expect(await s.page.locator('#month-end-list th').allTextContents()).toEqual([
        '期间',
        '账套范围',
        '发起人',
        '状态',
        '开始时间',
        '账套数',
        '已结账',
        '等待处理',
        '进行中',
        '失败',
        '已取消',
        '未开始',
      ]);
      await s.shot('month-end-list-zh');

      await s.page.fill('#month-end-list-period', '2020-01');
      await s.page.click('#month-end-list-show');
      await s.page.locator('[data-testid=month-end-list-empty]').waitFor();
      await s.page.fill('#month-end-list-period', period);
      await s.page.click('#month-end-list-show');
      await rows.nth(1).waitFor();

      await fed.locator('[data-testid=month-end-link]').click();
      await s.page.waitForURL(new RegExp(`#/month-end/${federation}$`));
      await s.page.locator('#month-end-run [data-testid=count-closed] .tile-value', { hasText: '1' }).waitFor();
      await s.page.locator('[data-testid=blocked-ledger][data-ledger=UI-FED-2]').waitFor();

      await chooseLanguage(s.page, 'en');
      await s.page.locator('#month-end-list th', { hasText: 'Started by' }).waitFor();
      expect(await fed.locator('td').nth(1).textContent()).toBe('ledgers under UI-FED');
      await s.shot('month-end-list-en');
      expect(s.pageErrors).toEqual([]);
    },
  );
});
