import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { AppError } from '../lib/errors';
import { createJsonCaller, parseRetryAfterMs, type ExternalSystem, type HttpJsonOptions } from './http-json';
import { createLogger } from '../lib/logger';

const silent = createLogger('silent');

type Scripted = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const system: ExternalSystem = { name: 'the test system', unavailable: 'BANK_UNAVAILABLE', badResponse: 'BANK_BAD_RESPONSE', rejected: 'BANK_REJECTED' };
const answerSchema = z.object({ ok: z.literal(true) });

let server: http.Server;
let baseUrl: string;
let script: Scripted[] = [];
let seenUrls: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seenUrls.push(req.url ?? '');
    const next = script.shift() ?? ((_req, answer) => answer.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    next(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  script = [];
  seenUrls = [];
});

const json =
  (status: number, body: string, headers: http.OutgoingHttpHeaders = {}): Scripted =>
  (_req, res) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);

function caller(overrides: Partial<HttpJsonOptions> = {}) {
  const sleeps: number[] = [];
  const recordSleep = (ms: number): Promise<void> => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  const call = createJsonCaller(system, {
    baseUrl,
    logger: silent,
    apiKey: 'k',
    timeoutMs: 300,
    maxAttempts: 3,
    backoffBaseMs: 100,
    sleep: recordSleep,
    random: () => 0.5,
    ...overrides,
  });
  return { call: () => call({ method: 'GET', path: '/thing', what: 'test call', schema: answerSchema }), sleeps };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('JSON calls to an external system', () => {
  test('when the system answers 503 then 200, then the call succeeds after a back-off', async () => {
    script = [json(503, '{}'), json(408, '{}')];
    const { call, sleeps } = caller();
    await expect(call()).resolves.toEqual({ ok: true });
    expect(seenUrls).toHaveLength(3);
    expect(sleeps).toEqual([75, 150]);
  });

  test('when every attempt fails, then UNAVAILABLE names the attempts, the last status and what happened', async () => {
    script = [json(500, '{}'), json(502, '{}'), json(503, '{}')];
    const error = await failure(caller().call());
    expect(error.code).toBe('BANK_UNAVAILABLE');
    expect(error.details).toMatchObject({ status: 503, attempts: 3, lastProblem: 'answered 503' });
    expect(error.message).toMatch(/The test system did not complete the test call after 3 attempt\(s\)/);
  });

  test('when the answer is not JSON, is empty or has another shape, then BAD_RESPONSE and no retry', async () => {
    script = [(_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>'), json(200, ''), json(200, '{"ok":"yes"}')];
    const { call } = caller();
    const notJson = await failure(call());
    const empty = await failure(call());
    const wrongShape = await failure(call());
    expect([notJson.code, empty.code, wrongShape.code]).toEqual(['BANK_BAD_RESPONSE', 'BANK_BAD_RESPONSE', 'BANK_BAD_RESPONSE']);
    expect(notJson.message).toContain('<html>oops</html>');
    expect(wrongShape.details).toMatchObject({ issues: [expect.stringContaining('ok:')] });
    expect(seenUrls).toHaveLength(3);
  });

  test('when the system answers 404, then REJECTED at once with its body', async () => {
    script = [json(404, '{"error":"no such thing"}')];
    const error = await failure(caller().call());
    expect(error.code).toBe('BANK_REJECTED');
    expect(error.details).toMatchObject({ status: 404, attempts: 1, body: '{"error":"no such thing"}' });
    expect(seenUrls).toHaveLength(1);
  });

  test('when 429 carries Retry-After as an HTTP date, then the call waits until then', async () => {
    script = [json(429, '{}', { 'retry-after': new Date(Date.now() + 3000).toUTCString() })];
    const { call, sleeps } = caller();
    await expect(call()).resolves.toEqual({ ok: true });
    expect(sleeps[0]).toBeGreaterThan(1000);
    expect(sleeps[0]).toBeLessThanOrEqual(3000);
  });

  test('when Retry-After is longer than the call may wait, then UNAVAILABLE at once so the caller retries later', async () => {
    script = [json(429, '{}', { 'retry-after': '120' })];
    const { call, sleeps } = caller({ maxRetryAfterMs: 10_000 });
    const error = await failure(call());
    expect(error.code).toBe('BANK_UNAVAILABLE');
    expect(error.details).toMatchObject({ status: 429, attempts: 1, retryAfterMs: 120_000 });
    expect(sleeps).toEqual([]);
  });

  test('when the answer does not come within the time-out, then the attempt is abandoned and retried', async () => {
    script = [(_req, res) => void setTimeout(() => res.writeHead(200).end('{"ok":true}'), 1000).unref()];
    const startedAt = Date.now();
    const { call } = caller({ timeoutMs: 150 });
    await expect(call()).resolves.toEqual({ ok: true });
    expect(Date.now() - startedAt).toBeLessThan(900);
  });

  test('when nothing listens, then UNAVAILABLE names the connection error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(caller({ baseUrl: `http://127.0.0.1:${port}` }).call());
    expect(error.code).toBe('BANK_UNAVAILABLE');
    expect(error.details).toMatchObject({ attempts: 3, lastProblem: expect.stringContaining('ECONNREFUSED') });
  });

  test('when the base URL has a path and a trailing slash, then the request goes below it with the query and the key', async () => {
    let authorization: string | undefined;
    script = [
      (req, res) => {
        authorization = req.headers.authorization;
        json(200, '{"ok":true}')(req, res);
      },
    ];
    const call = createJsonCaller(system, { baseUrl: `${baseUrl}/api/`, logger: silent, apiKey: 'secret', timeoutMs: 300 });
    await call({ method: 'GET', path: '/v1/things', what: 'test call', query: { a: 'x y', skipped: undefined, n: 5 }, schema: answerSchema });
    expect(seenUrls).toEqual(['/api/v1/things?a=x+y&n=5']);
    expect(authorization).toBe('Bearer secret');
  });

  test('when Retry-After is seconds, a date or nonsense, then it is read as milliseconds or ignored', () => {
    const now = Date.parse('2026-11-01T00:00:00Z');
    expect(parseRetryAfterMs('1', now)).toBe(1000);
    expect(parseRetryAfterMs('Sun, 01 Nov 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('Sat, 31 Oct 2026 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });
});
