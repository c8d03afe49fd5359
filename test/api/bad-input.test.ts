import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { addReimbursement, addVoucher, createLedger } from '../fixtures/books';
import { ERROR_MESSAGES_ZH } from '../../i18n/error-messages';
import type { ErrorCode } from '../../lib/errors';
import { expectError, fingerprint, startApiHarness, type ApiHarness, type UserKey } from './harness';

interface BadRequest {
  name: string;
  as?: UserKey;
  method: 'get' | 'post' | 'delete';
  path: string;
  /** An object is sent as JSON; a string is sent raw with `type`. */
  body?: unknown;
  type?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const closeId = randomUUID();
const ids = { voucher: '', claim: '' };
const json = (name: string, path: string, body: unknown, status: number, code: string, as: UserKey = 'fm'): BadRequest => ({
  name,
  as,
  method: 'post',
  path,
  body,
  status,
  code,
});

// Built lazily: the document ids exist only once beforeAll has run.
const corpus = (): BadRequest[] => [
  // POST /closes: the body, its fields, and what they name
  {
    name: 'malformed JSON',
    method: 'post',
    path: '/api/v1/closes',
    body: '{"ledger": "BAD", "period": ',
    type: 'application/json',
    status: 400,
    code: 'MALFORMED_JSON',
  },
  { name: 'JSON null', method: 'post', path: '/api/v1/closes', body: 'null', type: 'application/json', status: 400, code: 'MALFORMED_JSON' },
  {
    name: 'form-encoded body',
    method: 'post',
    path: '/api/v1/closes',
    body: 'ledger=BAD&period=2026-09',
    type: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  { name: 'text body', method: 'post', path: '/api/v1/closes', body: 'close BAD please', type: 'text/plain', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  {
    name: 'latin-1 JSON',
    method: 'post',
    path: '/api/v1/closes',
    body: '{}',
    type: 'application/json; charset=latin1',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'unknown encoding',
    method: 'post',
    path: '/api/v1/closes',
    body: '{}',
    type: 'application/json',
    headers: { 'Content-Encoding': 'compress' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'oversized body',
    method: 'post',
    path: '/api/v1/closes',
    body: { ledger: 'BAD', period: '2026-09', pad: 'x'.repeat(70_000) },
    status: 413,
    code: 'BODY_TOO_LARGE',
  },
  json('no body', '/api/v1/closes', undefined, 400, 'VALIDATION_FAILED'),
  json('array body', '/api/v1/closes', [{ ledger: 'BAD', period: '2026-09' }], 400, 'VALIDATION_FAILED'),
  json('unknown field', '/api/v1/closes', { ledger: 'BAD', period: '2026-09', force: true }, 400, 'VALIDATION_FAILED'),
  json('prototype pollution', '/api/v1/closes', JSON.parse('{"ledger":"BAD","period":"2026-09","__proto__":{"admin":true}}'), 400, 'VALIDATION_FAILED'),
  json('ledger of wrong type', '/api/v1/closes', { ledger: 42, period: '2026-09' }, 400, 'VALIDATION_FAILED'),
  json('period of wrong type', '/api/v1/closes', { ledger: 'BAD', period: 202609 }, 400, 'VALIDATION_FAILED'),
  json('month 13', '/api/v1/closes', { ledger: 'BAD', period: '2026-13' }, 400, 'PERIOD_INVALID'),
  json('month without zero', '/api/v1/closes', { ledger: 'BAD', period: '2026-9' }, 400, 'PERIOD_INVALID'),
  json('period as a date', '/api/v1/closes', { ledger: 'BAD', period: '2026-09-30' }, 400, 'PERIOD_INVALID'),
  json('SQL in the ledger', '/api/v1/closes', { ledger: "BAD'; DROP TABLE ledger;--", period: '2026-09' }, 400, 'VALIDATION_FAILED'),
  json('very long ledger', '/api/v1/closes', { ledger: 'B'.repeat(41), period: '2026-09' }, 400, 'VALIDATION_FAILED'),
  json('unknown ledger', '/api/v1/closes', { ledger: 'NOPE', period: '2026-09' }, 404, 'LEDGER_NOT_FOUND'),
  json('period in the future', '/api/v1/closes', { ledger: 'BAD', period: '2099-01' }, 422, 'PERIOD_IN_FUTURE'),
  json('the current month', '/api/v1/closes', { ledger: 'BAD', period: '2026-11' }, 422, 'PERIOD_IN_FUTURE'),
  json('before the first period', '/api/v1/closes', { ledger: 'BAD', period: '2026-07' }, 404, 'PERIOD_NOT_FOUND'),
  // closes by id, and the list
  { name: 'close id not a UUID', method: 'get', path: '/api/v1/closes/123', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'close id with SQL', method: 'get', path: `/api/v1/closes/${encodeURIComponent("1' OR '1'='1")}`, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'unknown close', method: 'get', path: `/api/v1/closes/${closeId}`, status: 404, code: 'CLOSE_NOT_FOUND' },
  { name: 'unknown state filter', method: 'get', path: '/api/v1/closes?state=stuck', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'repeated filter', method: 'get', path: '/api/v1/closes?state=running&state=blocked', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'unknown query parameter', method: 'get', path: '/api/v1/closes?sort=asc', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'limit 0', method: 'get', path: '/api/v1/closes?limit=0', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'limit too big', method: 'get', path: '/api/v1/closes?limit=100000', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'limit not a number', method: 'get', path: '/api/v1/closes?limit=ten', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'stalled negative', method: 'get', path: '/api/v1/closes?stalled=-5', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'period filter invalid', method: 'get', path: '/api/v1/closes?period=2026-00', status: 400, code: 'PERIOD_INVALID' },
  {
    name: 'cursor not ours',
    method: 'get',
    path: `/api/v1/closes?cursor=${Buffer.from('["x"]').toString('base64url')}`,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'cursor out of range',
    method: 'get',
    path: `/api/v1/closes?cursor=${Buffer.from(`["99999999999999999999","${closeId}"]`).toString('base64url')}`,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  { name: 'cursor garbage', method: 'get', path: '/api/v1/closes?cursor=%00%01', status: 400, code: 'TEXT_INVALID' },
  json('resume with a body', `/api/v1/closes/${closeId}/resume`, { now: true }, 400, 'VALIDATION_FAILED'),
  json('cancel reason a number', `/api/v1/closes/${closeId}/cancel`, { reason: 5 }, 400, 'VALIDATION_FAILED'),
  json('cancel reason blank', `/api/v1/closes/${closeId}/cancel`, { reason: '   ' }, 400, 'VALIDATION_FAILED'),
  json('cancel of an unknown close', `/api/v1/closes/${closeId}/cancel`, { reason: 'x' }, 404, 'CLOSE_NOT_FOUND'),
  // ledgers, periods, trial balance, reopen
  { name: 'unknown parent', method: 'get', path: '/api/v1/ledgers?parent=NOPE', status: 404, code: 'LEDGER_NOT_FOUND' },
  { name: 'ledger path with quotes', method: 'get', path: `/api/v1/ledgers/${encodeURIComponent("BAD'--")}/periods`, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'periods of an unknown ledger', method: 'get', path: '/api/v1/ledgers/NOPE/periods', status: 404, code: 'LEDGER_NOT_FOUND' },
  { name: 'trial balance of a bad period', method: 'get', path: '/api/v1/ledgers/BAD/periods/26-09/trial-balance', status: 400, code: 'PERIOD_INVALID' },
  {
    name: 'trial balance before the first period',
    method: 'get',
    path: '/api/v1/ledgers/BAD/periods/2026-01/trial-balance',
    status: 404,
    code: 'PERIOD_NOT_FOUND',
  },
  json('reopen without a reason', '/api/v1/ledgers/BAD/periods/2026-08/reopen', {}, 400, 'VALIDATION_FAILED'),
  json('reopen with an empty reason', '/api/v1/ledgers/BAD/periods/2026-08/reopen', { reason: '' }, 400, 'VALIDATION_FAILED'),
  json('reopen with a huge reason', '/api/v1/ledgers/BAD/periods/2026-08/reopen', { reason: 'x'.repeat(1001) }, 400, 'VALIDATION_FAILED'),
  json('reopen of an open period', '/api/v1/ledgers/BAD/periods/2026-08/reopen', { reason: 'why not' }, 409, 'PERIOD_NOT_CLOSED'),
  // documents
  json('voucher id not a number', '/api/v1/vouchers/abc/approve', undefined, 400, 'VALIDATION_FAILED'),
  json('voucher id zero', '/api/v1/vouchers/0/approve', undefined, 400, 'VALIDATION_FAILED'),
  json('voucher id beyond bigint', '/api/v1/vouchers/99999999999999999999/post', undefined, 400, 'VALIDATION_FAILED'),
  json('voucher id with SQL', `/api/v1/vouchers/${encodeURIComponent('1 OR 1=1')}/approve`, undefined, 400, 'VALIDATION_FAILED'),
  json('approve with a body', `/api/v1/vouchers/${ids.voucher}/approve`, { approver: 'clerk' }, 400, 'VALIDATION_FAILED'),
  json('post with a body', `/api/v1/vouchers/${ids.voucher}/post`, { postedAt: '2026-09-01' }, 400, 'VALIDATION_FAILED'),
  json('defer without a reason', `/api/v1/reimbursements/${ids.claim}/defer`, {}, 400, 'VALIDATION_FAILED'),
  json('defer to a chosen period', `/api/v1/reimbursements/${ids.claim}/defer`, { reason: 'x', to: '2027-01' }, 400, 'VALIDATION_FAILED'),
  // schedules
  json('schedule id with spaces', '/api/v1/schedules', { id: 'month end', parent: 'BAD' }, 400, 'VALIDATION_FAILED', 'admin'),
  json('schedule without a scope', '/api/v1/schedules', { id: 'no-scope' }, 400, 'VALIDATION_FAILED', 'admin'),
  json('schedule with both scopes', '/api/v1/schedules', { id: 'both', parent: 'BAD', ledgers: ['BAD'] }, 400, 'VALIDATION_FAILED', 'admin'),
  json('schedule on day 32', '/api/v1/schedules', { id: 'd32', parent: 'BAD', dayOfMonth: 32 }, 400, 'VALIDATION_FAILED', 'admin'),
  json('schedule at hour "one"', '/api/v1/schedules', { id: 'h1', parent: 'BAD', hour: 'one' }, 400, 'VALIDATION_FAILED', 'admin'),
  json('schedule in no time zone', '/api/v1/schedules', { id: 'tz', parent: 'BAD', timeZone: 'Mars/Olympus_Mons' }, 400, 'VALIDATION_FAILED', 'admin'),
  json('schedule of an unknown ledger', '/api/v1/schedules', { id: 'ghost', ledgers: ['NOPE'] }, 404, 'LEDGER_NOT_FOUND', 'admin'),
  { name: 'schedule id too long', as: 'admin', method: 'get', path: `/api/v1/schedules/${'s'.repeat(65)}`, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'unknown schedule', as: 'admin', method: 'delete', path: '/api/v1/schedules/never-made', status: 404, code: 'SCHEDULE_NOT_FOUND' },
  json(
    'backfill backwards',
    '/api/v1/schedules/never-made/backfill',
    { from: '2026-06-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
    400,
    'VALIDATION_FAILED',
    'admin',
  ),
  json('backfill with dates only', '/api/v1/schedules/never-made/backfill', { from: '2026-01-01', to: '2026-06-01' }, 400, 'VALIDATION_FAILED', 'admin'),
  json('trigger with a body', '/api/v1/schedules/never-made/trigger', { force: true }, 400, 'VALIDATION_FAILED', 'admin'),
  // month-ends and the audit log
  json('month-end with both scopes', '/api/v1/month-ends', { period: '2026-09', parent: 'BAD', ledgers: ['BAD'] }, 400, 'VALIDATION_FAILED'),
  json('month-end of no ledgers', '/api/v1/month-ends', { period: '2026-09', ledgers: [] }, 400, 'VALIDATION_FAILED'),
  json('month-end of a future period', '/api/v1/month-ends', { period: '2030-01', ledgers: ['BAD'] }, 422, 'PERIOD_IN_FUTURE'),
  json('month-end of an unknown ledger', '/api/v1/month-ends', { period: '2026-09', ledgers: ['BAD', 'NOPE'] }, 404, 'LEDGER_NOT_FOUND'),
  json('month-end without a period', '/api/v1/month-ends', { parent: 'BAD' }, 400, 'VALIDATION_FAILED'),
  { name: 'month-end id with spaces', method: 'get', path: '/api/v1/month-ends/a%20b', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'unknown month-end', method: 'get', path: `/api/v1/month-ends/${randomUUID()}`, status: 404, code: 'MONTH_END_NOT_FOUND' },
  { name: 'audit of an unknown ledger', as: 'auditor', method: 'get', path: '/api/v1/audit?ledger=NOPE', status: 404, code: 'LEDGER_NOT_FOUND' },
  { name: 'audit with a bad period', as: 'auditor', method: 'get', path: '/api/v1/audit?period=2026-1', status: 400, code: 'PERIOD_INVALID' },
  {
    name: 'audit cursor not an id',
    as: 'auditor',
    method: 'get',
    path: `/api/v1/audit?cursor=${Buffer.from('["0 OR 1=1"]').toString('base64url')}`,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  // hostile bytes: NUL, unpaired surrogates, invalid UTF-8, percent garbage, bodies that lie about their encoding
  json('defer reason with NUL, of no claim', '/api/v1/reimbursements/987654321/defer', { reason: 'a\u0000b' }, 400, 'TEXT_INVALID'),
  json('defer reason with NUL', `/api/v1/reimbursements/${ids.claim}/defer`, { reason: 'power\u0000cut' }, 400, 'TEXT_INVALID'),
  json('reopen reason with NUL', '/api/v1/ledgers/BAD/periods/2026-08/reopen', { reason: '\u0000' }, 400, 'TEXT_INVALID'),
  json('cancel reason with NUL', `/api/v1/closes/${closeId}/cancel`, { reason: 'power\u0000cut' }, 400, 'TEXT_INVALID'),
  json('cancel reason with a lone high surrogate', `/api/v1/closes/${closeId}/cancel`, { reason: 'x\ud800y' }, 400, 'TEXT_INVALID'),
  json('cancel reason with a lone low surrogate', `/api/v1/closes/${closeId}/cancel`, { reason: '\udc00' }, 400, 'TEXT_INVALID'),
  json('pause note with NUL', '/api/v1/schedules/bounded/unpause', { note: 'night\u0000shift' }, 400, 'TEXT_INVALID', 'admin'),
  json('a key with NUL', '/api/v1/closes', { ledger: 'BAD', period: '2026-09', 'x\u0000': 1 }, 400, 'TEXT_INVALID'),
  json('a nested NUL', '/api/v1/month-ends', { period: '2026-09', ledgers: ['BAD', 'B\u0000D'] }, 400, 'TEXT_INVALID'),
  {
    name: 'invalid UTF-8 body',
    method: 'post',
    path: `/api/v1/reimbursements/${ids.claim}/defer`,
    body: Buffer.from([0x7b, 0x22, 0x72, 0x65, 0x61, 0x73, 0x6f, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
    type: 'application/json',
    status: 400,
    code: 'TEXT_INVALID',
  },
  { name: 'cursor decoding to NUL', method: 'get', path: '/api/v1/ledgers?cursor=WyJcdTAwMDAiXQ', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'query with NUL', method: 'get', path: '/api/v1/closes?ledger=%00', status: 400, code: 'TEXT_INVALID' },
  { name: 'query with a lone surrogate', method: 'get', path: '/api/v1/closes?ledger=%ED%A0%80', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'close id "%"', method: 'get', path: '/api/v1/closes/%', status: 400, code: 'PATH_INVALID' },
  { name: 'ledger with a broken escape', method: 'get', path: '/api/v1/ledgers/%E0%A4%A/periods', status: 400, code: 'PATH_INVALID' },
  { name: 'voucher id "%"', method: 'post', path: '/api/v1/vouchers/%/approve', status: 400, code: 'PATH_INVALID' },
  { name: 'claim id "%zz"', method: 'post', path: '/api/v1/reimbursements/%zz/defer', body: { reason: 'x' }, status: 400, code: 'PATH_INVALID' },
  { name: 'period "%"', method: 'get', path: '/api/v1/ledgers/BAD/periods/%/trial-balance', status: 400, code: 'PATH_INVALID' },
  { name: 'schedule "%"', as: 'admin', method: 'delete', path: '/api/v1/schedules/%', status: 400, code: 'PATH_INVALID' },
  { name: 'month-end "%"', method: 'get', path: '/api/v1/month-ends/%', status: 400, code: 'PATH_INVALID' },
  {
    name: 'gzip that is not',
    method: 'post',
    path: '/api/v1/closes',
    body: '{"ledger":"BAD","period":"2026-09"}',
    type: 'application/json',
    headers: { 'Content-Encoding': 'gzip' },
    status: 400,
    code: 'BODY_ENCODING_INVALID',
  },
  {
    name: 'deflate that is not',
    method: 'post',
    path: '/api/v1/closes',
    body: '{"ledger":"BAD","period":"2026-09"}',
    type: 'application/json',
    headers: { 'Content-Encoding': 'deflate' },
    status: 400,
    code: 'BODY_ENCODING_INVALID',
  },
  {
    name: 'br that is not',
    method: 'post',
    path: '/api/v1/closes',
    body: '{"ledger":"BAD","period":"2026-09"}',
    type: 'application/json',
    headers: { 'Content-Encoding': 'br' },
    status: 400,
    code: 'BODY_ENCODING_INVALID',
  },
  json(
    'backfill from the year 1',
    '/api/v1/schedules/bounded/backfill',
    { from: '0001-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' },
    422,
    'BACKFILL_OUT_OF_RANGE',
    'admin',
  ),
  json(
    'backfill into the future',
    '/api/v1/schedules/bounded/backfill',
    { from: '2026-09-01T00:00:00Z', to: '9999-12-01T00:00:00Z' },
    422,
    'BACKFILL_OUT_OF_RANGE',
    'admin',
  ),
  json(
    'backfill before the first period',
    '/api/v1/schedules/bounded/backfill',
    { from: '2026-05-01T00:00:00Z', to: '2026-09-01T00:00:00Z' },
    422,
    'BACKFILL_OUT_OF_RANGE',
    'admin',
  ),
  json('cancel reason of a megabyte', `/api/v1/closes/${closeId}/cancel`, { reason: 'x'.repeat(1_000_000) }, 413, 'BODY_TOO_LARGE'),
  // no such route
  { name: 'unknown endpoint', method: 'get', path: '/api/v1/nothing-here', status: 404, code: 'NOT_FOUND' },
  { name: 'wrong method', method: 'delete', path: '/api/v1/closes', status: 404, code: 'NOT_FOUND' },
];

describe('bad input', () => {
  let h: ApiHarness;
  let before: Record<string, string>;
  beforeAll(async () => {
    h = await startApiHarness();
    const ledger = await createLedger(h.ds, { code: 'BAD', firstPeriod: '2026-08', openingBalances: { '102': 100_00, '301': -100_00 } });
    ids.voucher = (
      await addVoucher(h.ds, {
        ledgerId: ledger.id,
        period: '2026-08',
        preparer: 'clerk',
        state: 'submitted',
        lines: [
          { account: '501', debit: 1_00 },
          { account: '102', credit: 1_00 },
        ],
      })
    ).id;
    ids.claim = (await addReimbursement(h.ds, { ledgerId: ledger.id, period: '2026-08', amount: 1_00, state: 'submitted' })).id;
    expect((await h.as('admin').post('/api/v1/schedules', { id: 'bounded', ledgers: ['BAD'], paused: true })).status).toBe(201);
    before = await fingerprint(h.ds);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when each endpoint gets bad input, then it answers the 4xx with its stable code in the error shape, never a 5xx', async () => {
    for (const c of corpus()) {
      let req = request(h.app)
        [c.method](c.path)
        .set('Authorization', `Bearer ${h.tokens[c.as ?? 'fm']}`);
      for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
      if (Buffer.isBuffer(c.body))
        req = req
          .set('Content-Type', c.type!)
          .serialize((b: unknown) => b as string)
          .send(c.body as never);
      else if (typeof c.body === 'string') req = req.set('Content-Type', c.type!).send(c.body);
      else if (c.body !== undefined) req = req.send(c.body as object);
      const res = await req;
      try {
        expectError(res, c.status, c.code);
      } catch (err) {
        throw new Error(`${c.name}: ${(err as Error).message}`);
      }
    }
  });

  it('when a Chinese reader (Accept-Language: zh-CN) sends the same bad input, then each refusal says what to do in Chinese, with the same code and details', async () => {
    const ask = (c: ReturnType<typeof corpus>[number], language?: string) => {
      let req = request(h.app)
        [c.method](c.path)
        .set('Authorization', `Bearer ${h.tokens[c.as ?? 'fm']}`);
      if (language) req = req.set('Accept-Language', language);
      for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
      if (Buffer.isBuffer(c.body))
        return req
          .set('Content-Type', c.type!)
          .serialize((b: unknown) => b as string)
          .send(c.body as never);
      if (typeof c.body === 'string') return req.set('Content-Type', c.type!).send(c.body);
      return c.body !== undefined ? req.send(c.body as object) : req;
    };
    for (const c of corpus()) {
      const [english, chinese] = [await ask(c), await ask(c, 'zh-CN,zh;q=0.9')];
      expect({ name: c.name, status: chinese.status, code: chinese.body.error.code, details: chinese.body.error.details }).toEqual({
        name: c.name,
        status: english.status,
        code: english.body.error.code,
        details: english.body.error.details,
      });
      expect({ name: c.name, message: chinese.body.error.message }).toEqual({ name: c.name, message: ERROR_MESSAGES_ZH[c.code as ErrorCode] });
      expect(chinese.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('when all that bad input has been refused, then nothing was written: books, runs, users and audit log are as they were', async () => {
    expect(await fingerprint(h.ds)).toEqual(before);
  });

  it('when an unpause or a backfill was refused, then the schedule in Temporal is untouched: still paused, its note kept, nothing backfilled', async () => {
    const schedule = (await h.as('admin').get('/api/v1/schedules/bounded')).body;
    expect(schedule).toMatchObject({ paused: true, recentActions: [] });
    expect(schedule.note).not.toContain('night');
  });
});
