import { standInAdmin } from '../../simulators/common/admin-client';
import { addInvoice, createLedger } from '../fixtures/books';
import { browserTest, signIn, useDashboard, chooseLanguage } from './browser';
import { lastPeriod } from './serve';

const period = lastPeriod();
const seller = '91310000MA1UIRETRY';

describe("the dashboard's close page while a step retries a technical failure by itself", () => {
  const s = useDashboard();

  browserTest(
    'Given the tax platform is down, when a finance manager watches the close, then the invoice step says calmly that the system retries, with the attempts, and the error only on demand, in Chinese and in English',
    async () => {
      const ledger = await createLedger(s.h.ds, { code: 'UI-RETRY', firstPeriod: period, taxpayerId: seller, openingBalances: {} });
      await addInvoice(s.h.ds, {
        ledgerId: ledger.id,
        period,
        number: 'UI-RT-1',
        sellerTaxId: seller,
        buyerName: '南京某某有限公司',
        buyerTaxId: '91110000MA00BUYER1',
        amount: 80_00,
        tax: 10_40,
        date: `${period}-06`,
      });
      const platform = standInAdmin(s.h.stack.taxPlatformUrl);
      await platform.setFaults({ outageMs: 300_000 });
      const started = await s.h.as('fm').post('/api/v1/closes', { ledger: 'UI-RETRY', period });
      expect(started.status).toBe(202);

      await s.page.goto(`${s.api.url}/#/closes/${started.body.id}`);
      await signIn(s.page, s.h.tokens.fm);
      const step = s.page.locator('[data-testid=step][data-step=invoice_sync]');
      const line = step.locator('[data-testid=step-retrying]');
      await line.waitFor({ timeout: 30_000 });
      expect(await line.textContent()).toBe('税务平台暂时不可用，系统将自动重试，无需处理。');
      expect(await line.getAttribute('data-code')).toBe('TAX_PLATFORM_UNAVAILABLE');
      // Attempts, and when the next one runs once Temporal says so (it retries within a second here).
      await step.locator('[data-testid=step-retry-when]', { hasText: /已尝试 \d+ 次 · 下次重试：/ }).waitFor();
      // The error itself is there, folded: the card stays as short as its neighbours.
      const details = step.locator('[data-testid=step-error-details]');
      expect(await details.getAttribute('open')).toBeNull();
      expect(await details.locator('.step-error').isVisible()).toBe(false);
      expect((await step.boundingBox())!.height).toBeLessThan(200);
      // Nothing to do: no re-check button while the step retries by itself (cancel stays).
      expect(await s.page.locator('#resume').count()).toBe(0);
      await s.page.locator('#cancel').waitFor();
      // The attempts' errors are logged for operations, folded while the close has not failed.
      expect(await s.page.locator('#error-log').getAttribute('open')).toBeNull();
      expect(await s.page.locator('#error-log summary').textContent()).toMatch(/^错误记录 \d+ 条（供运维排查）$/);
      await s.shot('close-retrying-zh');

      await details.locator('summary').click();
      await details.locator('.step-error', { hasText: 'TAX_PLATFORM_UNAVAILABLE: ' }).waitFor();
      // Opened, it stays open while the page refreshes every 2 s.
      await s.page.waitForTimeout(2_500);
      expect(await details.locator('.step-error').isVisible()).toBe(true);
      await s.shot('close-retrying-details-zh');
      await details.locator('summary').click();

      await chooseLanguage(s.page, 'en');
      await line.filter({ hasText: 'The tax platform is unavailable for now; the system retries by itself, nothing to do.' }).waitFor();
      await step.locator('[data-testid=step-retry-when]', { hasText: /attempt\(s\) failed/ }).waitFor();
      expect(await details.getAttribute('open')).toBeNull();
      await s.shot('close-retrying-en');

      // The platform is back: the close goes on by itself and the line is gone.
      await platform.setFaults({});
      await s.page.locator('[data-testid=close-state][data-state=closed]').waitFor({ timeout: 60_000 });
      expect(await s.page.locator('[data-testid=step-retrying]').count()).toBe(0);
      expect(s.pageErrors).toEqual([]);
    },
  );
});
