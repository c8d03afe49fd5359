import request from 'supertest';
import { createToken, createUser } from '../../api/services/user-service';
import { createLedger } from '../fixtures/books';
import { expectError, startApiHarness, type ApiHarness } from './harness';

/**
 * Subscriptions and their deliveries (#18) within the caller's organisation scope (#17): a finance
 * manager of one union subscribes for that union (or, naming none, for their whole scope), sees only
 * the subscriptions of their subtree, and meets another union's as if it did not exist.
 */
describe('subscriptions within the caller’s scope', () => {
  let h: ApiHarness;
  const tokens: Record<string, string> = {};
  const channel = { kind: 'email', address: 'caiwu@example.com' };

  beforeAll(async () => {
    h = await startApiHarness();
    await createLedger(h.ds, { code: 'SS-FED', firstPeriod: '2026-10' });
    await createLedger(h.ds, { code: 'SS-1', parentCode: 'SS-FED', firstPeriod: '2026-10' });
    await createLedger(h.ds, { code: 'SS-2', parentCode: 'SS-FED', firstPeriod: '2026-10' });
    for (const [name, scope] of [
      ['fm.ss1', 'SS-1'],
      ['fm.ss2', 'SS-2'],
    ] as const) {
      await createUser(h.ds, { name, role: 'finance_manager', scope }, 'test');
      tokens[name] = await createToken(h.ds, name, 'test');
    }
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });

  const as = (name: string) => ({
    get: (path: string) => request(h.app).get(path).set('Authorization', `Bearer ${tokens[name]}`),
    post: (path: string, body: object) => request(h.app).post(path).set('Authorization', `Bearer ${tokens[name]}`).send(body),
    delete: (path: string) => request(h.app).delete(path).set('Authorization', `Bearer ${tokens[name]}`),
  });

  it('when a scoped manager subscribes, lists, reads and deletes, then only their subtree’s subscriptions exist for them', async () => {
    const own = await as('fm.ss1').post('/api/v1/subscriptions', { channel, events: ['close.blocked'], ledger: 'SS-1' });
    expect(own.status).toBe(201);
    // No ledger named: their whole scope, SS-1 — never every ledger.
    const whole = await as('fm.ss1').post('/api/v1/subscriptions', { channel, events: ['close.failed'] });
    expect(whole.body.ledger).toBe('SS-1');
    expectError(await as('fm.ss1').post('/api/v1/subscriptions', { channel, events: ['close.blocked'], ledger: 'SS-2' }), 404, 'LEDGER_NOT_FOUND');
    const everyLedger = await h.as('fm').post('/api/v1/subscriptions', { channel, events: ['close.closed'] });
    expect(everyLedger.body.ledger).toBeNull();

    const mine = await as('fm.ss1').get('/api/v1/subscriptions');
    expect(mine.body.items.map((s: { id: string }) => s.id).sort()).toEqual([own.body.id, whole.body.id].sort());
    expect((await as('fm.ss2').get('/api/v1/subscriptions')).body.items).toEqual([]);
    expectError(await as('fm.ss2').get(`/api/v1/subscriptions/${own.body.id}`), 404, 'SUBSCRIPTION_NOT_FOUND');
    expectError(await as('fm.ss2').delete(`/api/v1/subscriptions/${own.body.id}`), 404, 'SUBSCRIPTION_NOT_FOUND');
    expectError(await as('fm.ss1').get(`/api/v1/subscriptions/${everyLedger.body.id}`), 404, 'SUBSCRIPTION_NOT_FOUND');
    expect((await as('fm.ss2').get('/api/v1/deliveries')).status).toBe(200);

    expect((await as('fm.ss1').delete(`/api/v1/subscriptions/${own.body.id}`)).status).toBe(204);
    // An unscoped manager sees every subscription left.
    const all = await h.as('fm').get('/api/v1/subscriptions');
    expect(all.body.items.map((s: { id: string }) => s.id).sort()).toEqual([whole.body.id, everyLedger.body.id].sort());
  });
});
