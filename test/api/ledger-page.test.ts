import type { Response } from 'supertest';
import { addVoucher, createLedger } from '../fixtures/books';
import { expectError, fingerprint, startApiHarness, waitFor, waitForClose, type ApiHarness } from './harness';

/**
 * A ledger's page (#16): GET /ledgers/{ledger}/periods tells for each period who closed it, who
 * reopened it, when and why, and which of its runs counts — over the real API, worker and database.
 */
const PERIOD = '2026-09';
const PERIODS = '/api/v1/ledgers/PAGE-1/periods';
const REASON = '补记一笔会费 a late receipt';
const line = (account: string, debit: number, credit: number) => ({ account, debit, credit });

/** An answer with the ledger's code blanked, so a real ledger's refusal and an unknown one's compare. */
const refusal = (res: Response, code: string) => ({
  status: res.status,
  body: JSON.parse(JSON.stringify(res.body).replaceAll(code, '<ledger>')),
});

describe("a ledger's periods: who closed and reopened each, when and why, and the run that counts", () => {
  let h: ApiHarness;
  let firstCloseId: string;
  let countingCloseId: string;

  beforeAll(async () => {
    h = await startApiHarness();
    await createLedger(h.ds, { code: 'FED-P', name: '某某市总工会', firstPeriod: PERIOD });
    const ledger = await createLedger(h.ds, {
      code: 'PAGE-1',
      name: '某某区总工会',
      parentCode: 'FED-P',
      firstPeriod: PERIOD,
      openingBalances: { '102': 1_234_567_89, '301': -1_234_567_89 },
    });
    await createLedger(h.ds, { code: 'PAGE-2', parentCode: 'FED-P', firstPeriod: PERIOD });
    await addVoucher(h.ds, { ledgerId: ledger.id, period: PERIOD, preparer: 'clerk', lines: [line('102', 18_000_00, 0), line('401', 0, 18_000_00)] });
    await addVoucher(h.ds, { ledgerId: ledger.id, period: PERIOD, preparer: 'clerk', lines: [line('501', 3_385_50, 0), line('102', 0, 3_385_50)] });
    await h.addUser('auditor.fed', 'auditor', 'FED-P');
    await h.addUser('auditor.sibling', 'auditor', 'PAGE-2');
  }, 180_000);

  afterAll(async () => {
    await h?.stop();
  });

  const closeAs = async (who: 'fm' | 'fm2'): Promise<string> => {
    const started = await h.as(who).post('/api/v1/closes', { ledger: 'PAGE-1', period: PERIOD });
    expect(started.status).toBe(202);
    await waitForClose(h, started.body.id, ['closed']);
    // The lock step commits the closed period a moment before its run is marked ended.
    await waitFor(async () => (await h.as('fm').get(`/api/v1/closes/${started.body.id}`)).body.endedAt, 'the run ended', 5_000);
    return started.body.id;
  };
  const periodOf = async (period: string) => {
    const res = await h.as('auditor').get(PERIODS);
    expect(res.status).toBe(200);
    return res.body.items.find((p: { period: string }) => p.period === period);
  };

  it('given a closed period, when it is reopened with a reason, then it reads reopened, who reopened it, when and why, and its run no longer counts', async () => {
    firstCloseId = await closeAs('fm');
    const closed = await periodOf(PERIOD);
    expect(closed).toMatchObject({ state: 'closed', closeId: firstCloseId, closedBy: 'fm', closedAt: expect.any(String), reopenings: [] });
    expect(closed.runs).toEqual([expect.objectContaining({ closeId: firstCloseId, state: 'closed', initiatedBy: 'fm', counts: true, superseded: false })]);

    const before = Date.now();
    expect((await h.as('fm').post(`${PERIODS}/${PERIOD}/reopen`, { reason: REASON })).status).toBe(200);
    const reopened = await periodOf(PERIOD);
    expect(reopened).toEqual({
      period: PERIOD,
      state: 'reopened',
      closeId: null,
      frozenAt: null,
      closedBy: null,
      closedAt: null,
      reopenings: [{ by: 'fm', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), reason: REASON }],
      runs: [
        {
          closeId: firstCloseId,
          state: 'closed',
          initiatedBy: 'fm',
          startedAt: expect.any(String),
          endedAt: expect.any(String),
          counts: false,
          superseded: true,
        },
      ],
    });
    expect(Date.parse(reopened.reopenings[0].at)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(reopened.reopenings[0].at)).toBeGreaterThanOrEqual(Date.parse(reopened.runs[0].endedAt));
  });

  it('given the reopened period, when it is closed again, then exactly one run counts — the new one — and the earlier one is superseded', async () => {
    countingCloseId = await closeAs('fm2');
    const res = await h.as('auditor').get(PERIODS);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ledger: 'PAGE-1', name: '某某区总工会' });
    // The close opened the next period; newest first.
    expect(res.body.items.map((p: { period: string; state: string }) => [p.period, p.state])).toEqual([
      ['2026-10', 'open'],
      [PERIOD, 'closed'],
    ]);
    const p = res.body.items[1];
    expect(p).toMatchObject({ state: 'closed', closeId: countingCloseId, closedBy: 'fm2', reopenings: [{ by: 'fm', reason: REASON }] });
    expect(p.runs).toEqual([
      expect.objectContaining({ closeId: countingCloseId, state: 'closed', initiatedBy: 'fm2', counts: true, superseded: false }),
      expect.objectContaining({ closeId: firstCloseId, state: 'closed', initiatedBy: 'fm', counts: false, superseded: true }),
    ]);
    expect(p.runs.filter((r: { counts: boolean }) => r.counts)).toHaveLength(1);
    // The closes list says the same of each run, so two closed rows of one period are told apart.
    const listed = await h.as('auditor').get(`/api/v1/closes?ledger=PAGE-1&period=${PERIOD}`);
    expect(listed.body.items.map((c: { id: string; state: string; counts: boolean; superseded: boolean }) => [c.id, c.state, c.counts, c.superseded])).toEqual([
      [countingCloseId, 'closed', true, false],
      [firstCloseId, 'closed', false, true],
    ]);
    expect((await h.as('auditor').get(`/api/v1/closes/${firstCloseId}`)).body).toMatchObject({ counts: false, superseded: true });
    // Who reopened it lies between the two closes.
    expect(Date.parse(p.reopenings[0].at)).toBeLessThanOrEqual(Date.parse(p.runs[0].startedAt));
    expect(Date.parse(p.closedAt)).toBeGreaterThanOrEqual(Date.parse(p.reopenings[0].at));

    // The page's trial balance of that period: accounts with their names, yuan to the fen.
    const tb = (await h.as('auditor').get(`${PERIODS}/${PERIOD}/trial-balance`)).body;
    expect(tb).toMatchObject({ ledger: 'PAGE-1', period: PERIOD, periodState: 'closed', source: 'balance' });
    expect(tb.accounts).toContainEqual(expect.objectContaining({ account: '102', name: '银行存款', opening: '1234567.89', closing: '1249182.39' }));
  });

  it('given users scoped to the federation and to a sibling union, when they ask for the periods, then the federation sees them and the sibling gets exactly the 404 of a ledger that does not exist', async () => {
    const inScope = await h.as('auditor.fed').get(PERIODS);
    expect(inScope.status).toBe(200);
    expect(inScope.body.items[1].runs).toHaveLength(2);

    const before = await fingerprint(h.ds);
    const outside = await h.as('auditor.sibling').get(PERIODS);
    expectError(outside, 404, 'LEDGER_NOT_FOUND');
    const missing = await h.as('auditor.sibling').get('/api/v1/ledgers/NO-SUCH/periods');
    expect(refusal(outside, 'PAGE-1')).toEqual(refusal(missing, 'NO-SUCH'));
    expect(refusal(await h.as('auditor.sibling').get(`${PERIODS}/${PERIOD}/trial-balance`), 'PAGE-1')).toEqual(
      refusal(await h.as('auditor.sibling').get(`/api/v1/ledgers/NO-SUCH/periods/${PERIOD}/trial-balance`), 'NO-SUCH'),
    );
    // Even someone with every ledger in scope gets the same for an unknown one.
    expect(refusal(await h.as('auditor').get('/api/v1/ledgers/NO-SUCH/periods'), 'NO-SUCH')).toEqual(refusal(missing, 'NO-SUCH'));
    expect(await fingerprint(h.ds)).toEqual(before);
  });

  it.each([
    ['a code with quotes and a comment', `/api/v1/ledgers/${encodeURIComponent("BAD'--")}/periods`, 400, 'VALIDATION_FAILED'],
    ['a code with a space', `/api/v1/ledgers/${encodeURIComponent('PAGE 1')}/periods`, 400, 'VALIDATION_FAILED'],
    ['a code of 41 characters', `/api/v1/ledgers/${'P'.repeat(41)}/periods`, 400, 'VALIDATION_FAILED'],
    ['a broken percent escape', '/api/v1/ledgers/%E0%A4%A/periods', 400, 'PATH_INVALID'],
    ['a trial balance of month 13', `${PERIODS}/2026-13/trial-balance`, 400, 'PERIOD_INVALID'],
  ])('given %s, when it is asked for, then 4xx with a stable code and nothing is written', async (_what, path, status, code) => {
    const before = await fingerprint(h.ds);
    expectError(await h.as('auditor').get(path), status, code);
    expect(await fingerprint(h.ds)).toEqual(before);
  });
});
