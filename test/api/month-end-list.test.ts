import { addVoucher, createLedger } from '../fixtures/books';
import { expectError, fingerprint, startApiHarness, waitFor, type ApiHarness } from './harness';

const opening = { '102': 1_000_00, '301': -1_000_00 };
const noneElse = { running: 0, failed: 0, cancelled: 0, notStarted: 0 };

interface Listed {
  id: string;
  period: string;
  scope: Record<string, unknown>;
  initiatedBy: string;
  state: string;
  counts: Record<string, number>;
}

describe('the list of month-end runs (GET /api/v1/month-ends)', () => {
  let h: ApiHarness;
  const ids: Record<'federation' | 'october' | 'other' | 'mixed', string> = { federation: '', october: '', other: '', mixed: '' };

  const start = async (body: Record<string, unknown>): Promise<string> => {
    const res = await h.as('fm').post('/api/v1/month-ends', body);
    expect(res.status).toBe(202);
    return res.body.id;
  };
  const settled = (id: string, total: number) =>
    waitFor(
      async () => {
        const body = (await h.as('fm').get(`/api/v1/month-ends/${id}`)).body;
        return body.summary.closed + body.summary.blocked === total ? body : undefined;
      },
      `month-end ${id} settled`,
      45_000,
    );
  const list = async (who: string, query = ''): Promise<{ items: Listed[]; next: string | null }> => {
    const res = await h.as(who).get(`/api/v1/month-ends${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    h = await startApiHarness();
    await createLedger(h.ds, { code: 'LF', firstPeriod: '2026-09' });
    await createLedger(h.ds, { code: 'LF-1', parentCode: 'LF', firstPeriod: '2026-09', openingBalances: opening });
    const blocked = await createLedger(h.ds, { code: 'LF-2', parentCode: 'LF', firstPeriod: '2026-09', openingBalances: opening });
    await addVoucher(h.ds, {
      ledgerId: blocked.id,
      period: '2026-09',
      preparer: 'clerk',
      state: 'submitted',
      lines: [
        { account: '501', debit: 5_00 },
        { account: '102', credit: 5_00 },
      ],
    });
    await createLedger(h.ds, { code: 'LF-3', parentCode: 'LF', firstPeriod: '2026-10', openingBalances: opening });
    await createLedger(h.ds, { code: 'OF', firstPeriod: '2026-09' });
    await createLedger(h.ds, { code: 'OF-1', parentCode: 'OF', firstPeriod: '2026-09', openingBalances: opening });
    await h.addUser('lf-manager', 'finance_manager', 'LF');

    // Four runs, one after another: a federation's, a single ledger's October, another federation's, and one across both.
    ids.federation = await start({ period: '2026-09', parent: 'LF' });
    await settled(ids.federation, 2);
    ids.october = await start({ period: '2026-10', ledgers: ['LF-3'] });
    ids.other = await start({ period: '2026-09', parent: 'OF' });
    await settled(ids.october, 1);
    await settled(ids.other, 1);
    ids.mixed = await start({ period: '2026-09', ledgers: ['LF-1', 'OF-1'] });
  }, 150_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('Given four month-end runs, when a finance manager of every ledger lists them, then they come newest first, each with its counts', async () => {
    const { items, next } = await list('fm');
    expect(items.map((r) => r.id)).toEqual([ids.mixed, ids.other, ids.october, ids.federation]);
    expect(next).toBeNull();
    const federation = items.find((r) => r.id === ids.federation)!;
    expect(federation).toMatchObject({ period: '2026-09', scope: { parent: 'LF' }, initiatedBy: 'fm', ledgerCount: 3 });
    // LF-3 begins in October: the federation's September counts LF-1 (closed) and LF-2 (blocked).
    expect(federation.counts).toEqual({ total: 2, closed: 1, blocked: 1, ...noneElse });
    expect(items.find((r) => r.id === ids.october)!.counts).toEqual({ total: 1, closed: 1, blocked: 0, ...noneElse });
    expect(items.find((r) => r.id === ids.mixed)!.counts).toEqual({ total: 2, closed: 2, blocked: 0, ...noneElse });
    // The list counts as the run's own page does.
    const one = (await h.as('fm').get(`/api/v1/month-ends/${ids.federation}`)).body.summary;
    expect({ total: one.total, closed: one.closed, blocked: one.blocked }).toEqual({ total: 2, closed: 1, blocked: 1 });
  });

  it('Given four runs, when they are listed three at a time, then the second page holds the last one, with no run twice', async () => {
    const first = await list('fm', '?limit=3');
    expect(first.items.map((r) => r.id)).toEqual([ids.mixed, ids.other, ids.october]);
    expect(first.next).toEqual(expect.any(String));
    const second = await list('fm', `?limit=3&cursor=${first.next}`);
    expect(second.items.map((r) => r.id)).toEqual([ids.federation]);
    expect(second.next).toBeNull();
  });

  it('Given runs of two periods, when the list is filtered by period or state, then only those runs are listed', async () => {
    expect((await list('fm', '?period=2026-10')).items.map((r) => r.id)).toEqual([ids.october]);
    expect((await list('fm', '?period=2026-08')).items).toEqual([]);
    const completed = await waitFor(async () => {
      const found = (await list('fm', '?state=completed')).items;
      return found.length === 4 ? found : undefined;
    }, 'all four runs completed');
    expect(completed).toHaveLength(4);
  });

  it('Given a user whose scope is one federation, when they list, then runs reaching outside it are not listed, nor readable', async () => {
    const { items } = await list('lf-manager');
    expect(items.map((r) => r.id)).toEqual([ids.october, ids.federation]);
    expectError(await h.as('lf-manager').get(`/api/v1/month-ends/${ids.mixed}`), 404, 'MONTH_END_NOT_FOUND');
    expect((await list('lf-manager', '?period=2026-09')).items.map((r) => r.id)).toEqual([ids.federation]);
  });

  it('Given a bad query or no credential, when the list is asked for, then it answers 4xx with a stable code and writes nothing', async () => {
    // A blocked close re-checks (and records it) every second: cancelled first, so only the requests could write.
    const live = (await h.ds.query(`SELECT id FROM close_run WHERE state IN ('running', 'blocked')`)) as Array<{ id: string }>;
    for (const { id } of live) expect((await h.as('fm').post(`/api/v1/closes/${id}/cancel`, { reason: 'quiet for the test' })).status).toBeLessThan(300);
    await waitFor(
      async () => ((await h.ds.query(`SELECT 1 FROM close_run WHERE state IN ('running', 'blocked')`)) as unknown[]).length === 0,
      'no close left running',
    );
    const before = await fingerprint(h.ds);
    const foreign = Buffer.from(JSON.stringify(['not-a-number', 'x'])).toString('base64url');
    const bad: Array<[string, number, string]> = [
      ['?limit=0', 400, 'VALIDATION_FAILED'],
      ['?limit=101', 400, 'VALIDATION_FAILED'],
      ['?limit=ten', 400, 'VALIDATION_FAILED'],
      ['?period=2026-13', 400, 'PERIOD_INVALID'],
      ['?state=done', 400, 'VALIDATION_FAILED'],
      ['?cursor=not%20a%20cursor', 400, 'VALIDATION_FAILED'],
      [`?cursor=${foreign}`, 400, 'VALIDATION_FAILED'],
      ['?ledger=LF-1', 400, 'VALIDATION_FAILED'],
    ];
    for (const [query, status, code] of bad) expectError(await h.as('fm').get(`/api/v1/month-ends${query}`), status, code);
    expectError(await h.as(null).get('/api/v1/month-ends'), 401, 'UNAUTHENTICATED');
    expect(await fingerprint(h.ds)).toEqual(before);
  });
});
