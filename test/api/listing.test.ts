import { randomUUID } from 'node:crypto';
import { addVoucher, createLedger, ensurePeriod, recomputeTrialBalance } from '../fixtures/books';
import { formatMinor } from '../../lib/money';
import { startApiHarness, type ApiHarness, type Client } from './harness';

/** Walks every page of a listing, `limit` at a time. */
async function allPages(client: Client, path: string, limit: number): Promise<{ pages: number; items: Array<Record<string, any>> }> {
  const items: Array<Record<string, any>> = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await client.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.next;
    pages++;
  } while (cursor);
  return { pages, items };
}

describe('listings: closes, ledgers, periods, trial balances and the audit log', () => {
  let h: ApiHarness;
  const ledgerIds: Record<string, number> = {};
  const runs: Array<{ id: string; ledger: string; period: string; state: string; ageMinutes: number }> = [];

  beforeAll(async () => {
    h = await startApiHarness();
    ledgerIds.FED = (await createLedger(h.ds, { code: 'FED', firstPeriod: '2026-01' })).id;
    for (const code of ['U-A', 'U-B', 'U-C']) {
      ledgerIds[code] = (await createLedger(h.ds, { code, parentCode: 'FED', firstPeriod: '2026-08', openingBalances: { '102': 300_00, '301': -300_00 } })).id;
      await ensurePeriod(h.ds, ledgerIds[code], '2026-09');
    }
    // Runs as the activities leave them, started minutes apart: some over, one blocked and one running without progress.
    const plan: Array<[string, string, string, number]> = [
      ['U-A', '2026-08', 'closed', 50],
      ['U-B', '2026-08', 'failed', 40],
      ['U-B', '2026-08', 'cancelled', 30],
      ['U-C', '2026-08', 'blocked', 20],
      ['U-A', '2026-09', 'running', 10],
      ['U-B', '2026-09', 'running', 1],
    ];
    for (const [ledger, period, state, ageMinutes] of plan) {
      const id = randomUUID();
      await h.ds.query(
        `INSERT INTO close_run (id, workflow_id, ledger_id, period, initiated_by, state, started_at, updated_at)
         VALUES ($1, $2, $3, $4, 'fm', $5, now() - make_interval(mins => $6), now() - make_interval(mins => $6))`,
        [id, `close:${ledger}:${period}`, ledgerIds[ledger], period, state, ageMinutes],
      );
      runs.push({ id, ledger, period, state, ageMinutes });
    }
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when closes are listed a page at a time, then every close comes once, newest first', async () => {
    const { pages, items } = await allPages(h.as('auditor'), '/api/v1/closes', 4);
    expect(pages).toBe(2);
    expect(items.map((c) => c.id)).toEqual([...runs].sort((a, b) => a.ageMinutes - b.ageMinutes).map((r) => r.id));
    expect(items[0]).toMatchObject({ ledger: 'U-B', period: '2026-09', state: 'running', initiatedBy: 'fm' });
  });

  it('when closes are filtered by state, ledger, period or stall, then only those come', async () => {
    const ids = async (query: string) => (await h.as('ops').get(`/api/v1/closes?${query}`)).body.items.map((c: { id: string }) => c.id);
    const of = (pick: (r: (typeof runs)[number]) => boolean) =>
      runs
        .filter(pick)
        .sort((a, b) => a.ageMinutes - b.ageMinutes)
        .map((r) => r.id);
    expect(await ids('state=running')).toEqual(of((r) => r.state === 'running'));
    expect(await ids('ledger=U-B')).toEqual(of((r) => r.ledger === 'U-B'));
    expect(await ids('ledger=U-B&period=2026-08&state=failed')).toEqual(of((r) => r.ledger === 'U-B' && r.state === 'failed'));
    expect(await ids('stalled=5')).toEqual(of((r) => ['running', 'blocked'].includes(r.state) && r.ageMinutes > 5));
    expect(await ids('stalled=15')).toEqual(of((r) => r.state === 'blocked'));
    expect(await ids('ledger=NOPE')).toEqual([]);
  });

  it('when ledgers are listed, then they come by code with their parent and latest closed period, paged and filterable', async () => {
    await h.ds.query(`UPDATE period SET state = 'closed', closed_by = 'fm', closed_at = now() WHERE ledger_id = $1 AND period = '2026-08'`, [ledgerIds['U-A']]);
    const { pages, items } = await allPages(h.as('clerk'), '/api/v1/ledgers', 2);
    expect(pages).toBe(2);
    expect(items.map((l) => l.code)).toEqual(['FED', 'U-A', 'U-B', 'U-C']);
    expect(items[1]).toEqual({
      code: 'U-A',
      name: 'U-A 工会委员会',
      parent: 'FED',
      currency: 'CNY',
      firstPeriod: '2026-08',
      active: true,
      latestClosedPeriod: '2026-08',
    });
    expect(items[2].latestClosedPeriod).toBeNull();
    const children = (await h.as('clerk').get('/api/v1/ledgers?parent=FED')).body;
    expect(children).toEqual({
      items: [expect.objectContaining({ code: 'U-A' }), expect.objectContaining({ code: 'U-B' }), expect.objectContaining({ code: 'U-C' })],
      next: null,
    });

    const periods = (await h.as('clerk').get('/api/v1/ledgers/U-A/periods')).body;
    const run = (period: string) => runs.find((r) => r.ledger === 'U-A' && r.period === period)!;
    const runOf = (period: string, state: string) => [
      { closeId: run(period).id, state, initiatedBy: 'fm', startedAt: expect.any(String), endedAt: null, counts: false, superseded: false },
    ];
    expect(periods).toEqual({
      ledger: 'U-A',
      name: 'U-A 工会委员会',
      items: [
        { period: '2026-09', state: 'open', closeId: null, frozenAt: null, closedBy: null, closedAt: null, reopenings: [], runs: runOf('2026-09', 'running') },
        // Closed here without a close (closeId null): the run of that period is not the one that counts.
        {
          period: '2026-08',
          state: 'closed',
          closeId: null,
          frozenAt: null,
          closedBy: 'fm',
          closedAt: expect.any(String),
          reopenings: [],
          runs: runOf('2026-08', 'closed'),
        },
      ],
    });
  });

  it("when an open period's trial balance is asked, then it is computed from the openings and the posted vouchers only", async () => {
    const id = ledgerIds['U-C'];
    await addVoucher(h.ds, {
      ledgerId: id,
      period: '2026-08',
      lines: [
        { account: '102', debit: 1_234_56 },
        { account: '402', credit: 1_234_56 },
      ],
    });
    await addVoucher(h.ds, {
      ledgerId: id,
      period: '2026-08',
      lines: [
        { account: '504', debit: 99_01 },
        { account: '102', credit: 99_01 },
      ],
    });
    await addVoucher(h.ds, {
      ledgerId: id,
      period: '2026-08',
      state: 'submitted',
      lines: [
        { account: '504', debit: 7_00 },
        { account: '102', credit: 7_00 },
      ],
    });
    const tb = (await h.as('clerk').get('/api/v1/ledgers/U-C/periods/2026-08/trial-balance')).body;
    expect(tb).toMatchObject({ ledger: 'U-C', period: '2026-08', periodState: 'open', source: 'computed' });
    const expected = await recomputeTrialBalance(h.ds, id, '2026-08');
    expect(Object.fromEntries(tb.accounts.map((a: Record<string, string>) => [a.account, [a.opening, a.debit, a.credit, a.closing]]))).toEqual(
      Object.fromEntries(Object.entries(expected).map(([code, e]) => [code, [e.opening, e.debit, e.credit, e.closing].map((v) => formatMinor(v))])),
    );
    expect(tb.accounts.find((a: { account: string }) => a.account === '102')).toEqual({
      account: '102',
      name: '银行存款',
      opening: '300.00',
      debit: '1234.56',
      credit: '99.01',
      closing: '1435.55',
    });
    expect(tb.totals).toEqual({ opening: '0.00', debit: '1333.57', credit: '1333.57', closing: '0.00' });
  });

  it('when the audit log is read a page at a time, then every entry comes once, newest first, and filters by ledger and period', async () => {
    const all = await allPages(h.as('auditor'), '/api/v1/audit', 5);
    const ids = all.items.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.items.length).toBeGreaterThan(5);
    const ofLedger = (await h.as('auditor').get('/api/v1/audit?ledger=U-A&period=2026-08')).body.items;
    expect(ofLedger.length).toBeGreaterThan(0);
    for (const e of ofLedger) expect(e).toMatchObject({ ledger: 'U-A', period: '2026-08', actor: expect.any(String), at: expect.any(String) });
    expect(ofLedger[0]).toMatchObject({ action: 'period.closed' });
  });
});
