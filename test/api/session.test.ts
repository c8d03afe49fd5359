import request from 'supertest';
import { rows } from '../../db/sql';
import { createUser } from '../../api/services/user-service';
import { FREE_ATTEMPTS } from '../../api/services/session-service';
import { expectError, startApiHarness, type ApiHarness } from './harness';

/**
 * Sign-in for people (issue #17): a password gives a session cookie (HttpOnly, SameSite=Strict,
 * expiring, revocable); a cookie alone cannot change anything without the session's CSRF token;
 * repeated failures lock the account for a while; bearer tokens keep working for scripts.
 */
describe('signing in with a password', () => {
  let h: ApiHarness;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    h = await startApiHarness();
    await createUser(h.ds, { name: 'qian.qi', role: 'operations', password }, 'test');
    await createUser(h.ds, { name: 'sun.ba', role: 'operations', password }, 'test');
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });

  const signIn = (name: string, pw: string) => request(h.app).post('/api/v1/session').send({ name, password: pw });
  const cookieOf = (res: request.Response) => String(res.headers['set-cookie'][0]).split(';')[0];

  it('when a person signs in, then the cookie is HttpOnly, SameSite=Strict and expiring, reads work with it, and unsafe requests need the CSRF token', async () => {
    const res = await signIn('qian.qi', password);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'qian.qi', role: 'operations', scope: null, csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const setCookie = String(res.headers['set-cookie'][0]);
    expect(setCookie).toMatch(/^close_session=[A-Za-z0-9_-]{43}; Path=\/api\/v1; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    const cookie = cookieOf(res);

    expect((await request(h.app).get('/api/v1/me').set('Cookie', cookie)).body).toMatchObject({ name: 'qian.qi' });
    const path = '/api/v1/closes/00000000-0000-4000-8000-000000000000/resume';
    expectError(await request(h.app).post(path).set('Cookie', cookie), 403, 'CSRF_TOKEN_INVALID');
    expectError(await request(h.app).post(path).set('Cookie', cookie).set('X-CSRF-Token', 'A'.repeat(43)), 403, 'CSRF_TOKEN_INVALID');
    expectError(await request(h.app).post(path).set('Cookie', cookie).set('X-CSRF-Token', res.body.csrfToken), 404, 'CLOSE_NOT_FOUND');

    // Bearer tokens keep working beside sessions.
    expect((await h.as('ops').get('/api/v1/me')).body).toMatchObject({ name: 'ops' });

    // Signing out ends the session at once.
    expectError(await request(h.app).delete('/api/v1/session').set('Cookie', cookie), 403, 'CSRF_TOKEN_INVALID');
    const out = await request(h.app).delete('/api/v1/session').set('Cookie', cookie).set('X-CSRF-Token', res.body.csrfToken);
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'][0])).toContain('Max-Age=0');
    expectError(await request(h.app).get('/api/v1/me').set('Cookie', cookie), 401, 'UNAUTHENTICATED');
  });

  it('when the password is wrong or the name unknown, then both answer alike; after repeated failures the account waits, and a right password then is refused too', async () => {
    expectError(await signIn('nobody.here', password), 401, 'SIGN_IN_FAILED');
    expectError(await signIn('ops', password), 401, 'SIGN_IN_FAILED'); // a user without a password
    for (let i = 0; i < FREE_ATTEMPTS; i++) expectError(await signIn('sun.ba', 'wrong password'), 401, 'SIGN_IN_FAILED');
    expectError(await signIn('sun.ba', password), 429, 'SIGN_IN_LOCKED');
    const [u] = await rows<{ failed_sign_ins: number; locked: boolean }>(
      h.ds,
      `SELECT failed_sign_ins, locked_until > now() AS locked FROM app_user WHERE name = 'sun.ba'`,
    );
    expect(u).toEqual({ failed_sign_ins: FREE_ATTEMPTS, locked: true });
    const failures = await rows<{ n: number }>(h.ds, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'session.sign_in_failed' AND target = 'sun.ba'`);
    expect(failures[0].n).toBe(FREE_ATTEMPTS);
    // Once the wait is over, the right password signs in and the count starts again.
    await h.ds.query(`UPDATE app_user SET locked_until = now() - interval '1 second' WHERE name = 'sun.ba'`);
    expect((await signIn('sun.ba', password)).status).toBe(201);
    expect((await rows<{ n: number }>(h.ds, `SELECT failed_sign_ins AS n FROM app_user WHERE name = 'sun.ba'`))[0].n).toBe(0);
  });

  it('when a name nobody has (or a user without a password) fails as often, then it locks alike: the lock-out tells no one which names exist', async () => {
    await createUser(h.ds, { name: 'li.nopw', role: 'operations' }, 'test');
    for (const name of ['nobody.else', 'li.nopw']) {
      for (let i = 0; i < FREE_ATTEMPTS; i++) expectError(await signIn(name, 'wrong password'), 401, 'SIGN_IN_FAILED');
      expectError(await signIn(name, password), 429, 'SIGN_IN_LOCKED');
    }
    const kept = await rows<{ name: string; failures: number }>(
      h.ds,
      `SELECT name, failures FROM sign_in_attempt WHERE name IN ('nobody.else', 'li.nopw') ORDER BY name`,
    );
    expect(kept).toEqual([
      { name: 'li.nopw', failures: FREE_ATTEMPTS },
      { name: 'nobody.else', failures: FREE_ATTEMPTS },
    ]);
    // A day without failures forgets a name.
    await h.ds.query(`UPDATE sign_in_attempt SET last_failed_at = now() - interval '2 days', locked_until = NULL WHERE name = 'nobody.else'`);
    expectError(await signIn('someone.new', 'x'), 401, 'SIGN_IN_FAILED');
    expect((await rows<{ name: string }>(h.ds, `SELECT name FROM sign_in_attempt WHERE name = 'nobody.else'`)).length).toBe(0);
  });

  it('when a user is deactivated, then their sessions end', async () => {
    const res = await signIn('qian.qi', password);
    const cookie = cookieOf(res);
    expect((await h.as('admin').post('/api/v1/users/qian.qi/deactivate')).status).toBe(200);
    expectError(await request(h.app).get('/api/v1/me').set('Cookie', cookie), 401, 'UNAUTHENTICATED');
    expectError(await signIn('qian.qi', password), 401, 'SIGN_IN_FAILED');
  });
});
