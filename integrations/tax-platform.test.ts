import { AppError } from '../lib/errors';
import { standInAdmin } from '../simulators/common/admin-client';
import type { RunningStandIn } from '../simulators/common/json-app';
import { startTaxPlatformStandIn } from '../simulators/tax-platform/server';
import type { TaxPlatformStatsSnapshot } from '../simulators/tax-platform/state';
import {
  createHttpTaxPlatformClient,
  type HttpTaxPlatformClientOptions,
  type PlatformInvoice,
  type TaxPlatformClient,
  type UploadResult,
} from './tax-platform';
import { createLogger } from '../lib/logger';

const API_KEY = 'test-tax-key';
const SELLER = '91110000600037341L';
const PERIOD = '2026-10';
const fastRetries = { timeoutMs: 1000, maxAttempts: 3, backoffBaseMs: 5, backoffMaxMs: 20 };

function invoice(i: number, overrides: Partial<PlatformInvoice> = {}): PlatformInvoice {
  return {
    number: `2611${String(i).padStart(8, '0')}`,
    sellerTaxId: SELLER,
    buyerName: `Union ${i}`,
    buyerTaxId: '91310000MA1FL8XQ30',
    amount: 10_000 + i,
    tax: 600 + i,
    date: `${PERIOD}-${String(1 + (i % 28)).padStart(2, '0')}`,
    ...overrides,
  };
}

let standIn: RunningStandIn;
let admin: ReturnType<typeof standInAdmin>;
beforeAll(async () => {
  standIn = await startTaxPlatformStandIn({ port: 0, apiKey: API_KEY, seed: 2026 });
  admin = standInAdmin(standIn.url);
});
afterAll(() => standIn.close());
beforeEach(() => admin.reset());

function client(overrides: Partial<HttpTaxPlatformClientOptions> = {}): TaxPlatformClient {
  return createHttpTaxPlatformClient({ baseUrl: standIn.url, logger: createLogger('silent'), apiKey: API_KEY, ...fastRetries, ...overrides });
}

async function listAll(platform: TaxPlatformClient): Promise<PlatformInvoice[]> {
  const all: PlatformInvoice[] = [];
  for await (const page of platform.listInvoices(SELLER, PERIOD)) all.push(...page);
  return all;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** What the Temporal activity retry does: call again, same arguments, after an UNAVAILABLE. */
async function retriedLikeAnActivity<T>(attempt: () => Promise<T>): Promise<T> {
  for (let activityAttempt = 1; ; activityAttempt += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'TAX_PLATFORM_UNAVAILABLE' || activityAttempt >= 5) throw error;
    }
  }
}

describe('HTTP client of the tax e-invoice platform', () => {
  test('when about 30% of requests time out, fail with 5xx or lose their answer, then every invoice is stored exactly once', async () => {
    await admin.setFaults({ errorRate: 0.12, timeoutRate: 0.12, duplicateRate: 0.12, seed: 99 });
    const platform = client({ timeoutMs: 200, maxAttempts: 6, backoffBaseMs: 2, backoffMaxMs: 10 });
    const invoices = Array.from({ length: 6000 }, (_, i) => invoice(i));
    const results: UploadResult[] = [];
    let nextBatch = 0;
    const uploadBatches = async (): Promise<void> => {
      for (let batch = nextBatch++; batch < 24; batch = nextBatch++) {
        const slice = invoices.slice(batch * 250, (batch + 1) * 250);
        results.push(await retriedLikeAnActivity(() => platform.uploadBatch(`close-2026-10-batch-${batch}`, slice)));
      }
    };
    await Promise.all([uploadBatches(), uploadBatches(), uploadBatches(), uploadBatches()]);
    const listed = await retriedLikeAnActivity(() => listAll(platform));

    expect(results.reduce((sum, result) => sum + result.accepted, 0)).toBe(6000);
    expect(listed.map((item) => item.number)).toEqual(invoices.map((item) => item.number));
    const stats = await admin.stats<TaxPlatformStatsSnapshot>();
    expect(stats).toMatchObject({ invoicesStored: 6000, invoicesAccepted: 6000, batchesStored: 24 });
    expect(stats.duplicateBatchReplays).toBeGreaterThan(0);
    expect(Math.min(stats.faults.error, stats.faults.timeout, stats.faults.duplicate)).toBeGreaterThan(0);
    expect((stats.faults.error + stats.faults.timeout + stats.faults.duplicate) / stats.requests).toBeGreaterThan(0.2);
  }, 30_000);

  test('when the platform answers 429 with Retry-After: 1, then the client waits at least a second and then succeeds', async () => {
    await admin.setFaults({ rateLimitRate: 1, retryAfterSeconds: 1 });
    const waits: number[] = [];
    const platform = client({
      sleep: async (ms) => {
        waits.push(ms);
        await admin.setFaults({});
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
    });
    const startedAt = Date.now();
    await expect(platform.uploadBatch('rate-limited', [invoice(1)])).resolves.toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
    expect(waits).toEqual([1000]);
    expect((await admin.stats<TaxPlatformStatsSnapshot>()).faults.rateLimit).toBe(1);
  });

  test('when the platform is in an outage, then UNAVAILABLE is thrown, and after it ends the same call succeeds', async () => {
    await admin.setFaults({ outageMs: 600 });
    const platform = client();
    const error = await failure(platform.uploadBatch('during-outage', [invoice(1)]));
    expect(error.code).toBe('TAX_PLATFORM_UNAVAILABLE');
    expect(error.details).toMatchObject({ status: 503, attempts: 3 });
    const { outageRemainingMs } = await admin.faults();
    await new Promise((resolve) => setTimeout(resolve, outageRemainingMs + 50));
    await expect(platform.uploadBatch('during-outage', [invoice(1)])).resolves.toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  test('when answers are malformed, then uploads and listings throw BAD_RESPONSE instead of crashing', async () => {
    await admin.setFaults({ malformedRate: 1, seed: 5 });
    const platform = client();
    for (let i = 0; i < 4; i += 1) {
      expect((await failure(platform.uploadBatch(`malformed-${i}`, [invoice(i)]))).code).toBe('TAX_PLATFORM_BAD_RESPONSE');
      expect((await failure(listAll(platform))).code).toBe('TAX_PLATFORM_BAD_RESPONSE');
    }
    expect((await admin.stats<TaxPlatformStatsSnapshot>()).faults.malformed).toBe(8);
  });

  test('when the platform refuses the batch with 400, then REJECTED is thrown without a retry', async () => {
    const platform = client();
    const error = await failure(platform.uploadBatch('bad-tax-id', [invoice(1, { sellerTaxId: 'lowercase-id' })]));
    expect(error.code).toBe('TAX_PLATFORM_REJECTED');
    expect(error.details).toMatchObject({ status: 400, attempts: 1 });
    expect((await admin.stats<TaxPlatformStatsSnapshot>()).requests).toBe(1);
  });

  test('when the API key is wrong, then REJECTED with status 401', async () => {
    const error = await failure(client({ apiKey: 'wrong' }).uploadBatch('wrong-key', [invoice(1)]));
    expect(error.code).toBe('TAX_PLATFORM_REJECTED');
    expect(error.details).toMatchObject({ status: 401 });
  });

  test('when the same batch is uploaded twice under one key, then it is stored once and both calls get the same answer', async () => {
    const platform = client();
    const batch = [invoice(1), invoice(2), invoice(3)];
    const first = await platform.uploadBatch('close-2026-10-batch-0', batch);
    const second = await platform.uploadBatch('close-2026-10-batch-0', batch);
    expect(second).toEqual(first);
    expect(await admin.stats<TaxPlatformStatsSnapshot>()).toMatchObject({ batchesStored: 1, duplicateBatchReplays: 1, invoicesStored: 3 });
  });

  test('when an invoice number comes again with other fields, then that invoice is rejected with the reason and the rest accepted', async () => {
    const platform = client();
    await platform.uploadBatch('first', [invoice(1)]);
    const result = await platform.uploadBatch('second', [invoice(1, { buyerTaxId: '91440300MA5FAKE001' }), invoice(2)]);
    expect(result).toEqual({ accepted: 1, duplicates: 0, rejected: [{ number: invoice(1).number, reason: expect.stringContaining('buyerTaxId') }] });
  });

  test('when the ledger objects carry extra fields such as an id, then only the platform fields are sent', async () => {
    const withLedgerId = { ...invoice(1), id: 'ledger-row-1' };
    await expect(client().uploadBatch('with-id', [withLedgerId])).resolves.toMatchObject({ accepted: 1 });
  });

  test('when a period spans many pages, then listing yields every invoice exactly once and skips other sellers and periods', async () => {
    const theirs = Array.from({ length: 1234 }, (_, i) => invoice(1233 - i));
    await admin.request('POST', '/invoices', {
      invoices: [...theirs, invoice(5000, { sellerTaxId: '91440300MA5FAKE001' }), invoice(5001, { date: '2026-11-01' })],
    });
    const pages: number[] = [];
    const numbers: string[] = [];
    for await (const page of client({ pageSize: 100 }).listInvoices(SELLER, PERIOD)) {
      pages.push(page.length);
      numbers.push(...page.map((item) => item.number));
    }
    expect(pages).toHaveLength(13);
    expect(new Set(numbers).size).toBe(1234);
    expect(numbers).toEqual(theirs.map((item) => item.number).sort());
  });

  test('when a batch is larger than the platform takes or empty, then the client refuses it or skips the call', async () => {
    const platform = client();
    await expect(
      platform.uploadBatch(
        'too-big',
        Array.from({ length: 1001 }, (_, i) => invoice(i)),
      ),
    ).rejects.toThrow(RangeError);
    await expect(platform.uploadBatch('empty', [])).resolves.toEqual({ accepted: 0, duplicates: 0, rejected: [] });
    expect((await admin.stats<TaxPlatformStatsSnapshot>()).requests).toBe(0);
  });
});
