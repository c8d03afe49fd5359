import { expectError, fingerprint, startApiHarness, type ApiHarness } from './harness';
import { rows } from '../../db/sql';
import { createLedger } from '../fixtures/books';

const SECRET = 'whsec-test-0123456789abcdef';
const webhook = (url: string, extra: object = {}) => ({ channel: { kind: 'webhook', url, secret: SECRET, ...extra }, events: ['close.blocked'] });

describe('notification subscriptions through the API', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
    await createLedger(h.ds, { code: 'SUB-FED', firstPeriod: '2026-09' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when a finance manager subscribes a webhook, then it is listed and read back without its secret, and deleted once', async () => {
    const made = await h.as('fm').post('/api/v1/subscriptions', { ...webhook('https://hooks.example.com/close'), ledger: 'SUB-FED', language: 'en' });
    expect(made.status).toBe(201);
    expect(made.headers.location).toBe(`/api/v1/subscriptions/${made.body.id}`);
    expect(made.body).toEqual({
      id: expect.any(String),
      channel: { kind: 'webhook', url: 'https://hooks.example.com/close', signed: true },
      events: ['close.blocked'],
      ledger: 'SUB-FED',
      language: 'en',
      createdBy: 'fm',
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(made.body)).not.toContain(SECRET);
    const read = await h.as('auditor').get(`/api/v1/subscriptions/${made.body.id}`);
    expect(read.body).toEqual(made.body);
    expect((await h.as('ops').get('/api/v1/subscriptions')).body.items).toContainEqual(made.body);
    const [audited] = await rows<{ action: string }>(h.ds, `SELECT action FROM audit_log WHERE target = $1`, [made.body.id]);
    expect(audited.action).toBe('subscription.created');

    expect((await h.as('admin').delete(`/api/v1/subscriptions/${made.body.id}`)).status).toBe(204);
    expectError(await h.as('admin').delete(`/api/v1/subscriptions/${made.body.id}`), 404, 'SUBSCRIPTION_NOT_FOUND');
    expectError(await h.as('fm').get(`/api/v1/subscriptions/${made.body.id}`), 404, 'SUBSCRIPTION_NOT_FOUND');
  });

  it('when a WeCom robot is subscribed, then its key in the URL is never shown again', async () => {
    const made = await h.as('fm').post('/api/v1/subscriptions', {
      channel: { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key-1' },
      events: ['close.failed', 'month_end.finished'],
    });
    expect(made.status).toBe(201);
    expect(made.body.channel).toEqual({ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***', signed: false });
  });

  const refused: Array<[string, unknown, number, string]> = [
    ['a file: URL', webhook('file:///etc/passwd'), 400, 'SUBSCRIPTION_TARGET_INVALID'],
    ['a javascript: URL', webhook('javascript:alert(1)'), 400, 'SUBSCRIPTION_TARGET_INVALID'],
    ['a gopher: URL', webhook('gopher://127.0.0.1:25/'), 400, 'SUBSCRIPTION_TARGET_INVALID'],
    ['not a URL', webhook('hooks.example.com'), 400, 'SUBSCRIPTION_TARGET_INVALID'],
    ['credentials in the URL', webhook('https://user:pw@hooks.example.com/'), 400, 'SUBSCRIPTION_TARGET_INVALID'],
    [
      'a webhook without a secret',
      { channel: { kind: 'webhook', url: 'https://h.example.com/' }, events: ['close.blocked'] },
      400,
      'SUBSCRIPTION_TARGET_INVALID',
    ],
    ['a short secret', webhook('https://h.example.com/', { secret: 'short' }), 400, 'VALIDATION_FAILED'],
    ['an address on a webhook', webhook('https://h.example.com/', { address: 'a@example.com' }), 400, 'SUBSCRIPTION_TARGET_INVALID'],
    ['an e-mail without an address', { channel: { kind: 'email' }, events: ['close.blocked'] }, 400, 'SUBSCRIPTION_TARGET_INVALID'],
    [
      'a header in the address',
      { channel: { kind: 'email', address: 'a@example.com\r\nBcc: b@example.com' }, events: ['close.blocked'] },
      400,
      'SUBSCRIPTION_TARGET_INVALID',
    ],
    [
      'a secret on e-mail',
      { channel: { kind: 'email', address: 'a@example.com', secret: SECRET }, events: ['close.blocked'] },
      400,
      'SUBSCRIPTION_TARGET_INVALID',
    ],
    ['an unknown channel', { channel: { kind: 'sms', url: 'https://h.example.com/' }, events: ['close.blocked'] }, 400, 'VALIDATION_FAILED'],
    ['an unknown event', { ...webhook('https://h.example.com/'), events: ['close.exploded'] }, 400, 'VALIDATION_FAILED'],
    ['no events', { ...webhook('https://h.example.com/'), events: [] }, 400, 'VALIDATION_FAILED'],
    ['an unknown field', { ...webhook('https://h.example.com/'), extra: 1 }, 400, 'VALIDATION_FAILED'],
    ['a NUL in the URL', webhook('https://h.example.com/\u0000'), 400, 'TEXT_INVALID'],
    ['a lone surrogate in the secret', webhook('https://h.example.com/', { secret: `${SECRET}\ud800` }), 400, 'TEXT_INVALID'],
    ['an unknown ledger', { ...webhook('https://h.example.com/'), ledger: 'NOPE' }, 404, 'LEDGER_NOT_FOUND'],
  ];
  it.each(refused)('when the body has %s, then it is refused with its code and nothing is written', async (_what, body, status, code) => {
    const before = await fingerprint(h.ds);
    const count = await rows(h.ds, `SELECT count(*)::int AS n FROM notification_subscription`);
    expectError(await h.as('fm').post('/api/v1/subscriptions', body), status, code);
    expect(await fingerprint(h.ds)).toEqual(before);
    expect(await rows(h.ds, `SELECT count(*)::int AS n FROM notification_subscription`)).toEqual(count);
  });

  it('when an id, a query or a calendar is malformed, then the answer is a 4xx with its code', async () => {
    expectError(await h.as('fm').get('/api/v1/subscriptions/not-a-uuid'), 400, 'VALIDATION_FAILED');
    expectError(await h.as('fm').get('/api/v1/deliveries?state=lost'), 400, 'VALIDATION_FAILED');
    expectError(await h.as('fm').get('/api/v1/deliveries?cursor=bm90LWEtY3Vyc29y'), 400, 'VALIDATION_FAILED');
    expectError(await h.as('fm').get('/api/v1/closes?late=maybe'), 400, 'VALIDATION_FAILED');
    expectError(await h.as('fm').post('/api/v1/ledgers/SUB-FED/calendar', { workingDay: 0 }), 400, 'VALIDATION_FAILED');
    expectError(await h.as('fm').post('/api/v1/ledgers/SUB-FED/calendar', { workingDay: 3, holidays: ['2026-13-01'] }), 400, 'VALIDATION_FAILED');
    expectError(
      await h.as('fm').post('/api/v1/ledgers/SUB-FED/calendar', { workingDay: 3, holidays: ['2026-10-01'], workdays: ['2026-10-01'] }),
      422,
      'CALENDAR_INVALID',
    );
    expectError(await h.as('fm').get('/api/v1/ledgers/SUB-FED/calendar'), 404, 'NOT_FOUND');
  });

  it('when an administrator sets a calendar, then everyone who may read notifications reads it back', async () => {
    const set = await h.as('admin').post('/api/v1/ledgers/SUB-FED/calendar', { workingDay: 5, holidays: ['2026-10-01'], workdays: ['2026-10-10'] });
    expect(set.status).toBe(200);
    expect((await h.as('auditor').get('/api/v1/ledgers/SUB-FED/calendar')).body).toMatchObject({
      ledger: 'SUB-FED',
      workingDay: 5,
      timeZone: 'Asia/Shanghai',
      holidays: ['2026-10-01'],
      workdays: ['2026-10-10'],
      updatedBy: 'admin',
    });
  });
});
