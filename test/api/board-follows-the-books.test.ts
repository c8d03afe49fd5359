import { addSubledgerEntry, createLedger } from '../fixtures/books';
import { startApiHarness, type ApiHarness } from './harness';

/**
 * The federation board reads the trial balance and the reconciliation from rows the database keeps
 * as the books change (migration PeriodDifferences): each act shows on the board at once, through
 * the API, with the same JSON the board always answered — counts by code and by owner, states.
 */
const period = '2026-10';

describe('the federation board follows the books', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApiHarness();
    await createLedger(h.ds, { code: 'BF-FED', firstPeriod: period });
    await createLedger(h.ds, { code: 'BF-A', parentCode: 'BF-FED', firstPeriod: period });
    await createLedger(h.ds, { code: 'BF-B', parentCode: 'BF-FED', firstPeriod: period });
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });

  const board = async (query = '') => {
    const res = await h.as('fm').get(`/api/v1/readiness?parent=BF-FED&period=${period}${query}`);
    expect(res.status).toBe(200);
    return res.body as {
      items: Array<{ ledger: string; name: string; state: string; ready: boolean; counts: Record<string, number> }>;
      totals: { ledgers: number; ready: number; byState: Record<string, number>; byCode: Record<string, number>; byOwner: Record<string, number> };
      next: string | null;
    };
  };
  const countsOf = async (ledger: string) => (await board()).items.find((i) => i.ledger === ledger)!.counts;

  it('when a receivable is prepared, submitted, approved and posted, and its sub-ledger entry then booked, then the board shows each step at once', async () => {
    expect((await board()).totals).toEqual({ ledgers: 2, ready: 2, byState: { open: 2 }, byCode: {}, byOwner: {} });

    // Prepared through the API: a draft, and a control account (112, receivables) its sub-ledger does not match.
    const made = await h.as('clerk').post(`/api/v1/ledgers/BF-A/periods/${period}/vouchers`, {
      description: '应收 区总工会补助',
      lines: [
        { account: '112', debit: '800.00', memo: '区总工会' },
        { account: '401', credit: '800.00' },
      ],
    });
    expect(made.status).toBe(201);
    const drafted = await board();
    expect(drafted).toEqual({
      parent: 'BF-FED',
      period,
      items: [
        { ledger: 'BF-A', name: 'BF-A 工会委员会', state: 'open', ready: false, counts: { VOUCHER_DRAFT: 1, SUBLEDGER_UNRECONCILED: 1 } },
        { ledger: 'BF-B', name: 'BF-B 工会委员会', state: 'open', ready: true, counts: {} },
      ],
      totals: {
        ledgers: 2,
        ready: 1,
        byState: { open: 2 },
        byCode: { VOUCHER_DRAFT: 1, SUBLEDGER_UNRECONCILED: 1 },
        byOwner: { accountant: 2 },
      },
      next: null,
    });
    expect((await board('&code=SUBLEDGER_UNRECONCILED')).items.map((i) => i.ledger)).toEqual(['BF-A']);
    expect((await board('&ready=true')).items.map((i) => i.ledger)).toEqual(['BF-B']);

    expect((await h.as('clerk').post(`/api/v1/vouchers/${made.body.id}/submit`, {})).status).toBe(200);
    expect(await countsOf('BF-A')).toEqual({ VOUCHER_SUBMITTED: 1, SUBLEDGER_UNRECONCILED: 1 });
    expect((await h.as('fm').post(`/api/v1/vouchers/${made.body.id}/approve`, {})).status).toBe(200);
    expect(await countsOf('BF-A')).toEqual({ VOUCHER_NOT_POSTED: 1, SUBLEDGER_UNRECONCILED: 1 });
    expect((await h.as('fm').post(`/api/v1/vouchers/${made.body.id}/post`, {})).status).toBe(200);
    expect(await countsOf('BF-A')).toEqual({ SUBLEDGER_UNRECONCILED: 1 });

    // Half of it in the sub-ledger: still a difference; all of it: reconciled, and the ledger is ready.
    await addSubledgerEntry(h.ds, { ledgerId: await idOf('BF-A'), period, subledger: 'receivables', amount: 300_00, counterparty: '区总工会' });
    expect(await countsOf('BF-A')).toEqual({ SUBLEDGER_UNRECONCILED: 1 });
    await addSubledgerEntry(h.ds, { ledgerId: await idOf('BF-A'), period, subledger: 'receivables', amount: 500_00, counterparty: '区总工会' });
    expect(await board()).toMatchObject({ totals: { ledgers: 2, ready: 2, byCode: {}, byOwner: {} } });

    // An entry with no voucher on the other ledger, on two sub-ledgers: two control accounts differ.
    const b = await idOf('BF-B');
    await addSubledgerEntry(h.ds, { ledgerId: b, period, subledger: 'payables', amount: -120_00 });
    await addSubledgerEntry(h.ds, { ledgerId: b, period, subledger: 'reimbursements', amount: -30_00 });
    expect(await countsOf('BF-B')).toEqual({ SUBLEDGER_UNRECONCILED: 2 });
    expect((await board()).totals).toMatchObject({ ready: 1, byCode: { SUBLEDGER_UNRECONCILED: 2 }, byOwner: { accountant: 2 } });

    // The chart: payables no longer have a control account on BF-B; then again, on 201.
    await h.ds.query(`UPDATE account SET control_of = NULL WHERE ledger_id = $1 AND code = '201'`, [b]);
    expect(await countsOf('BF-B')).toEqual({ SUBLEDGER_UNRECONCILED: 1 });
    await h.ds.query(`UPDATE account SET control_of = 'payables' WHERE ledger_id = $1 AND code = '201'`, [b]);
    expect(await countsOf('BF-B')).toEqual({ SUBLEDGER_UNRECONCILED: 2 });

    // Its entries corrected away: ready again.
    await h.ds.query(`DELETE FROM subledger_entry WHERE ledger_id = $1`, [b]);
    expect((await board()).totals).toEqual({ ledgers: 2, ready: 2, byState: { open: 2 }, byCode: {}, byOwner: {} });
  });

  async function idOf(code: string): Promise<number> {
    const [l] = (await h.ds.query(`SELECT id FROM ledger WHERE code = $1`, [code])) as Array<{ id: number }>;
    return l!.id;
  }
});
