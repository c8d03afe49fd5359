import { createUser } from '../../api/services/user-service';
import { rows } from '../../db/sql';
import { createLedger } from '../fixtures/books';
import { browserTest, useDashboard } from './browser';
import { lastPeriod } from './serve';

/**
 * A person signs in to the dashboard with name and password (issue #17): the session cookie is
 * out of the page's reach (HttpOnly), the CSRF token rides along with every change, and signing
 * out ends the session on the server.
 */
describe('the dashboard: signing in with a password', () => {
  const s = useDashboard();
  const period = lastPeriod();

  browserTest('when a person signs in with a password, starts a close and signs out, then the cookie stays HttpOnly and the session ends', async () => {
    await createLedger(s.h.ds, { code: 'UI-PW', firstPeriod: period });
    await createUser(s.h.ds, { name: 'zhou.pw', role: 'finance_manager', password: 'a dashboard password' }, 'test');

    await s.page.goto(s.api.url);
    await s.page.fill('#name-input', 'zhou.pw');
    await s.page.fill('#password-input', 'not the password');
    await s.page.click('#password-sign-in');
    await s.page.locator('[data-testid=flash-error]', { hasText: 'SIGN_IN_FAILED: ' }).waitFor();

    await s.page.fill('#password-input', 'a dashboard password');
    await s.page.click('#password-sign-in');
    await s.page.locator('#start-form').waitFor();
    expect(await s.page.evaluate('document.cookie')).toBe('');
    expect(await s.page.evaluate('Object.keys(sessionStorage)')).toEqual(['closeDashboard.csrf']);

    // A change (POST) goes through with the CSRF token the sign-in answered.
    await s.page.fill('#start-ledger', 'UI-PW');
    await s.page.fill('#start-period', period);
    await s.page.click('#start-submit');
    await s.page.waitForURL(/#\/closes\/[0-9a-f-]{36}$/);

    await s.page.click('#sign-out');
    await s.page.locator('#sign-in-view').waitFor();
    const live = await rows<{ n: number }>(s.h.ds, `SELECT count(*)::int AS n FROM user_session WHERE revoked_at IS NULL`);
    expect(live[0].n).toBe(0);
    expect(s.pageErrors).toEqual([]);
  });
});
