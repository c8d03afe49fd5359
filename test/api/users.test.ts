import request from 'supertest';
import { rows } from '../../db/sql';
import { createLedger } from '../fixtures/books';
import { expectError, fingerprint, startApiHarness, type ApiHarness } from './harness';

/**
 * User administration through the API (issue #17): an administrator creates users, changes their
 * role and scope, deactivates them, issues and revokes tokens and reads who may touch a ledger —
 * always within its own scope, never granting a wider one, every change audited.
 */
describe('user administration', () => {
  let h: ApiHarness;
  const fedAdmin = 'admin.fed';

  beforeAll(async () => {
    h = await startApiHarness();
    await createLedger(h.ds, { code: 'FED-U', firstPeriod: '2026-10' });
    await createLedger(h.ds, { code: 'GR-U1', parentCode: 'FED-U', firstPeriod: '2026-10' });
    await createLedger(h.ds, { code: 'GR-U2', parentCode: 'FED-U', firstPeriod: '2026-10' });
    await createLedger(h.ds, { code: 'OTHER-U', firstPeriod: '2026-10' });
    await h.addUser(fedAdmin, 'administrator', 'FED-U');
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });

  const me = (token: string) => request(h.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);

  it('when an administrator creates a user with a scope and gives them a token, then the token signs them in with that scope, once shown and audited', async () => {
    const made = await h.as('admin').post('/api/v1/users', { name: 'li.si', role: 'accountant', scope: 'GR-U1', password: 'a long enough secret' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'li.si', role: 'accountant', scope: 'GR-U1', active: true, signsInWithPassword: true, tokens: [] });
    const issued = await h.as('admin').post('/api/v1/users/li.si/tokens', { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(issued.status).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    expect((await me(issued.body.token)).body).toMatchObject({ name: 'li.si', scope: 'GR-U1' });
    const listed = (await h.as('admin').get('/api/v1/users')).body.items.find((u: { name: string }) => u.name === 'li.si');
    expect(listed.tokens).toEqual([expect.objectContaining({ id: issued.body.id, expiresAt: issued.body.expiresAt })]);
    expect(JSON.stringify(listed)).not.toContain(issued.body.token);
    const trail = await rows<{ action: string; actor: string; ledger: string }>(
      h.ds,
      `SELECT a.action, a.actor, l.code AS ledger FROM audit_log a JOIN ledger l ON l.id = a.ledger_id WHERE a.target = 'li.si' ORDER BY a.id`,
    );
    expect(trail).toEqual([
      { action: 'user.created', actor: 'admin', ledger: 'GR-U1' },
      { action: 'token.created', actor: 'admin', ledger: 'GR-U1' },
    ]);

    expect((await h.as('admin').delete(`/api/v1/tokens/${issued.body.id}`)).status).toBe(204);
    expectError(await me(issued.body.token), 401, 'UNAUTHENTICATED');
  });

  it('when a scoped administrator grants scopes, then only within its subtree: its own by default, a ledger outside reads as missing, every ledger is too wide', async () => {
    const own = await h.as(fedAdmin).post('/api/v1/users', { name: 'wang.wu', role: 'auditor' });
    expect(own.body.scope).toBe('FED-U');
    expect((await h.as(fedAdmin).post('/api/v1/users', { name: 'zhao.liu', role: 'auditor', scope: 'GR-U2' })).body.scope).toBe('GR-U2');
    const before = await fingerprint(h.ds);
    expectError(await h.as(fedAdmin).post('/api/v1/users', { name: 'x.outside', role: 'auditor', scope: 'OTHER-U' }), 404, 'LEDGER_NOT_FOUND');
    expectError(await h.as(fedAdmin).post('/api/v1/users', { name: 'x.every', role: 'auditor', scope: null }), 403, 'SCOPE_TOO_WIDE');
    expectError(await h.as(fedAdmin).patch('/api/v1/users/zhao.liu', { scope: null }), 403, 'SCOPE_TOO_WIDE');
    expectError(await h.as(fedAdmin).patch('/api/v1/users/fm', { role: 'auditor' }), 404, 'USER_NOT_FOUND');
    expectError(await h.as(fedAdmin).post('/api/v1/users/fm/tokens'), 404, 'USER_NOT_FOUND');
    expectError(await h.as(fedAdmin).patch(`/api/v1/users/${fedAdmin}`, { scope: 'GR-U1' }), 409, 'USER_CHANGE_REFUSED');
    expectError(await h.as('admin').post('/api/v1/users/system/deactivate'), 409, 'USER_CHANGE_REFUSED');
    expectError(await h.as(fedAdmin).post('/api/v1/users', { name: 'wang.wu', role: 'auditor' }), 409, 'USER_EXISTS');
    expectError(await h.as(fedAdmin).post('/api/v1/users', { name: 'bad/name', role: 'auditor' }), 400, 'VALIDATION_FAILED');
    expectError(await h.as(fedAdmin).post('/api/v1/users', { name: 'y.role', role: 'root' }), 400, 'VALIDATION_FAILED');
    expectError(await h.as(fedAdmin).post('/api/v1/users', { name: 'y.pw', role: 'auditor', password: 'short' }), 400, 'VALIDATION_FAILED');
    expectError(await h.as(fedAdmin).post('/api/v1/users', { name: 'y.x', role: 'auditor', admin: true }), 400, 'VALIDATION_FAILED');
    expectError(await h.as(fedAdmin).post('/api/v1/users/wang.wu/tokens', { expiresAt: '2020-01-01T00:00:00Z' }), 400, 'VALIDATION_FAILED');
    expect(await fingerprint(h.ds)).toEqual(before);

    const names = (await h.as(fedAdmin).get('/api/v1/users')).body.items.map((u: { name: string }) => u.name);
    expect(names).toEqual([fedAdmin, 'li.si', 'wang.wu', 'zhao.liu']);
  });

  it('when a user is moved and deactivated, then each change is audited and their tokens stop at once', async () => {
    const token = (await h.as(fedAdmin).post('/api/v1/users/zhao.liu/tokens')).body.token;
    const moved = await h.as(fedAdmin).patch('/api/v1/users/zhao.liu', { scope: 'GR-U1', role: 'operations' });
    expect(moved.body).toMatchObject({ scope: 'GR-U1', role: 'operations' });
    expect((await me(token)).body).toMatchObject({ role: 'operations', scope: 'GR-U1' });
    expect((await h.as(fedAdmin).post('/api/v1/users/zhao.liu/deactivate')).body).toMatchObject({ active: false });
    expectError(await me(token), 401, 'UNAUTHENTICATED');
    const actions = await rows<{ action: string }>(h.ds, `SELECT action FROM audit_log WHERE target = 'zhao.liu' ORDER BY id`);
    expect(actions.map((a) => a.action)).toEqual(['user.created', 'token.created', 'user.changed', 'user.changed', 'user.deactivated']);
  });

  it('when who may touch a ledger is asked, then it names the users scoped to it, to its ancestors and to every ledger, and only within the asker’s scope', async () => {
    const access = await h.as('admin').get('/api/v1/ledgers/GR-U1/access');
    const names = access.body.items.map((u: { name: string }) => u.name);
    expect(names).toEqual(expect.arrayContaining(['admin', 'fm', fedAdmin, 'li.si', 'wang.wu']));
    expect(names).not.toContain('zhao.liu'); // deactivated
    expectError(await h.as(fedAdmin).get('/api/v1/ledgers/OTHER-U/access'), 404, 'LEDGER_NOT_FOUND');
    expectError(await h.as(fedAdmin).delete('/api/v1/tokens/987654321'), 404, 'TOKEN_NOT_FOUND');
  });
});
