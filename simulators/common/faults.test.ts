import { startTaxPlatformStandIn } from '../tax-platform/server';
import type { TaxPlatformStatsSnapshot } from '../tax-platform/state';
import { standInAdmin } from './admin-client';
import type { RunningStandIn } from './json-app';

const API_KEY = 'test-tax-key';
const SELLER = '91110000600037341L';
const oneInvoice = {
  invoices: [{ number: '26110000001', sellerTaxId: SELLER, buyerName: 'Union 1', buyerTaxId: '', amount: 10_000, tax: 600, date: '2026-10-15' }],
};

const running: RunningStandIn[] = [];
async function startStandIn(seed = 11): Promise<{ standIn: RunningStandIn; admin: ReturnType<typeof standInAdmin> }> {
  const standIn = await startTaxPlatformStandIn({ port: 0, apiKey: API_KEY, seed });
  running.push(standIn);
  return { standIn, admin: standInAdmin(standIn.url) };
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((standIn) => standIn.close()));
});

function listing(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}/v1/invoices?sellerTaxId=${SELLER}&period=2026-10`, { ...init, headers: { authorization: `Bearer ${API_KEY}` } });
}

function uploadOne(url: string, key: string): Promise<Response> {
  return fetch(`${url}/v1/invoices/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'idempotency-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(oneInvoice),
  });
}

describe('fault injection of the stand-ins', () => {
  test('when two stand-ins get the same seed and error rate, then they fail the same requests', async () => {
    const statuses = async (seed: number): Promise<number[]> => {
      const { standIn, admin } = await startStandIn(seed);
      await admin.setFaults({ errorRate: 0.5 });
      const seen: number[] = [];
      for (let i = 0; i < 20; i += 1) seen.push((await listing(standIn.url)).status);
      return seen;
    };
    const first = await statuses(42);
    expect(await statuses(42)).toEqual(first);
    expect(first.filter((status) => status >= 500).length).toBeGreaterThan(3);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(3);
  });

  test('when a request is held by a time-out fault, then it gets no answer and close() still ends at once', async () => {
    const { standIn, admin } = await startStandIn();
    await admin.setFaults({ timeoutRate: 1 });
    const held = listing(standIn.url).then(
      () => 'answered',
      () => 'connection cut',
    );
    const noAnswer = await Promise.race([held, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 300))]);
    expect(noAnswer).toBe('still waiting');
    const closingStartedAt = Date.now();
    await standIn.close();
    expect(Date.now() - closingStartedAt).toBeLessThan(1000);
    expect(await held).toBe('connection cut');
  });

  test('when an answer is lost, then the batch is stored although the client sees the connection cut', async () => {
    const { standIn, admin } = await startStandIn();
    await admin.setFaults({ duplicateRate: 1 });
    await expect(uploadOne(standIn.url, 'lost-1')).rejects.toThrow();
    const stats = await admin.stats<TaxPlatformStatsSnapshot>();
    expect(stats).toMatchObject({ batchesStored: 1, invoicesStored: 1, faults: expect.objectContaining({ duplicate: 1 }) });
  });

  test('when rate limiting is on, then the answer is 429 with Retry-After in seconds', async () => {
    const { standIn, admin } = await startStandIn();
    await admin.setFaults({ rateLimitRate: 1, retryAfterSeconds: 2 });
    const response = await listing(standIn.url);
    expect([response.status, response.headers.get('retry-after')]).toEqual([429, '2']);
  });

  test('when an outage is set, then every request answers 503 until it is over', async () => {
    const { standIn, admin } = await startStandIn();
    const settings = await admin.setFaults({ outageMs: 400 });
    expect(settings.outageRemainingMs).toBeGreaterThan(300);
    expect((await listing(standIn.url)).status).toBe(503);
    expect((await uploadOne(standIn.url, 'during-outage')).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await listing(standIn.url)).status).toBe(200);
    expect((await admin.stats<TaxPlatformStatsSnapshot>()).faults.outage).toBe(2);
  });

  test('when malformed answers are on, then a 200 comes whose body is not the documented shape and nothing is stored', async () => {
    const { standIn, admin } = await startStandIn();
    await admin.setFaults({ malformedRate: 1 });
    for (let i = 0; i < 6; i += 1) {
      const response = await uploadOne(standIn.url, `malformed-${i}`);
      expect(response.status).toBe(200);
      const body = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      expect(parsed).not.toEqual(expect.objectContaining({ accepted: expect.any(Number) }));
    }
    expect((await admin.stats<TaxPlatformStatsSnapshot>()).invoicesStored).toBe(0);
  });

  test('when answers are slowed, then they arrive no sooner than the delay', async () => {
    const { standIn, admin } = await startStandIn();
    await admin.setFaults({ slowMs: 200 });
    const startedAt = Date.now();
    expect((await listing(standIn.url)).status).toBe(200);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(195);
  });

  test('when fault settings are invalid or reset, then they are refused or all switched off', async () => {
    const { standIn, admin } = await startStandIn();
    await expect(admin.setFaults({ errorRate: 1.5 })).rejects.toThrow(/400/);
    await expect(admin.request('PUT', '/faults', { explode: true })).rejects.toThrow(/400/);
    await admin.setFaults({ errorRate: 1 });
    expect((await listing(standIn.url)).status).toBeGreaterThanOrEqual(500);
    await admin.reset();
    expect(await admin.faults()).toMatchObject({ errorRate: 0, outageRemainingMs: 0 });
    expect((await listing(standIn.url)).status).toBe(200);
  });
});
