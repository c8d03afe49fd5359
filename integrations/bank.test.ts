import { AppError } from '../lib/errors';
import { startBankStandIn, type BankStatsSnapshot } from '../simulators/bank/server';
import { standInAdmin } from '../simulators/common/admin-client';
import type { RunningStandIn } from '../simulators/common/json-app';
import { createHttpBankClient, type BankClient, type HttpBankClientOptions } from './bank';
import { createLogger } from '../lib/logger';

const API_KEY = 'test-bank-key';

let standIn: RunningStandIn;
let admin: ReturnType<typeof standInAdmin>;
beforeAll(async () => {
  standIn = await startBankStandIn({ port: 0, apiKey: API_KEY, seed: 31 });
  admin = standInAdmin(standIn.url);
});
afterAll(() => standIn.close());
beforeEach(() => admin.reset());

function client(overrides: Partial<HttpBankClientOptions> = {}): BankClient {
  return createHttpBankClient({
    baseUrl: standIn.url,
    logger: createLogger('silent'),
    apiKey: API_KEY,
    timeoutMs: 1000,
    maxAttempts: 3,
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const transfers = [
  { reference: 'TR-001', state: 'in_transit', amount: 1_250_000 },
  { reference: 'TR-002', state: 'settled', amount: 80_000, settledAt: '2026-10-30T08:15:00.000Z' },
  { reference: 'TR-003', state: 'failed', reason: 'beneficiary account closed', amount: 5_000 },
  { reference: 'TR-004', state: 'returned', reason: 'name does not match account', amount: 7_700 },
];

describe('HTTP client of the bank', () => {
  test('when transfers are in transit, settled, failed, returned or unknown, then each status comes back in the order asked', async () => {
    await admin.request('PUT', '/transfers', { transfers });
    const statuses = await client().transferStatuses(['TR-004', 'TR-003', 'TR-002', 'TR-001', 'TR-404']);
    expect(statuses).toEqual([
      { reference: 'TR-004', state: 'returned', reason: 'name does not match account', amount: 7_700 },
      { reference: 'TR-003', state: 'failed', reason: 'beneficiary account closed', amount: 5_000 },
      { reference: 'TR-002', state: 'settled', amount: 80_000, settledAt: '2026-10-30T08:15:00.000Z' },
      { reference: 'TR-001', state: 'in_transit', amount: 1_250_000 },
      { reference: 'TR-404', state: 'unknown' },
    ]);
  });

  test('when a transfer is settled without a time, then the bank stamps the settlement time', async () => {
    await admin.request('PUT', '/transfers', { transfers: [{ reference: 'TR-010', state: 'settled' }] });
    const [status] = await client().transferStatuses(['TR-010']);
    expect(Date.parse(status.settledAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  test('when more references are asked than one query takes, then they are split and repeated ones asked once', async () => {
    const references = Array.from({ length: 600 }, (_, i) => `TR-${i}`);
    const statuses = await client().transferStatuses([...references, 'TR-1', 'TR-2']);
    expect(statuses.map((status) => status.reference)).toEqual(references);
    expect(await admin.stats<BankStatsSnapshot>()).toMatchObject({ statusQueries: 2, referencesQueried: 600 });
  });

  test('when no references are asked, then the bank is not called', async () => {
    await expect(client().transferStatuses([])).resolves.toEqual([]);
    expect((await admin.stats<BankStatsSnapshot>()).requests).toBe(0);
  });

  test('when the bank fails a third of the requests, then the client retries and every query succeeds', async () => {
    await admin.request('PUT', '/transfers', { transfers });
    await admin.setFaults({ errorRate: 0.15, timeoutRate: 0.1, duplicateRate: 0.1, rateLimitRate: 0.05, retryAfterSeconds: 0, seed: 8 });
    const bank = client({ timeoutMs: 150, maxAttempts: 8 });
    for (let i = 0; i < 15; i += 1) {
      const statuses = await bank.transferStatuses(['TR-001', 'TR-003']);
      expect(statuses.map((status) => status.state)).toEqual(['in_transit', 'failed']);
    }
    const { faults } = await admin.stats<BankStatsSnapshot>();
    expect(faults.error + faults.timeout + faults.duplicate + faults.rateLimit).toBeGreaterThan(3);
  }, 15_000);

  test('when the bank is in an outage, then BANK_UNAVAILABLE with the status and attempts', async () => {
    await admin.setFaults({ outageMs: 5_000 });
    const error = await failure(client().transferStatuses(['TR-001']));
    expect(error.code).toBe('BANK_UNAVAILABLE');
    expect(error.details).toMatchObject({ status: 503, attempts: 3 });
  });

  test('when the bank answers malformed, then BANK_BAD_RESPONSE, not a crash', async () => {
    await admin.setFaults({ malformedRate: 1 });
    for (let i = 0; i < 4; i += 1) expect((await failure(client().transferStatuses(['TR-001']))).code).toBe('BANK_BAD_RESPONSE');
  });

  test('when the API key is wrong or the request invalid, then BANK_REJECTED without retrying', async () => {
    const wrongKey = await failure(client({ apiKey: 'wrong' }).transferStatuses(['TR-001']));
    const tooLong = await failure(client().transferStatuses(['x'.repeat(65)]));
    expect([wrongKey.code, tooLong.code]).toEqual(['BANK_REJECTED', 'BANK_REJECTED']);
    expect([wrongKey.details, tooLong.details]).toEqual([
      expect.objectContaining({ status: 401, attempts: 1 }),
      expect.objectContaining({ status: 400, attempts: 1 }),
    ]);
  });
});
