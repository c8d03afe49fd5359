import type { Page } from 'playwright-core';
import { createToken, createUser } from '../../api/services/user-service';
import { seedDemo } from '../../db/seed/demo';
import { APPROVERS, PREPARERS } from '../../db/seed/identities';
import { standInAdmin } from '../../simulators/common/admin-client';
import { browserTest, signIn, useDashboard } from './browser';

/**
 * Issue #15's proof in a browser: the demo's people sign in to the Chinese dashboard one after the
 * other and close U00001 (every kind of blocker) with the buttons the dashboard offers them — the
 * check shows every blocker at once, each is cleared with the acts offered, and the close reaches
 * 已结账. No SQL and no stand-in admin call after the demo is loaded as `npm start` loads it.
 */

// Acts that correct the books first; acts that set a blocker aside only when nothing else is offered.
const PREFERENCE = [
  'voucher.submit',
  'voucher.approve',
  'voucher.post',
  'reimbursement.pay',
  'reimbursement.post',
  'transfer.resend',
  'transfer.write_off',
  'transfer.ask_bank',
  'invoice.take_platform_values',
  'invoice.record_from_platform',
  'invoice.sync',
  'voucher.prepare_adjustment',
  'invoice.accept_difference',
];

describe('the demo ledger closed from the dashboard alone', () => {
  const s = useDashboard();
  const people: Array<{ name: string; token: string }> = [];
  let period = '';

  beforeAll(async () => {
    if (!s.h) return; // no browser: the suite is skipped
    // Two months back: the API test closes the demo's U00001 for last month on the same Temporal server,
    // and a close's workflow id is its ledger and period.
    const demo = await seedDemo(s.h.ds, new Date(Date.now() - 62 * 86_400_000));
    period = demo!.period;
    // As npm start does with the demo: the stand-ins learn what its transfers and invoices are.
    await standInAdmin(s.h.stack.bankUrl).request('PUT', '/transfers', { transfers: demo!.bank.transfers });
    await standInAdmin(s.h.stack.taxPlatformUrl).request('POST', '/invoices', { invoices: demo!.taxPlatform.invoices });
    for (const [names, role] of [
      [APPROVERS, 'finance_manager'],
      [PREPARERS, 'accountant'],
    ] as const) {
      for (const name of names) {
        await createUser(s.h.ds, { name, role }, 'test');
        people.push({ name, token: await createToken(s.h.ds, name, 'test') });
      }
    }
  }, 120_000);

  browserTest(
    "when the demo's people sign in one after another and use the acts offered, then the check shows every blocker at once and U00001 reaches 已结账",
    async () => {
      const page = s.page;
      await page.goto(s.api.url);
      await page.locator('#sign-in-view').waitFor();
      await signIn(page, people[0]!.token);
      await page.fill('#start-ledger', 'U00001');
      await page.fill('#start-period', period);
      await page.click('#check-submit');
      await page.locator('[data-testid=readiness-verdict][data-ready=false]').waitFor();
      const steps = await page.locator('#readiness .blocker-group').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-step')));
      expect(steps).toEqual(expect.arrayContaining(['pending_approvals', 'reimbursements', 'fund_transfers', 'invoice_sync']));
      await s.shot('demo-1-readiness-zh');

      await page.click('#start-submit');
      await page.waitForURL(/#\/closes\/[0-9a-f-]{36}$/);
      const closeUrl = page.url();
      await page.locator('[data-testid=close-state][data-state=blocked]').waitFor({ timeout: 90_000 });
      await s.shot('demo-2-blocked-zh');

      const tried: Tried = { done: new Set(), attempts: new Map() };
      const taken: string[] = [];
      // Preparers first (they submit what approvers then approve and post), as a finance office works through a close.
      const inTurn = [
        ...people.filter((p) => (PREPARERS as readonly string[]).includes(p.name)),
        ...people.filter((p) => (APPROVERS as readonly string[]).includes(p.name)),
      ];
      // Bounded in time, so a close that will not clear says why before the test's own timeout.
      const deadline = Date.now() + 220_000;
      for (let round = 0; round < 8 && Date.now() < deadline && !(await isClosed(page)); round++) {
        // A click the page re-rendered under is worth another try in a later round.
        tried.attempts.clear();
        for (const person of inTurn) {
          if (Date.now() > deadline) break;
          await page.click('#sign-out');
          await signIn(page, person.token);
          await page.goto(closeUrl);
          await page.locator('[data-testid=close-state]').waitFor();
          if (await isClosed(page)) break;
          let idle = 0;
          for (let n = 0; n < 60 && idle < 2; n++) {
            const act = await actOnce(page, tried);
            if (act) {
              taken.push(`${person.name} ${act}`);
              idle = 0;
            } else {
              // What an act unlocks (post after approve) shows once the close re-checks and the page refreshes.
              idle++;
              await page.waitForTimeout(1_500);
            }
          }
        }
        if (!(await isClosed(page))) await page.waitForTimeout(1_500); // the close is re-checking
      }
      await page
        .locator('[data-testid=close-state][data-state=closed]')
        .waitFor({ timeout: 60_000 })
        .catch(async (err: Error) => {
          const id = closeUrl.split('/').pop()!;
          const [left] = await s.h.ds.query(`SELECT state, current_step, blockers, errors FROM close_run WHERE id = $1`, [id]);
          throw new Error(`${err.message}\nclose: ${JSON.stringify(left)}\ntaken: ${taken.join(', ')}`);
        });
      expect(await page.locator('[data-testid=close-state]').textContent()).toBe('已结账');
      await page.locator('[data-testid=no-blockers]').waitFor();
      await s.shot('demo-3-closed-zh');

      // The federation board: every union of FED this period, U00001 now closed, the others' state beside it.
      await page.click('#nav-board');
      await page.fill('#board-parent', 'FED');
      await page.fill('#board-period', period);
      await page.click('#board-submit');
      await page.locator('[data-testid=board-row]').first().waitFor();
      const boardRows = await page
        .locator('[data-testid=board-row]')
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-ledger'), r.getAttribute('data-state')]));
      expect(boardRows).toEqual(expect.arrayContaining([['U00001', 'closed']]));
      expect(boardRows.map((r) => r[0])).toEqual(['U00001', 'U00002', 'U00003']);
      expect(await page.locator('[data-testid=board-summary]').textContent()).toContain('FED');
      await s.shot('demo-4-board-zh');
      expect(taken.length).toBeGreaterThan(10);
      expect(s.pageErrors).toEqual([]);
    },
    360_000,
  );
});

async function isClosed(page: Page): Promise<boolean> {
  return (await page.locator('[data-testid=close-state][data-state=closed]').count()) > 0;
}

/**
 * Clicks the most useful act button not tried yet (filling its reason where it asks for one) and
 * waits for the API's answer; false when this user is offered nothing more.
 */
interface Tried {
  /** Acts (with their item's ids) the API answered 2xx: not offered again unless the close still lists them. */
  done: Set<string>;
  /** Tries per act, so one that the page re-rendered under, or that another person beat, is tried again, a few times. */
  attempts: Map<string, number>;
}

async function actOnce(page: Page, tried: Tried): Promise<string | false> {
  for (const id of PREFERENCE) {
    const controls = page.locator(`[data-testid=blocker-item] button[data-action="${id}"]`);
    const count = await controls.count();
    for (let i = 0; i < count; i++) {
      const control = controls.nth(i);
      // The act and the item's ids, from the button's data-* attributes: one try per act and item.
      const key = await control
        .evaluate(
          (e) =>
            JSON.stringify(
              e
                .getAttributeNames()
                .filter((n: string) => n.startsWith('data-'))
                .map((n: string) => [n, e.getAttribute(n)]),
            ),
          undefined,
          { timeout: 2_000 },
        )
        .catch(() => null);
      if (key === null || tried.done.has(key) || (tried.attempts.get(key) ?? 0) >= 3) continue;
      tried.attempts.set(key, (tried.attempts.get(key) ?? 0) + 1);
      // The button of this act on this item, by all its data-* attributes: the n-th button may be another
      // item's by the time of the click, once the page has refreshed its rows.
      const pairs = JSON.parse(key) as Array<[string, string]>;
      const exact = page.locator(`[data-testid=blocker-item] button${pairs.map(([n, v]) => `[${n}="${v}"]`).join('')}`).first();
      try {
        const form = exact.locator('xpath=ancestor::form[1]');
        if ((await form.count()) > 0) await form.locator('input').fill('演示：已核实，说明见附件', { timeout: 2_000 });
        const answered = page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 15_000 });
        await exact.click({ timeout: 2_000 });
        if ((await answered).ok()) tried.done.add(key);
        return id;
      } catch {
        // The page re-rendered under the click (the close re-checked): look again.
        continue;
      }
    }
  }
  return false;
}
