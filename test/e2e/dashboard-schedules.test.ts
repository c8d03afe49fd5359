import { rows } from '../../db/sql';
import { createLedger } from '../fixtures/books';
import { waitFor } from '../api/harness';
import { browserTest, signIn, useDashboard, chooseLanguage } from './browser';
import { lastPeriod } from './serve';

describe("the dashboard's month-end schedules in a real browser against the real API and Temporal", () => {
  const s = useDashboard();

  browserTest(
    'when an administrator creates a month-end schedule, then it shows the period its next run closes, run now says the run started and links to it, its last run shows, and delete asks first',
    async () => {
      await createLedger(s.h.ds, { code: 'UI-SCHED', firstPeriod: lastPeriod(), openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
      await s.page.goto(`${s.api.url}/#/month-end`);
      await signIn(s.page, s.h.tokens.admin);
      await s.page.locator('#schedule-form').waitFor();
      await s.page.fill('#schedule-id', 'ui-sched-monthly');
      await s.page.fill('#schedule-ledgers', 'UI-SCHED');
      await s.page.fill('#schedule-day', '2');
      await s.page.fill('#schedule-hour', '3');
      await s.page.click('#schedule-submit');
      const row = s.page.locator('[data-testid=schedule-row][data-schedule-id=ui-sched-monthly]');
      await row.waitFor();
      expect(await row.getAttribute('data-paused')).toBe('false');
      expect(await row.textContent()).toContain('每月 2 日 03:00（Asia/Shanghai）');
      expect(await s.page.inputValue('#schedule-day')).toBe('1');

      await row.locator('[data-testid=schedule-pause]').click();
      await s.page.locator('[data-testid=schedule-row][data-paused=true]').waitFor();
      await s.shot('6-schedules-zh');
      await s.page.locator('[data-testid=schedule-unpause]').click();
      await s.page.locator('[data-testid=schedule-row][data-paused=false]').waitFor();
      // The schedule's next run (the 2nd at 03:00 in Shanghai) closes the month before that day.
      const nextPeriod = (await s.h.as('admin').get('/api/v1/schedules/ui-sched-monthly')).body.nextPeriod;
      expect(nextPeriod).toMatch(/^\d{4}-\d{2}$/);
      expect(await row.locator('[data-testid=schedule-next-period]').textContent()).toBe(nextPeriod);
      expect(await row.textContent()).toContain('尚未运行');

      await s.page.locator('[data-testid=schedule-trigger]').click();
      // Run now started a run (it runs for a while): the page says so, never "done", and links to it.
      await s.page.locator('[data-testid=flash-ok]', { hasText: `计划 ui-sched-monthly 已开始运行，正在结账 ${lastPeriod()} 期间。` }).waitFor();
      const link = s.page.locator('[data-testid=triggered-run-link]');
      const href = (await link.getAttribute('href'))!;
      const runId = decodeURIComponent(href.replace('#/month-end/', ''));
      expect(runId).toMatch(/^month-end:schedule-ui-sched-monthly-/);
      const [run] = await rows<{ initiated_by: string }>(s.h.ds, `SELECT initiated_by FROM month_end_run WHERE id = $1`, [runId]);
      expect(run.initiated_by).toBe('schedule:ui-sched-monthly');
      // Run now really ran: the month-end it started began a close of the scheduled ledger.
      await waitFor(
        async () => (await rows(s.h.ds, `SELECT 1 FROM close_run c JOIN ledger l ON l.id = c.ledger_id WHERE l.code = 'UI-SCHED'`)).length > 0,
        'a close of UI-SCHED started by the triggered month-end',
      );
      const lastRun = row.locator('[data-testid=schedule-last-run]');
      await s.page.locator(`[data-testid=schedule-last-run][data-run-id="${runId}"]`).waitFor();
      expect(await lastRun.locator('a').textContent()).toBe(lastPeriod());
      await s.shot('schedule-run-now-zh');

      await link.click();
      await s.page.locator('#month-end-run [data-testid=month-end-state]').waitFor();
      // The run is in the list, named after the schedule that started it.
      const listed = s.page.locator(`[data-testid=month-end-row][data-run-id="${runId}"]`);
      await listed.waitFor();
      expect(await listed.locator('td').nth(2).textContent()).toBe('自动计划 ui-sched-monthly');
      await s.page.locator('[data-testid=schedule-last-run]').waitFor();
      await s.shot('schedules-zh');
      await chooseLanguage(s.page, 'en');
      await s.page.locator('#schedules-table th', { hasText: 'Next period' }).waitFor();
      await s.page.locator('[data-testid=schedule-last-run]', { hasText: /\d+\/1 closed/ }).waitFor();
      expect(await s.page.locator(`[data-testid=month-end-row][data-run-id="${runId}"] td`).nth(2).textContent()).toBe('schedule ui-sched-monthly');
      await s.shot('schedules-en');
      await chooseLanguage(s.page, 'zh');
      await s.page.locator('#schedules-table th', { hasText: '下次结账期间' }).waitFor();

      // Delete asks first, in the row: keeping it changes nothing, confirming deletes it.
      await s.page.locator('[data-testid=schedule-delete]').click();
      expect(await s.page.locator('[data-testid=schedule-delete-question]').textContent()).toBe('删除计划 ui-sched-monthly？删除后将不再自动结账。');
      await s.shot('schedule-delete-confirm-zh');
      await s.page.locator('[data-testid=schedule-delete-cancel]').click();
      await s.page.locator('[data-testid=schedule-delete-question]').waitFor({ state: 'detached' });
      expect((await s.h.as('admin').get('/api/v1/schedules/ui-sched-monthly')).status).toBe(200);
      await s.page.locator('[data-testid=schedule-delete]').click();
      await s.page.locator('[data-testid=schedule-delete-confirm]').click();
      await s.page.locator('[data-testid=flash-ok]', { hasText: '计划 ui-sched-monthly 已删除。' }).waitFor();
      await s.page.locator('[data-testid=schedule-row]').waitFor({ state: 'detached' });
      await s.page.locator('#schedules-table .empty').waitFor();
      expect((await s.h.as('admin').get('/api/v1/schedules/ui-sched-monthly')).status).toBe(404);
      expect(s.pageErrors).toEqual([]);
    },
  );
});
