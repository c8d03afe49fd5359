import { rows } from '../../db/sql';
import { createLedger } from '../fixtures/books';
import { waitFor } from '../api/harness';
import { browserTest, signIn, useDashboard } from './browser';
import { lastPeriod } from './serve';

describe("the dashboard's month-end schedules in a real browser against the real API and Temporal", () => {
  const s = useDashboard();

  browserTest('when an administrator creates a month-end schedule, then it is listed, and pause, unpause, run-now and delete act on it', async () => {
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
    await s.page.locator('[data-testid=schedule-trigger]').click();
    await s.page.locator('[data-testid=flash-ok]', { hasText: '计划 ui-sched-monthly：立即运行 已完成。' }).waitFor();
    // Run now really ran: the month-end it started began a close of the scheduled ledger.
    await waitFor(
      async () => (await rows(s.h.ds, `SELECT 1 FROM close_run c JOIN ledger l ON l.id = c.ledger_id WHERE l.code = 'UI-SCHED'`)).length > 0,
      'a close of UI-SCHED started by the triggered month-end',
    );
    await s.page.locator('[data-testid=schedule-delete]').click();
    await row.waitFor({ state: 'detached' });
    await s.page.locator('#schedules-table .empty').waitFor();
    expect(s.pageErrors).toEqual([]);
  });
});
