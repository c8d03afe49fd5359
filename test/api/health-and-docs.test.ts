import { createHttpBankClient } from '../../integrations/bank';
import { Client, Connection } from '@temporalio/client';
import net, { type AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createDataSource } from '../../db/data-source';
import { createLogger } from '../../lib/logger';
import { createLedger } from '../fixtures/books';
import { fastCloseSettings } from '../helpers/temporal';
import { expectError, fingerprint, startApiHarness, type ApiHarness } from './harness';

describe('health, metrics and the published contract', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const appWith = (over: Partial<Parameters<typeof createApp>[0]>) =>
    createApp({
      dataSource: h.ds,
      temporalClient: h.stack.client,
      taskQueue: h.stack.taskQueue,
      closeSettings: fastCloseSettings,
      monthEndConcurrency: 2,
      bank: createHttpBankClient({ baseUrl: h.stack.bankUrl, logger: createLogger('silent'), apiKey: 'unused', timeoutMs: 1_000 }),
      logger: createLogger('silent'),
      bodyLimit: '64kb',
      ...over,
    });

  it('when PostgreSQL and Temporal answer, then /healthz and /readyz are green without a token', async () => {
    expect((await request(h.app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(h.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok', temporal: 'ok' } });
  });

  it('when the database pool is closed, then /readyz is 503 naming the database', async () => {
    const closed = createDataSource(h.db.url, 1, 'closed-pool');
    await closed.initialize();
    await closed.destroy();
    const res = await request(appWith({ dataSource: closed })).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', checks: { database: 'unavailable', temporal: 'ok' } });
  });

  it('when the Temporal connection is closed, then /readyz is 503 naming Temporal', async () => {
    const connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
    await connection.close();
    const res = await request(appWith({ temporalClient: new Client({ connection }) })).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', checks: { database: 'ok', temporal: 'unavailable' } });
  });

  it('when Temporal cannot be reached, then starting a close is 503 TEMPORAL_UNAVAILABLE and writes nothing', async () => {
    await createLedger(h.ds, { code: 'HLT', firstPeriod: '2026-09' });
    const connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
    await connection.close();
    const before = await fingerprint(h.ds);
    const res = await request(appWith({ temporalClient: new Client({ connection }) }))
      .post('/api/v1/closes')
      .set('Authorization', `Bearer ${h.tokens.fm}`)
      .send({ ledger: 'HLT', period: '2026-09' });
    expectError(res, 503, 'TEMPORAL_UNAVAILABLE');
    expect(await fingerprint(h.ds)).toEqual(before);
  });

  it('when the database pool is gone, then an API request is 503 DATABASE_UNAVAILABLE', async () => {
    const closed = createDataSource(h.db.url, 1, 'closed-pool');
    await closed.initialize();
    await closed.destroy();
    const res = await request(appWith({ dataSource: closed }))
      .get('/api/v1/closes')
      .set('Authorization', `Bearer ${h.tokens.fm}`);
    expectError(res, 503, 'DATABASE_UNAVAILABLE');
  });

  it('when metrics are scraped, then they hold the default metrics, request durations by route and the closes counter', async () => {
    await h.as('fm').get('/api/v1/closes');
    await h.as('fm').get('/api/v1/closes/not-a-uuid');
    const res = await request(h.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/closes",status="200"\} 1/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/closes\/:id",status="400"\} 1/);
    expect(res.text).toContain('# TYPE closes_started_total counter');
  });

  it.each(['/metrics', '/healthz', '/openapi.json'])(
    'when %s is sent a body it does not take, slowly, then it answers only after reading the whole body and the connection survives',
    async (route) => {
      const server = h.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const socket = net.connect(port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
        const half = Buffer.alloc(512 * 1024, 'x');
        socket.write(
          `GET ${route} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${2 * half.length}\r\nConnection: close\r\n\r\n`,
        );
        socket.write(half);
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Answering now would leave half the body unread and the connection would be reset.
        expect(answer).toBe('');
        socket.write(half);
        await new Promise((resolve) => socket.once('close', resolve));
        expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );

  it("when any request is made, then it carries an X-Request-Id, the caller's own if it gave a sane one", async () => {
    const mine = await request(h.app).get('/healthz').set('X-Request-Id', 'trace-1234-abcd');
    expect(mine.headers['x-request-id']).toBe('trace-1234-abcd');
    const hostile = await request(h.app).get('/healthz').set('X-Request-Id', '<script>');
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await request(h.app).get('/api/v1/closes');
    expectError(failed, 401, 'UNAUTHENTICATED');
    expect(failed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when /openapi.json is read, then it is OpenAPI 3.1 describing every endpoint with the schemas the handlers validate with', async () => {
    const { body: doc } = await request(h.app).get('/openapi.json').expect(200);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/closes',
        '/api/v1/closes/{id}',
        '/api/v1/closes/{id}/resume',
        '/api/v1/closes/{id}/cancel',
        '/api/v1/ledgers',
        '/api/v1/ledgers/{ledger}/periods',
        '/api/v1/ledgers/{ledger}/periods/{period}/trial-balance',
        '/api/v1/ledgers/{ledger}/periods/{period}/reopen',
        '/api/v1/vouchers/{id}/approve',
        '/api/v1/vouchers/{id}/post',
        '/api/v1/reimbursements/{id}/defer',
        '/api/v1/schedules',
        '/api/v1/schedules/{id}',
        '/api/v1/schedules/{id}/pause',
        '/api/v1/schedules/{id}/unpause',
        '/api/v1/schedules/{id}/trigger',
        '/api/v1/schedules/{id}/backfill',
        '/api/v1/month-ends',
        '/api/v1/month-ends/{id}',
        '/api/v1/audit',
        '/api/v1/subscriptions',
        '/api/v1/subscriptions/{id}',
        '/api/v1/deliveries',
        '/api/v1/ledgers/{ledger}/calendar',
        '/healthz',
        '/readyz',
        '/metrics',
      ]),
    );
    const start = doc.paths['/api/v1/closes'].post;
    expect(start['x-permission']).toBe('close:start');
    expect(start.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['ledger', 'period'],
      properties: { period: { type: 'string', pattern: '^(\\d{4})-(0[1-9]|1[0-2])$' } },
    });
    expect(start.responses['403']).toEqual({ $ref: '#/components/responses/Error' });
    const list = doc.paths['/api/v1/closes'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(list).toEqual(['query:state', 'query:ledger', 'query:period', 'query:stalled', 'query:late', 'query:limit', 'query:cursor']);
    expect(doc.paths['/healthz'].get.security).toEqual([]);
  });

  it('when /docs is opened, then it is a self-contained page that renders the contract', async () => {
    const res = await request(h.app).get('/docs').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain("fetch('/openapi.json')");
    expect(res.text).not.toMatch(/<(script|link)[^>]+(src|href)=["']?https?:/);
  });

  it("when the root is opened, then the dashboard's page and its built modules are served without a token, the page asked again each time, the hashed files cached for good", async () => {
    const page = await request(h.app).get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /<script type="module" crossorigin src="\.\/(assets\/[\w.-]+\.js)">/.exec(page.text);
    expect(script).not.toBeNull();
    const module = await request(h.app).get(`/${script![1]}`).expect(200);
    expect(module.headers['content-type']).toMatch(/javascript/);
    expect(module.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});
