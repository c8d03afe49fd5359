import { standInAdmin } from '../../simulators/common/admin-client';
import type { TaxPlatformStatsSnapshot } from '../../simulators/tax-platform/state';
import { one, rows } from '../../db/sql';
import { addInvoice, createLedger } from '../fixtures/books';
import { expectError, startApiHarness, waitFor, waitForClose, type ApiHarness } from './harness';

const SELLER = '91310000MA1FLSYNC1';
const PERIOD = '2026-09';

describe('invoice sync ahead of the close (POST/GET /ledgers/{ledger}/periods/{period}/invoice-sync)', () => {
  let h: ApiHarness;
  // POST waits two seconds for a sync before answering 202 (15 in production).
  beforeAll(async () => {
    h = await startApiHarness({ invoiceSyncAnswerMs: 2_000 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('uploads what the platform lacks, reports differences as the close would, and once fixed the close confirms by digest without uploading', async () => {
    const l = await createLedger(h.ds, { code: 'SYNC', firstPeriod: PERIOD, taxpayerId: SELLER, openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    const base = { ledgerId: l.id, period: PERIOD, sellerTaxId: SELLER, buyerTaxId: '91110000MA00BUYER1', tax: 13_00 };
    await addInvoice(h.ds, { ...base, number: 'SY-0001', buyerName: '北京某某科技有限公司', amount: 100_00, date: '2026-09-03' });
    const wrong = await addInvoice(h.ds, { ...base, number: 'SY-0002', buyerName: '上海某某贸易有限公司', amount: 200_00, date: '2026-09-04' });
    const platform = standInAdmin(h.stack.taxPlatformUrl);
    // The platform already holds SY-0002 under another buyer name (抬头).
    await platform.request('POST', '/invoices', {
      invoices: [
        { number: 'SY-0002', sellerTaxId: SELLER, buyerName: '上海某某贸易公司', buyerTaxId: base.buyerTaxId, amount: 200_00, tax: 13_00, date: '2026-09-04' },
      ],
    });

    const first = await h.as('fm').post(`/api/v1/ledgers/SYNC/periods/${PERIOD}/invoice-sync`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      state: 'done',
      workflowId: `invoice-sync:SYNC:${PERIOD}`,
      ledger: 'SYNC',
      period: PERIOD,
      requestedBy: 'fm',
      uploaded: 2,
      matched: 1,
      platform: 2,
      reconciledBy: 'listing',
    });
    expect(first.body.differences).toEqual([
      expect.objectContaining({
        code: 'INVOICE_FIELD_MISMATCH',
        step: 'invoice_sync',
        owner: 'accountant',
        total: 1,
        items: [{ invoiceId: wrong.id, number: 'SY-0002', field: 'buyerName', ledger: '上海某某贸易有限公司', platform: '上海某某贸易公司' }],
      }),
    ]);
    expect(await rows(h.ds, `SELECT number, sync_state FROM invoice WHERE ledger_id = $1 ORDER BY number`, [l.id])).toEqual([
      { number: 'SY-0001', sync_state: 'matched' },
      { number: 'SY-0002', sync_state: 'mismatched' },
    ]);
    const audited = await one<{ actor: string; details: Record<string, unknown> }>(
      h.ds,
      `SELECT actor, details FROM audit_log WHERE action = 'invoices.synced' AND ledger_id = $1 ORDER BY id DESC LIMIT 1`,
      [l.id],
    );
    expect(audited).toMatchObject({ actor: 'fm', details: { uploaded: 2, matched: 1, reconciledBy: 'listing' } });

    const latest = await h.as('auditor').get(`/api/v1/ledgers/SYNC/periods/${PERIOD}/invoice-sync`);
    expect(latest.status).toBe(200);
    expect(latest.body).toEqual(first.body);

    // The accountant corrects the ledger; the next sync agrees by digest, listing nothing.
    await h.ds.query(`UPDATE invoice SET buyer_name = '上海某某贸易公司' WHERE id = $1`, [wrong.id]);
    const listedBefore = (await platform.stats<TaxPlatformStatsSnapshot>()).pagesListed;
    const second = await h.as('sched').post(`/api/v1/ledgers/SYNC/periods/${PERIOD}/invoice-sync`);
    expect(second.body).toMatchObject({ state: 'done', uploaded: 0, matched: 2, reconciledBy: 'digest', differences: [], requestedBy: 'sched' });
    expect((await platform.stats<TaxPlatformStatsSnapshot>()).pagesListed).toBe(listedBefore);

    // The ledger's digest is stored with the version of the invoices it was computed at; the close reuses it.
    const stored = await one<{ current: boolean }>(
      h.ds,
      `SELECT digest_version = version AS current FROM invoice_digest WHERE ledger_id = $1 AND period = $2`,
      [l.id, PERIOD],
    );
    expect(stored).toEqual({ current: true });

    // The close finds nothing to upload and confirms by digest.
    const started = await h.as('fm').post('/api/v1/closes', { ledger: 'SYNC', period: PERIOD });
    expect((await waitForClose(h, started.body.id, ['closed', 'blocked', 'failed'])).state).toBe('closed');
    expect(await one(h.ds, `SELECT uploaded, matched, reconciled_by FROM invoice_sync_report WHERE close_id = $1`, [started.body.id])).toEqual({
      uploaded: 0,
      matched: 2,
      reconciled_by: 'digest',
    });

    // A closed period's invoices no longer change.
    expectError(await h.as('fm').post(`/api/v1/ledgers/SYNC/periods/${PERIOD}/invoice-sync`), 409, 'PERIOD_ALREADY_CLOSED');
  });

  it('refuses what it cannot do, with a code, and starts nothing', async () => {
    await createLedger(h.ds, { code: 'SYNC-NO', firstPeriod: PERIOD, openingBalances: {} });
    expectError(await h.as('fm').post(`/api/v1/ledgers/NOPE/periods/${PERIOD}/invoice-sync`), 404, 'LEDGER_NOT_FOUND');
    expectError(await h.as('fm').post('/api/v1/ledgers/SYNC-NO/periods/2026-13/invoice-sync'), 400, 'PERIOD_INVALID');
    expectError(await h.as('fm').post('/api/v1/ledgers/SYNC-NO/periods/2027-01/invoice-sync'), 404, 'PERIOD_NOT_FOUND');
    expectError(await h.as('clerk').post(`/api/v1/ledgers/SYNC-NO/periods/${PERIOD}/invoice-sync`), 403, 'PERMISSION_DENIED');
    expectError(await h.as(null).post(`/api/v1/ledgers/SYNC-NO/periods/${PERIOD}/invoice-sync`), 401, 'UNAUTHENTICATED');
    expectError(await h.as('fm').get(`/api/v1/ledgers/SYNC-NO/periods/${PERIOD}/invoice-sync`), 404, 'INVOICE_SYNC_NOT_FOUND');

    // While a close runs, the close syncs its invoices itself.
    const l = await one<{ id: number }>(h.ds, `SELECT id FROM ledger WHERE code = 'SYNC-NO'`);
    await h.ds.query(`UPDATE period SET state = 'closing' WHERE ledger_id = $1 AND period = $2`, [l!.id, PERIOD]);
    expectError(await h.as('fm').post(`/api/v1/ledgers/SYNC-NO/periods/${PERIOD}/invoice-sync`), 409, 'CLOSE_RUNNING_SYNCS_INVOICES');
    expectError(await h.as('fm').get(`/api/v1/ledgers/SYNC-NO/periods/${PERIOD}/invoice-sync`), 404, 'INVOICE_SYNC_NOT_FOUND');
  });

  it('answers 202 while a slow platform keeps the sync running, joins the running sync when asked again, and GET shows it done later', async () => {
    const l = await createLedger(h.ds, { code: 'SYNC-SLOW', firstPeriod: PERIOD, taxpayerId: '91310000MA1FLSYNC2', openingBalances: {} });
    await addInvoice(h.ds, { ledgerId: l.id, period: PERIOD, number: 'SL-0001', sellerTaxId: '91310000MA1FLSYNC2', amount: 10_00, date: '2026-09-02' });
    const platform = standInAdmin(h.stack.taxPlatformUrl);
    await platform.setFaults({ slowMs: 3_000 });
    try {
      const first = await h.as('fm').post(`/api/v1/ledgers/SYNC-SLOW/periods/${PERIOD}/invoice-sync`);
      expect(first.status).toBe(202);
      expect(first.body).toEqual({ state: 'running', workflowId: `invoice-sync:SYNC-SLOW:${PERIOD}`, ledger: 'SYNC-SLOW', period: PERIOD });
      expect((await h.as('auditor').get(`/api/v1/ledgers/SYNC-SLOW/periods/${PERIOD}/invoice-sync`)).body.state).toBe('running');
      const joined = await h.as('sched').post(`/api/v1/ledgers/SYNC-SLOW/periods/${PERIOD}/invoice-sync`);
      expect([202, 200]).toContain(joined.status);
      expect(joined.body.workflowId).toBe(first.body.workflowId);
    } finally {
      await platform.setFaults({});
    }
    const done = await waitFor(
      async () => {
        const res = await h.as('auditor').get(`/api/v1/ledgers/SYNC-SLOW/periods/${PERIOD}/invoice-sync`);
        return res.body.state === 'done' ? res.body : undefined;
      },
      'the sync done',
      30_000,
    );
    // Asked twice while it ran, it ran once, for the first who asked.
    expect(done).toMatchObject({ uploaded: 1, matched: 1, requestedBy: 'fm', differences: [] });
  });
});
