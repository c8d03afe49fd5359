import { createHash } from 'node:crypto';
import { standInAdmin } from '../common/admin-client';
import type { RunningStandIn } from '../common/json-app';
import type { PlatformInvoice } from './invoice-rules';
import { startTaxPlatformStandIn } from './server';
import type { TaxPlatformStatsSnapshot } from './state';
import type { UploadOutcome } from './store';

const API_KEY = 'test-tax-key';
const SELLER = '91110000600037341L';

function invoice(i: number, overrides: Partial<PlatformInvoice> = {}): PlatformInvoice {
  return {
    number: `2611${String(i).padStart(8, '0')}`,
    sellerTaxId: SELLER,
    buyerName: `Union ${i}`,
    buyerTaxId: '91310000MA1FL8XQ30',
    amount: 10_000 + i,
    tax: 600 + i,
    date: '2026-10-15',
    ...overrides,
  };
}

let standIn: RunningStandIn;
let admin: ReturnType<typeof standInAdmin>;

beforeAll(async () => {
  standIn = await startTaxPlatformStandIn({ port: 0, apiKey: API_KEY, seed: 7 });
  admin = standInAdmin(standIn.url);
});
afterAll(() => standIn.close());
beforeEach(() => admin.reset());

function upload(key: string | undefined, body: unknown, apiKey = API_KEY): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  if (key !== undefined) headers['idempotency-key'] = key;
  return fetch(`${standIn.url}/v1/invoices/batches`, { method: 'POST', headers, body: JSON.stringify(body) });
}

interface ErrorAnswer {
  error: { code: string; message: string; details?: unknown };
}
type PageAnswer = { items: PlatformInvoice[]; next: string | null };

async function errorOf(response: Response): Promise<ErrorAnswer['error']> {
  return ((await response.json()) as ErrorAnswer).error;
}

async function bodyOf<T>(response: Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

function list(query: string): Promise<Response> {
  return fetch(`${standIn.url}/v1/invoices?${query}`, { headers: { authorization: `Bearer ${API_KEY}` } });
}

describe('tax platform stand-in API', () => {
  test('when the key is missing or wrong, then /v1 answers 401 and stores nothing', async () => {
    const noKey = await fetch(`${standIn.url}/v1/invoices?sellerTaxId=${SELLER}&period=2026-10`);
    const wrongKey = await upload('k1', { invoices: [invoice(1)] }, 'wrong-key');
    expect([noKey.status, wrongKey.status]).toEqual([401, 401]);
    expect((await errorOf(wrongKey)).code).toBe('unauthorized');
    expect((await admin.stats<TaxPlatformStatsSnapshot>()).invoicesStored).toBe(0);
  });

  test('when a batch comes without an Idempotency-Key, then it is refused with 400', async () => {
    const response = await upload(undefined, { invoices: [invoice(1)] });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('idempotency_key_required');
  });

  test('when an invoice breaks the rules, then the batch is refused with 400 naming the field', async () => {
    const fractionalFen = await upload('k1', { invoices: [invoice(1), { ...invoice(2), amount: 10.5 }] });
    expect(fractionalFen.status).toBe(400);
    expect((await errorOf(fractionalFen)).details).toEqual([expect.objectContaining({ path: 'invoices.1.amount' })]);
    const badDate = await upload('k2', { invoices: [invoice(1, { date: '2026-02-30' })] });
    expect(badDate.status).toBe(400);
    const tooMany = await upload('k3', { invoices: Array.from({ length: 1001 }, (_, i) => invoice(i)) });
    expect(tooMany.status).toBe(400);
    const notJson = await fetch(`${standIn.url}/v1/invoices/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'idempotency-key': 'k4', 'content-type': 'application/json' },
      body: '{"invoices": [',
    });
    expect([notJson.status, (await errorOf(notJson)).code]).toEqual([400, 'malformed_json']);
    expect((await admin.stats<TaxPlatformStatsSnapshot>()).invoicesStored).toBe(0);
  });

  test('when the same Idempotency-Key comes again, then the first answer is replayed and nothing is stored twice', async () => {
    const batch = { invoices: [invoice(1), invoice(2)] };
    const first = await bodyOf<UploadOutcome>(upload('batch-1', batch));
    const again = await bodyOf<UploadOutcome>(upload('batch-1', batch));
    expect(first).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(again).toEqual(first);
    const reused = await upload('batch-1', { invoices: [invoice(3)] });
    expect([reused.status, (await errorOf(reused)).code]).toEqual([422, 'idempotency_key_reused']);
    const stats = await admin.stats<TaxPlatformStatsSnapshot>();
    expect(stats).toMatchObject({ batchesStored: 1, duplicateBatchReplays: 1, invoicesStored: 2, invoicesAccepted: 2 });
  });

  test('when a known number comes in a new batch, then identical fields count as duplicate and different ones are refused for that invoice', async () => {
    await upload('first', { invoices: [invoice(1), invoice(2)] });
    const answer = await bodyOf<UploadOutcome>(upload('second', { invoices: [invoice(1), invoice(2, { amount: 99, buyerName: 'Other' }), invoice(3)] }));
    expect(answer).toEqual({
      accepted: 1,
      duplicates: 1,
      rejected: [{ number: invoice(2).number, reason: 'invoice number already issued with a different buyerName, amount' }],
    });
  });

  test('when a seller lists a period page by page, then every invoice of that seller and period comes exactly once, in number order', async () => {
    const theirs = Array.from({ length: 25 }, (_, i) => invoice((i * 7) % 25));
    const others = [invoice(100, { sellerTaxId: '91440300MA5FAKE001' }), invoice(101, { date: '2026-11-01' })];
    await admin.request('POST', '/invoices', { invoices: [...theirs, ...others] });
    const numbers: string[] = [];
    let cursor: string | null = null;
    do {
      const page: PageAnswer = await bodyOf<PageAnswer>(list(`sellerTaxId=${SELLER}&period=2026-10&limit=10${cursor === null ? '' : `&cursor=${cursor}`}`));
      numbers.push(...page.items.map((item) => item.number));
      cursor = page.next;
    } while (cursor !== null);
    expect(numbers).toEqual(theirs.map((item) => item.number).sort());
  });

  test('when a listing asks for too much or brings a foreign cursor, then it is refused with 400', async () => {
    expect((await list(`sellerTaxId=${SELLER}&period=2026-10&limit=5001`)).status).toBe(400);
    expect((await list(`sellerTaxId=${SELLER}&period=2026-13`)).status).toBe(400);
    const foreign = await list(`sellerTaxId=${SELLER}&period=2026-10&cursor=not%2Bbase64url`);
    expect([foreign.status, (await errorOf(foreign)).code]).toEqual([400, 'invalid_cursor']);
  });

  test('when admin stores an invoice with different fields, then listing shows the platform version and the ledger version is refused', async () => {
    await upload('ledger-1', { invoices: [invoice(1)] });
    await admin.request('POST', '/invoices', { invoices: [invoice(1, { date: '2026-11-02', tax: 1 })] });
    const october = await bodyOf<PageAnswer>(list(`sellerTaxId=${SELLER}&period=2026-10`));
    const november = await bodyOf<PageAnswer>(list(`sellerTaxId=${SELLER}&period=2026-11`));
    expect(october.items).toEqual([]);
    expect(november.items).toEqual([invoice(1, { date: '2026-11-02', tax: 1 })]);
    const again = await bodyOf<UploadOutcome>(upload('ledger-2', { invoices: [invoice(1)] }));
    expect(again.rejected).toHaveLength(1);
  });

  test('when 100,000 invoices are uploaded in batches of 1000 and listed back, then every one is stored and listed once', async () => {
    const invoices = Array.from({ length: 100_000 }, (_, i) => invoice(i, { date: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}` }));
    for (let start = 0; start < invoices.length; start += 4000) {
      await Promise.all(
        [0, 1000, 2000, 3000].map((offset) => upload(`perf-${start + offset}`, { invoices: invoices.slice(start + offset, start + offset + 1000) })),
      );
    }
    let listed = 0;
    let cursor: string | null = null;
    do {
      const page: PageAnswer = await bodyOf<PageAnswer>(list(`sellerTaxId=${SELLER}&period=2026-10&limit=5000${cursor === null ? '' : `&cursor=${cursor}`}`));
      listed += page.items.length;
      cursor = page.next;
    } while (cursor !== null);
    expect(listed).toBe(100_000);
    expect((await admin.stats<TaxPlatformStatsSnapshot>()).invoicesStored).toBe(100_000);
  }, 60_000);

  test('when a seller asks for the summary of a period, then it counts and digests exactly what a listing would return', async () => {
    const summary = (query: string) =>
      bodyOf<{ count: number; digest: string }>(fetch(`${standIn.url}/v1/invoices/summary?${query}`, { headers: { authorization: `Bearer ${API_KEY}` } }));
    const empty = await summary(`sellerTaxId=${SELLER}&period=2026-10`);
    // SHA-256 of nothing: the same as the ledger's digest of a period without invoices.
    expect(empty).toEqual({ count: 0, digest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });

    await upload('s1', { invoices: [invoice(2, { buyerName: '北京某某科技有限公司' }), invoice(1)] });
    await upload('s2', { invoices: [invoice(3, { sellerTaxId: '91440300MA5FAKE001' }), invoice(4, { date: '2026-11-01' })] });
    const two = await summary(`sellerTaxId=${SELLER}&period=2026-10`);
    const fields = (i: PlatformInvoice) => [i.number, i.sellerTaxId, i.buyerName, i.buyerTaxId, i.amount, i.tax, i.date].join('\u001f');
    const expected = createHash('sha256')
      .update([invoice(1), invoice(2, { buyerName: '北京某某科技有限公司' })].map(fields).join('\u001e'))
      .digest('hex');
    expect(two).toEqual({ count: 2, digest: expected });

    // Any field changed on the platform changes the digest.
    await admin.request('POST', '/invoices', { invoices: [invoice(1, { tax: 1 })] });
    const changed = await summary(`sellerTaxId=${SELLER}&period=2026-10`);
    expect(changed.count).toBe(2);
    expect(changed.digest).not.toBe(two.digest);

    const bad = await fetch(`${standIn.url}/v1/invoices/summary?sellerTaxId=nope&period=2026-10`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(bad.status).toBe(400);
    expect((await admin.stats<TaxPlatformStatsSnapshot>()).summaries).toBe(3);
  });
});
