import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createToken, revokeToken } from '../../api/services/user-service';
import { rows } from '../../db/sql';
import { expectError, startApiHarness, USERS, type ApiHarness, type UserKey } from './harness';

/** What each role may do, as the product says; the test also checks the database grants exactly this. */
const GRANTS: Record<string, string[]> = {
  finance_manager: [
    'close:read',
    'close:start',
    'close:resume',
    'close:cancel',
    'voucher:approve',
    'voucher:post',
    'reimbursement:defer',
    'month_end:start',
    'period:reopen',
    'month_end:read',
    'reimbursement:pay',
    'reimbursement:post',
    'transfer:query',
    'transfer:resend',
    'transfer:write_off',
    'invoice:accept',
    'balance:align',
    'notification:manage',
    'notification:read',
  ],
  accountant: ['close:read', 'voucher:prepare', 'voucher:submit', 'voucher:void', 'invoice:correct', 'month_end:read'],
  operations: ['close:read', 'close:resume', 'close:cancel', 'transfer:query', 'month_end:read', 'notification:read'],
  auditor: ['close:read', 'audit:read', 'month_end:read', 'notification:read'],
  administrator: ['user:manage', 'schedule:manage', 'month_end:read', 'notification:manage', 'notification:read'],
  scheduler: ['close:start', 'month_end:start', 'month_end:read'],
};

const id = randomUUID();
// Each request is harmless when allowed (it names things that do not exist), so the matrix writes nothing.
const ENDPOINTS: Array<{ method: 'get' | 'post' | 'delete'; path: string; body?: object; permission: string }> = [
  { method: 'post', path: '/api/v1/closes', body: { ledger: 'NOPE', period: '2026-09' }, permission: 'close:start' },
  { method: 'get', path: '/api/v1/closes', permission: 'close:read' },
  { method: 'get', path: `/api/v1/closes/${id}`, permission: 'close:read' },
  { method: 'post', path: `/api/v1/closes/${id}/resume`, permission: 'close:resume' },
  { method: 'post', path: `/api/v1/closes/${id}/cancel`, body: { reason: 'x' }, permission: 'close:cancel' },
  { method: 'get', path: '/api/v1/ledgers', permission: 'close:read' },
  { method: 'get', path: '/api/v1/ledgers/NOPE/periods', permission: 'close:read' },
  { method: 'get', path: '/api/v1/ledgers/NOPE/periods/2026-09/trial-balance', permission: 'close:read' },
  { method: 'post', path: '/api/v1/ledgers/NOPE/periods/2026-09/reopen', body: { reason: 'x' }, permission: 'period:reopen' },
  { method: 'post', path: '/api/v1/vouchers/987654321/approve', permission: 'voucher:approve' },
  { method: 'post', path: '/api/v1/vouchers/987654321/post', permission: 'voucher:post' },
  { method: 'post', path: '/api/v1/reimbursements/987654321/defer', body: { reason: 'x' }, permission: 'reimbursement:defer' },
  { method: 'get', path: '/api/v1/schedules', permission: 'schedule:manage' },
  { method: 'post', path: '/api/v1/schedules', body: { id: 'matrix', ledgers: ['NOPE'] }, permission: 'schedule:manage' },
  { method: 'get', path: '/api/v1/schedules/no-such-schedule', permission: 'schedule:manage' },
  { method: 'delete', path: '/api/v1/schedules/no-such-schedule', permission: 'schedule:manage' },
  { method: 'post', path: '/api/v1/schedules/no-such-schedule/pause', permission: 'schedule:manage' },
  { method: 'post', path: '/api/v1/schedules/no-such-schedule/unpause', permission: 'schedule:manage' },
  { method: 'post', path: '/api/v1/schedules/no-such-schedule/trigger', permission: 'schedule:manage' },
  {
    method: 'post',
    path: '/api/v1/schedules/no-such-schedule/backfill',
    body: { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
    permission: 'schedule:manage',
  },
  { method: 'post', path: '/api/v1/month-ends', body: { period: '2026-09', ledgers: ['NOPE'] }, permission: 'month_end:start' },
  { method: 'get', path: '/api/v1/month-ends', permission: 'month_end:read' },
  { method: 'get', path: '/api/v1/month-ends/no-such-month-end', permission: 'month_end:read' },
  { method: 'get', path: '/api/v1/audit', permission: 'audit:read' },
  {
    method: 'post',
    path: '/api/v1/subscriptions',
    body: { channel: { kind: 'email', address: 'ops@example.com' }, events: ['close.blocked'], ledger: 'NOPE' },
    permission: 'notification:manage',
  },
  { method: 'get', path: '/api/v1/subscriptions', permission: 'notification:read' },
  { method: 'get', path: `/api/v1/subscriptions/${id}`, permission: 'notification:read' },
  { method: 'delete', path: `/api/v1/subscriptions/${id}`, permission: 'notification:manage' },
  { method: 'get', path: '/api/v1/deliveries', permission: 'notification:read' },
  { method: 'get', path: '/api/v1/ledgers/NOPE/calendar', permission: 'notification:read' },
  { method: 'post', path: '/api/v1/ledgers/NOPE/calendar', body: { workingDay: 3 }, permission: 'notification:manage' },
  { method: 'get', path: '/api/v1/users', permission: 'user:manage' },
  { method: 'post', path: '/api/v1/users/nobody-here/deactivate', permission: 'user:manage' },
  { method: 'post', path: '/api/v1/users/nobody-here/tokens', permission: 'user:manage' },
  { method: 'delete', path: '/api/v1/tokens/987654321', permission: 'user:manage' },
  { method: 'get', path: '/api/v1/ledgers/NOPE/access', permission: 'user:manage' },
];

describe('who may do what', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when the roles are read from the database, then they grant exactly what the product says', async () => {
    const found = await rows<{ role: string; permissions: string[] }>(
      h.ds,
      `SELECT role, array_agg(permission ORDER BY permission) AS permissions FROM role_permission GROUP BY role`,
    );
    expect(Object.fromEntries(found.map((r) => [r.role, r.permissions]))).toEqual(
      Object.fromEntries(Object.entries(GRANTS).map(([role, p]) => [role, [...p].sort()])),
    );
  });

  const cases = (Object.keys(USERS) as UserKey[]).flatMap((user) =>
    ENDPOINTS.map((e) => ({ user, ...e, allowed: GRANTS[USERS[user]].includes(e.permission) })),
  );

  it.each(cases)('$user $method $path → allowed: $allowed', async ({ user, method, path, body, permission, allowed }) => {
    const client = h.as(user);
    const res = await (method === 'post' ? client.post(path, body) : client[method](path));
    if (allowed) {
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    } else {
      expectError(res, 403, 'PERMISSION_DENIED');
      expect(res.body.error.details).toEqual({ permission });
    }
  });

  it.each(Object.keys(USERS) as UserKey[])(
    "when %s asks who they are, then GET /me answers their name, role, scope (every ledger) and exactly their role's permissions",
    async (user) => {
      const res = await h.as(user).get('/api/v1/me');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ name: user, role: USERS[user], scope: null, permissions: [...GRANTS[USERS[user]]].sort() });
    },
  );

  it('when there is no token, a malformed one, an unknown one or a revoked one, then every protected endpoint answers 401', async () => {
    const revoked = h.tokens.auditor;
    await revokeToken(h.ds, revoked);
    const headers = [undefined, 'Bearer', 'Basic dXNlcjpwYXNz', `Bearer ${'A'.repeat(43)}`, `Bearer ${revoked}`, `bearer ${h.tokens.fm} extra`];
    for (const header of headers) {
      for (const e of ENDPOINTS) {
        let req = request(h.app)[e.method](e.path);
        if (header) req = req.set('Authorization', header);
        expectError(await req, 401, 'UNAUTHENTICATED');
      }
    }
  });

  it('when a user is deactivated, then their token stops working', async () => {
    expect((await h.as('ops').get('/api/v1/closes')).status).toBe(200);
    await h.ds.query(`UPDATE app_user SET active = false WHERE name = 'ops'`);
    expectError(await h.as('ops').get('/api/v1/closes'), 401, 'UNAUTHENTICATED');
  });

  it('when a token has expired, then it stops working, while one expiring later still works', async () => {
    const soon = await createToken(h.ds, 'clerk', 'test', { expiresAt: new Date(Date.now() + 60_000) });
    const past = await createToken(h.ds, 'clerk', 'test', { expiresAt: new Date(Date.now() - 1_000) });
    expect((await request(h.app).get('/api/v1/me').set('Authorization', `Bearer ${soon}`)).status).toBe(200);
    expectError(await request(h.app).get('/api/v1/me').set('Authorization', `Bearer ${past}`), 401, 'UNAUTHENTICATED');
  });
});
