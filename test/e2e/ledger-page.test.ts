import path from 'node:path';
import type { Page } from 'playwright-core';
import { nextPeriod, previousPeriod } from '../../lib/period';
import { waitFor, waitForClose, type ApiHarness } from '../api/harness';
import { addVoucher, createLedger } from '../fixtures/books';
import { browserTest, signIn, useDashboard, chooseLanguage } from './browser';
import { lastPeriod } from './serve';

/**
 * A ledger's page (#16) in a real browser: its periods — closed, reopened with a reason and closed
 * again, or reopened and left open — with who did what, when and why, the run that counts and the
 * superseded ones, and a trial balance with account names and amounts in yuan.
 */
const later = lastPeriod();
const earlier = previousPeriod(later);
const artifacts = path.resolve(__dirname, '../../test-artifacts');
const line = (account: string, debit: number, credit: number) => ({ account, debit, credit });

/** HH:MM:SS of an instant in Shanghai, as the page shows it whatever the machine's zone. */
const shanghaiClock = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );

async function close(h: ApiHarness, who: string, period: string): Promise<string> {
  const started = await h.as(who).post('/api/v1/closes', { ledger: 'UI-LEDGER', period });
  expect(started.status).toBe(202);
  await waitForClose(h, started.body.id, ['closed']);
  await waitFor(async () => (await h.as('fm').get(`/api/v1/closes/${started.body.id}`)).body.endedAt, 'the run ended', 5_000);
  return started.body.id;
}

const row = (page: Page, period: string) => page.locator(`[data-testid=period-row][data-period="${period}"]`);
const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

describe("a ledger's page in a real browser against the real API, worker and database", () => {
  const s = useDashboard();
  const ids: Record<string, string> = {};

  browserTest(
    'when a finance manager opens a ledger whose period was closed, reopened with a reason and closed again, then the page says who did what, when and why, which run counts, and shows the trial balance in yuan, in Chinese and in English',
    async () => {
      const h = s.h;
      await createLedger(h.ds, { code: 'UI-FED', name: '某某市总工会', firstPeriod: earlier });
      const ledger = await createLedger(h.ds, {
        code: 'UI-LEDGER',
        name: '某某区总工会',
        parentCode: 'UI-FED',
        firstPeriod: earlier,
        openingBalances: { '102': 1_234_567_89, '301': -1_234_567_89 },
      });
      await addVoucher(h.ds, { ledgerId: ledger.id, period: earlier, preparer: 'clerk', lines: [line('102', 18_000_00, 0), line('401', 0, 18_000_00)] });
      await addVoucher(h.ds, { ledgerId: ledger.id, period: earlier, preparer: 'clerk', lines: [line('501', 3_385_50, 0), line('102', 0, 3_385_50)] });
      ids.superseded = await close(h, 'fm', earlier);
      expect((await h.as('fm').post(`/api/v1/ledgers/UI-LEDGER/periods/${earlier}/reopen`, { reason: '补记一笔会费收入' })).status).toBe(200);
      ids.counting = await close(h, 'fm2', earlier);
      ids.undone = await close(h, 'fm', later);
      expect((await h.as('fm2').post(`/api/v1/ledgers/UI-LEDGER/periods/${later}/reopen`, { reason: '发票信息有误，需更正' })).status).toBe(200);
      const api = (await h.as('fm').get('/api/v1/ledgers/UI-LEDGER/periods')).body.items as Array<Record<string, any>>;
      const closedEarlier = api.find((p) => p.period === earlier)!;
      const reopenedLater = api.find((p) => p.period === later)!;

      await s.page.goto(`${s.api.url}/#/ledgers/UI-LEDGER`);
      await signIn(s.page, h.tokens.fm);
      await s.page.locator('[data-testid=tb-total]').waitFor();
      expect(await s.page.locator('#ledger-title').textContent()).toBe('UI-LEDGER · 某某区总工会');
      expect(
        await s.page.locator('[data-testid=period-row]').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-period'), r.getAttribute('data-state')])),
      ).toEqual([
        [nextPeriod(later), 'open'],
        [later, 'reopened'],
        [earlier, 'closed'],
      ]);
      expect(await texts(s.page, '[data-testid=period-state]')).toEqual(['未结账', '已反结账', '已结账']);

      // Closed again: by fm2, at the time of its close in Shanghai; reopened once by fm, with why; one run counts.
      const e = row(s.page, earlier);
      expect(await e.locator('[data-testid=closed-by]').textContent()).toMatch(
        new RegExp(`^fm2 · \\d{4}/\\d{1,2}/\\d{1,2} ${shanghaiClock(closedEarlier.closedAt)}$`),
      );
      expect(await e.locator('[data-testid=reopening]').allTextContents()).toEqual([
        expect.stringMatching(new RegExp(`^fm · .*${shanghaiClock(closedEarlier.reopenings[0].at)}原因：补记一笔会费收入$`)),
      ]);
      const runs = await e.locator('[data-testid=run]').evaluateAll((items) => items.map((i) => [i.getAttribute('data-close-id'), i.textContent]));
      expect(runs).toEqual([
        [ids.counting, expect.stringMatching(/^有效 fm2 发起于 /)],
        [ids.superseded, expect.stringMatching(/^已被取代 fm 发起于 /)],
      ]);
      expect(await e.locator(`[data-testid=run] a`).evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([
        `#/closes/${ids.counting}`,
        `#/closes/${ids.superseded}`,
      ]);
      expect(await e.locator('[data-testid=report-link]').getAttribute('href')).toBe(`/api/v1/ledgers/UI-LEDGER/periods/${earlier}/report?format=xlsx`);

      // Reopened and not closed again: no one closed it now, nothing counts, its old run is superseded.
      const r = row(s.page, later);
      expect(await r.locator('[data-testid=closed-by]').textContent()).toBe('—');
      expect(await r.locator('[data-testid=reopen-reason]').textContent()).toBe('原因：发票信息有误，需更正');
      expect(await r.locator('[data-testid=reopening]').textContent()).toContain(`fm2 · `);
      expect(await r.locator('[data-testid=reopening]').textContent()).toContain(shanghaiClock(reopenedLater.reopenings[0].at));
      expect(
        await r.locator('[data-testid=run]').evaluateAll((items) => items.map((i) => [i.getAttribute('data-close-id'), i.getAttribute('data-counts')])),
      ).toEqual([[ids.undone, 'false']]);
      expect(await r.locator('[data-testid=run-role]').allTextContents()).toEqual(['已被取代']);
      expect(await r.locator('[data-testid=report-link]').count()).toBe(0);

      // The latest closed period's trial balance: names, debit and credit columns, yuan with thousands separators.
      expect(await s.page.locator('#trial-balance h3').textContent()).toBe(`${earlier} 试算平衡表`);
      expect(await s.page.locator('#trial-balance thead').textContent()).toBe('科目编码科目名称期初余额本期发生额期末余额借方贷方借方贷方借方贷方');
      const bank = await s.page.locator('[data-testid=tb-row][data-account="102"] td').allTextContents();
      expect(bank).toEqual(['102', '银行存款', '1,234,567.89', '', '18,000.00', '3,385.50', '1,249,182.39', '']);
      const funds = await s.page.locator('[data-testid=tb-row][data-account="301"] td').allTextContents();
      expect(funds.slice(0, 4)).toEqual(['301', expect.stringMatching(/[\u4e00-\u9fff]/), '', '1,234,567.89']);
      expect(await s.page.locator('[data-testid=tb-total] td').allTextContents()).toEqual([
        '1,234,567.89',
        '1,234,567.89',
        '39,385.50',
        '39,385.50',
        '1,249,182.39',
        '1,249,182.39',
      ]);
      expect(await s.page.locator('[data-testid=tb-verdict]').getAttribute('data-balanced')).toBe('true');
      // Accounts with neither balance nor movement are left out until asked for.
      expect(await s.page.locator('[data-testid=tb-row]:visible').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-account')))).toEqual([
        '102',
        '301',
        '302',
        '401',
        '501',
      ]);
      await s.page.check('#tb-show-zero');
      await s.page.locator('[data-testid=tb-row][data-account="101"]').waitFor();
      await s.page.uncheck('#tb-show-zero');
      expect(await s.page.locator('#trial-balance').textContent()).not.toMatch(/\d{5}\.\d\d|123456789/);

      const [download] = await Promise.all([s.page.waitForEvent('download'), e.locator('[data-testid=report-link]').click()]);
      expect(download.suggestedFilename()).toBe(`close-report-UI-LEDGER-${earlier}.xlsx`);
      await s.page.screenshot({ path: path.join(artifacts, 'ledger-page-zh.png'), fullPage: true });

      // Choosing the reopened period: its trial balance, computed now, and the choice kept in the URL.
      await r.locator('[data-testid=period-link]').click();
      await s.page.waitForURL(new RegExp(`#/ledgers/UI-LEDGER/${later}$`));
      await s.page.locator('#trial-balance h3', { hasText: `${later} 试算平衡表` }).waitFor();
      expect(await s.page.locator('#trial-balance p.hint').textContent()).toContain('期间未结账');
      // The chosen period's row is marked (among the table's own classes), and only it.
      expect(await row(s.page, later).getAttribute('class')).toMatch(/(^|\s)selected(\s|$)/);
      expect(await row(s.page, earlier).getAttribute('class')).not.toMatch(/(^|\s)selected(\s|$)/);

      await s.page.goto(`${s.api.url}/#/ledgers/UI-LEDGER/${earlier}`);
      await chooseLanguage(s.page, 'en');
      await s.page.locator('[data-testid=tb-total]').waitFor();
      expect(await texts(s.page, '[data-testid=period-state]')).toEqual(['open', 'reopened', 'closed']);
      expect(await row(s.page, earlier).locator('[data-testid=run-role]').allTextContents()).toEqual(['current', 'superseded']);
      expect(await row(s.page, earlier).locator('[data-testid=reopen-reason]').textContent()).toBe('Reason: 补记一笔会费收入');
      expect(await row(s.page, later).locator('[data-testid=run-role]').allTextContents()).toEqual(['superseded']);
      expect(await s.page.locator('#trial-balance h3').textContent()).toBe(`Trial balance · ${earlier}`);
      expect(await s.page.locator('#trial-balance thead').textContent()).toContain('Opening balanceThis periodClosing balanceDebitCredit');
      expect(await s.page.locator('[data-testid=tb-row][data-account="102"] td').nth(1).textContent()).toBe('银行存款');
      await s.page.screenshot({ path: path.join(artifacts, 'ledger-page-en.png'), fullPage: true });
      expect(s.pageErrors).toEqual([]);
    },
  );

  browserTest('when a ledger code is shown in the closes list, on a close or on the board, then it opens the ledger’s page', async () => {
    await s.page.goto(`${s.api.url}/#/closes`);
    await signIn(s.page, s.h.tokens.fm);
    const listed = s.page.locator(`[data-testid=close-row][data-close-id="${ids.counting}"] [data-testid=ledger-link]`);
    await listed.waitFor();
    // Two closed runs of one period: the list says which counts and which a reopen undid.
    const roleOf = async (id: string) => s.page.locator(`[data-testid=close-row][data-close-id="${id}"] [data-testid=run-role]`).textContent();
    expect(await roleOf(ids.counting)).toBe('有效');
    expect(await roleOf(ids.superseded)).toBe('已被取代');
    await listed.click();
    await s.page.waitForURL(/#\/ledgers\/UI-LEDGER$/);
    await s.page.locator('[data-testid=period-row]').first().waitFor();

    // The close a reopen undid says so on its own page; the one that counts does not.
    await s.page.goto(`${s.api.url}/#/closes/${ids.superseded}`);
    await s.page.locator('#close-state-holder [data-testid=run-role]', { hasText: '已被取代' }).waitFor();
    await s.page.goto(`${s.api.url}/#/closes/${ids.counting}`);
    await s.page.locator('#close-state').waitFor();
    expect(await s.page.locator('#close-state-holder [data-testid=run-role]').count()).toBe(0);
    await s.page.locator('#close-title [data-testid=ledger-link]').click();
    await s.page.waitForURL(/#\/ledgers\/UI-LEDGER$/);

    await s.page.goto(`${s.api.url}/#/board`);
    await s.page.fill('#board-parent', 'UI-FED');
    await s.page.fill('#board-period', earlier);
    await s.page.click('#board-submit');
    await s.page.locator('[data-testid=board-row][data-ledger=UI-LEDGER] [data-testid=ledger-link]').click();
    await s.page.waitForURL(/#\/ledgers\/UI-LEDGER$/);
    await s.page.locator('[data-testid=period-row]').first().waitFor();

    // A ledger that does not exist (or lies outside one's scope) says so, as every refusal does.
    await s.page.goto(`${s.api.url}/#/ledgers/NO-SUCH`);
    await s.page.locator('[data-testid=flash-error]', { hasText: 'LEDGER_NOT_FOUND: ' }).waitFor();
    expect(s.pageErrors).toEqual([]);
  });
});
