import { Client } from 'pg';
import { standInAdmin } from '../../simulators/common/admin-client';
import type { TaxPlatformStatsSnapshot } from '../../simulators/tax-platform/state';
import { one, rows } from '../../db/sql';
import { resumeSignal } from '../../workflows/close/messages';
import { addInvoice, addTransfer, createLedger } from '../fixtures/books';
import { TEST_TAX_KEY } from '../helpers/temporal';
import { createHttpTaxPlatformClient } from '../../integrations/tax-platform';
import { LOCAL_FIRST_ATTEMPTS } from '../../workflows/close/step-activities';
import { useCloseStack, closeRun, historyCost, startClose, waitForState, waitUntil } from './close-harness';
import { createLogger } from '../../lib/logger';
import { waitUntilWaitingOnLock } from '../helpers/database';

const SELLER = '91310000MA1FL0TAX1';

describe('a close that talks to the bank and the tax platform', () => {
  const t = useCloseStack([['manager', 'finance_manager']]);

  it('when a transfer is in transit, then the close waits; once the bank settles it, it is posted exactly once and the period closes', async () => {
    const ds = t.db.dataSource;
    const l = await createLedger(ds, { code: 'BANK', firstPeriod: '2026-09', openingBalances: { '102': 5_000_00, '301': -5_000_00 } });
    await addTransfer(ds, {
      ledgerId: l.id,
      period: '2026-09',
      reference: 'TR-BANK-1',
      amount: 800_00,
      debitAccount: '101',
      creditAccount: '102',
      state: 'in_transit',
    });
    await addTransfer(ds, {
      ledgerId: l.id,
      period: '2026-09',
      reference: 'TR-BANK-2',
      amount: 50_00,
      debitAccount: '101',
      creditAccount: '102',
      state: 'in_transit',
    });
    const bank = standInAdmin(t.stack.bankUrl);
    await bank.request('PUT', '/transfers', {
      transfers: [
        { reference: 'TR-BANK-1', state: 'in_transit' },
        { reference: 'TR-BANK-2', state: 'returned', reason: '账户已销户 account closed' },
      ],
    });

    const { handle } = await startClose(t.stack, 'BANK', '2026-09');
    const waiting = await waitForState(handle, ['blocked', 'closed', 'failed']);
    expect(waiting.currentStep).toBe('fund_transfers');
    expect(waiting.blockers.map((b) => b.code).sort()).toEqual(['TRANSFER_FAILED', 'TRANSFER_IN_TRANSIT']);
    expect(waiting.blockers.find((b) => b.code === 'TRANSFER_FAILED')!.items).toEqual([
      expect.objectContaining({ reference: 'TR-BANK-2', bankState: 'returned', bankReason: '账户已销户 account closed', amount: '50.00' }),
    ]);

    await bank.request('PUT', '/transfers', {
      transfers: [
        { reference: 'TR-BANK-1', state: 'settled' },
        { reference: 'TR-BANK-2', state: 'settled' },
      ],
    });
    await handle.signal(resumeSignal, { by: 'ops' });
    await handle.signal(resumeSignal, { by: 'ops' });
    expect((await waitForState(handle, ['closed', 'failed'])).state).toBe('closed');
    const postings = await rows<{ reference: string; n: number }>(
      ds,
      `SELECT t.reference, count(v.id)::int AS n FROM fund_transfer t JOIN voucher v ON v.source_type = 'transfer' AND v.source_id = t.id
       WHERE t.ledger_id = $1 GROUP BY t.reference ORDER BY 1`,
      [l.id],
    );
    expect(postings).toEqual([
      { reference: 'TR-BANK-1', n: 1 },
      { reference: 'TR-BANK-2', n: 1 },
    ]);
    const cash = await one<{ closing: string }>(ds, `SELECT closing FROM balance WHERE ledger_id = $1 AND period = '2026-09' AND account_code = '101'`, [l.id]);
    expect(cash!.closing).toBe(String(850_00));
  });

  it('when a writer outside the product numbers a voucher at the moment the close posts a settled transfer, then the close tries again and closes', async () => {
    const ds = t.db.dataSource;
    const l = await createLedger(ds, { code: 'RACE-NO', firstPeriod: '2026-09', openingBalances: { '102': 5_000_00, '301': -5_000_00 } });
    await addTransfer(ds, {
      ledgerId: l.id,
      period: '2026-09',
      reference: 'TR-RACE-1',
      amount: 300_00,
      debitAccount: '101',
      creditAccount: '102',
      state: 'in_transit',
    });
    const bank = standInAdmin(t.stack.bankUrl);
    await bank.request('PUT', '/transfers', { transfers: [{ reference: 'TR-RACE-1', state: 'in_transit' }] });
    const { closeId, handle } = await startClose(t.stack, 'RACE-NO', '2026-09');
    expect((await waitForState(handle, ['blocked', 'closed', 'failed'])).blockers.map((b) => b.code)).toEqual(['TRANSFER_IN_TRANSIT']);

    // While the close waits, a writer numbers its voucher max(number) + 1 = 1 without the product's
    // numbering lock and holds its transaction open; the bank settles the transfer and the close re-checks.
    const writer = new Client({ connectionString: t.db.url });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(
        `WITH v AS (INSERT INTO voucher (ledger_id, period, number, voucher_date, preparer, approver, state, approved_at, posted_at)
                    VALUES ($1, '2026-09', 1, '2026-09-28', 'outside', 'outside-approver', 'posted', now(), now()) RETURNING id)
         INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit)
         SELECT v.id, $1, '2026-09', s.n, s.a, s.d, s.c FROM v, (VALUES (1, '501', 25_00::bigint, 0::bigint), (2, '505', 0::bigint, 25_00::bigint)) AS s(n, a, d, c)`,
        [l.id],
      );
      await bank.request('PUT', '/transfers', { transfers: [{ reference: 'TR-RACE-1', state: 'settled' }] });
      await handle.signal(resumeSignal, { by: 'ops' });
      // The close's posting waits on the writer's uncommitted number 1; the writer then commits first.
      await waitUntilWaitingOnLock(ds, 'INSERT INTO voucher');
      await writer.query('COMMIT');
    } finally {
      await writer.end();
    }

    expect((await waitForState(handle, ['closed', 'failed'])).state).toBe('closed');
    const numbers = await rows<{ number: number; source_type: string | null }>(
      ds,
      `SELECT number, source_type FROM voucher WHERE ledger_id = $1 AND period = '2026-09' AND source_type IS DISTINCT FROM 'carry_forward' ORDER BY number`,
      [l.id],
    );
    expect(numbers).toEqual([
      { number: 1, source_type: null },
      { number: 2, source_type: 'transfer' },
    ]);
    const run = await closeRun(ds, closeId);
    expect(run.errors.map((e) => e.code)).toContain('DATABASE_CONFLICT');
  });

  it('when invoices differ from the platform, then every mismatch is a blocker with both values, and fixing the ledger lets the close finish', async () => {
    const ds = t.db.dataSource;
    const l = await createLedger(ds, { code: 'INV', firstPeriod: '2026-09', taxpayerId: SELLER, openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    const base = { ledgerId: l.id, period: '2026-09', sellerTaxId: SELLER, buyerTaxId: '91110000MA00BUYER1', tax: 13_00, date: '2026-09-10' };
    const good = await addInvoice(ds, { ...base, number: 'INV-0001', buyerName: '北京某某科技有限公司', amount: 100_00 });
    const wrong = await addInvoice(ds, { ...base, number: 'INV-0002', buyerName: '上海某某贸易有限公司', amount: 200_00 });
    const platform = standInAdmin(t.stack.taxPlatformUrl);
    await platform.request('POST', '/invoices', {
      invoices: [
        { number: 'INV-0002', sellerTaxId: SELLER, buyerName: '上海某某贸易公司', buyerTaxId: base.buyerTaxId, amount: 200_00, tax: 13_00, date: '2026-09-10' },
        { number: 'INV-0003', sellerTaxId: SELLER, buyerName: '广州某某有限公司', buyerTaxId: base.buyerTaxId, amount: 300_00, tax: 39_00, date: '2026-09-12' },
      ],
    });

    const { closeId, handle } = await startClose(t.stack, 'INV', '2026-09');
    const waiting = await waitForState(handle, ['blocked', 'closed', 'failed']);
    expect(waiting.currentStep).toBe('invoice_sync');
    const byCode = Object.fromEntries(waiting.blockers.map((b) => [b.code, b]));
    expect(byCode.INVOICE_FIELD_MISMATCH.items).toEqual([
      { invoiceId: wrong.id, number: 'INV-0002', field: 'buyerName', ledger: '上海某某贸易有限公司', platform: '上海某某贸易公司' },
    ]);
    expect(byCode.INVOICE_MISSING_IN_LEDGER.items).toEqual([expect.objectContaining({ number: 'INV-0003', amount: '300.00', tax: '39.00' })]);
    const report = await one<{ matched: number; mismatches: unknown[]; reconciled_by: string }>(
      ds,
      `SELECT matched, mismatches, reconciled_by FROM invoice_sync_report WHERE close_id = $1`,
      [closeId],
    );
    expect(report).toMatchObject({ matched: 1, reconciled_by: 'listing' });

    expect((await platform.stats<TaxPlatformStatsSnapshot>()).pagesListed).toBeGreaterThan(0);

    await ds.query(`UPDATE invoice SET buyer_name = '上海某某贸易公司' WHERE id = $1`, [wrong.id]);
    await addInvoice(ds, { ...base, number: 'INV-0003', buyerName: '广州某某有限公司', amount: 300_00, tax: 39_00, date: '2026-09-12' });
    await handle.signal(resumeSignal, { by: 'ops' });
    expect((await waitForState(handle, ['closed', 'failed'])).state).toBe('closed');
    // Once both sides hold the same invoices (Chinese names included), their digests agree: nothing is listed.
    expect((await platform.stats<TaxPlatformStatsSnapshot>()).summaries).toBeGreaterThan(0);
    const final = await one<{ matched: number; mismatches: unknown[]; reconciled_by: string }>(
      ds,
      `SELECT matched, mismatches, reconciled_by FROM invoice_sync_report WHERE close_id = $1`,
      [closeId],
    );
    expect(final).toEqual({ matched: 3, mismatches: [], reconciled_by: 'digest' });
    const states = await rows(ds, `SELECT number, sync_state FROM invoice WHERE ledger_id = $1 ORDER BY number`, [l.id]);
    expect(states).toEqual([
      { number: 'INV-0001', sync_state: 'matched' },
      { number: 'INV-0002', sync_state: 'matched' },
      { number: 'INV-0003', sync_state: 'matched' },
    ]);
    expect(good.id).toBeDefined();
  });

  it('when the platform is down, then the close waits showing why, and finishes by itself when it returns', async () => {
    const ds = t.db.dataSource;
    const l = await createLedger(ds, { code: 'OUTAGE', firstPeriod: '2026-09', taxpayerId: SELLER.replace('TAX1', 'TAX2'), openingBalances: {} });
    await addInvoice(ds, {
      ledgerId: l.id,
      period: '2026-09',
      number: 'OUT-1',
      sellerTaxId: SELLER.replace('TAX1', 'TAX2'),
      buyerName: '某单位',
      buyerTaxId: '91110000MA00BUYER1',
      amount: 10_00,
      tax: 1_30,
      date: '2026-09-01',
    });
    const platform = standInAdmin(t.stack.taxPlatformUrl);
    await platform.setFaults({ outageMs: 4_000 });
    const { closeId, handle } = await startClose(t.stack, 'OUTAGE', '2026-09');
    const failing = await waitUntil(
      async () => {
        const run = await closeRun(ds, closeId);
        return run?.steps.find((s) => s.name === 'invoice_sync')?.lastError ? run : undefined;
      },
      20_000,
      'the outage recorded on the step',
    );
    expect(failing.steps.find((s) => s.name === 'invoice_sync')!.lastError).toMatchObject({ code: 'TAX_PLATFORM_UNAVAILABLE' });
    const closed = await waitForState(handle, ['closed', 'failed'], 60_000);
    expect(closed.state).toBe('closed');
    // Its few local attempts spent, the step went on as an ordinary activity, retried by the server, its attempts counted on.
    expect((await historyCost(handle)).serverActivities).toEqual(['invoiceSync', 'lock']);
    expect(closed.steps.find((s) => s.name === 'invoice_sync')!.attempts).toBeGreaterThan(LOCAL_FIRST_ATTEMPTS);
  });

  it('when the worker dies in the middle of the upload, then the next one re-sends only the batch the platform never confirmed to it', async () => {
    const ds = t.db.dataSource;
    const seller = '91310000MA1FL0TAX3';
    const l = await createLedger(ds, { code: 'RESUME', firstPeriod: '2026-09', taxpayerId: seller, openingBalances: {} });
    await ds.query(
      `INSERT INTO invoice (ledger_id, period, number, buyer_name, buyer_tax_id, seller_tax_id, amount, tax, invoice_date)
       SELECT $1, '2026-09', 'RS-' || lpad(i::text, 6, '0'), '买方' || i, '91110000MA00BUYER1', $2, 1000 + i, 130, '2026-09-15' FROM generate_series(1, 3500) i`,
      [l.id, seller],
    );
    const platform = standInAdmin(t.stack.taxPlatformUrl);
    await platform.reset();
    await t.stack.worker.stop();
    let batches = 0;
    const client = createHttpTaxPlatformClient({ baseUrl: t.stack.taxPlatformUrl, logger: createLogger('silent'), apiKey: TEST_TAX_KEY, timeoutMs: 2_000 });
    const dying = await t.stack.startWorker({
      taxPlatform: {
        listInvoices: (seller, period) => client.listInvoices(seller, period),
        uploadBatch: async (key, invoices) => {
          const result = await client.uploadBatch(key, invoices);
          if (++batches === 2) await new Promise<never>(() => undefined); // confirmed by the platform, never recorded here
          return result;
        },
      },
    });
    const { handle } = await startClose(t.stack, 'RESUME', '2026-09');
    await waitUntil(async () => batches >= 2, 30_000, 'two batches uploaded');
    await dying.stop();
    t.stack.worker = await t.stack.startWorker();
    const ended = await waitForState(handle, ['closed', 'failed', 'blocked'], 60_000);
    expect({ state: ended.state, blockers: ended.blockers }).toEqual({ state: 'closed', blockers: [] });
    const stats = await platform.stats<TaxPlatformStatsSnapshot>();
    expect(stats.invoicesStored).toBe(3500);
    expect(stats.batchesStored).toBe(4);
    expect(stats.duplicateBatchReplays).toBeLessThanOrEqual(1);
  });
});
