import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { generateFederation } from './generator';
import type { FederationSummary } from './summary';

const PERIOD = '2026-10';

let db: TestDatabase;
let ds: DataSource;
let summary: FederationSummary;

beforeAll(async () => {
  db = await createTestDatabase(4);
  ds = db.dataSource;
  summary = await generateFederation(ds, { ledgers: 4, lines: 400, period: PERIOD, blockers: 0.5, seed: 3 });
});
afterAll(async () => {
  await db.destroy();
});

async function query<T>(sql: string, params: unknown[]): Promise<T[]> {
  return (await ds.query(sql, params)) as T[];
}

describe('generateFederation with blockers', () => {
  it('when half the unions should have blockers, then two of four have them, the first among them, and the others none', () => {
    expect(summary.blockers.map((b) => b.ledgerCode)).toEqual(['U00001', 'U00003']);
    expect(summary.ledgers.map((l) => l.hasBlockers)).toEqual([true, false, true, false]);
  });

  it('when a union has blockers, then it has balanced draft, submitted, rejected and approved-but-unposted vouchers, listed by number', async () => {
    for (const blocked of summary.blockers) {
      const vouchers = await query<{ number: number; state: string; approver: string | null; balanced: boolean }>(
        `SELECT v.number, v.state, v.approver, sum(l.debit) = sum(l.credit) AS balanced FROM voucher v JOIN voucher_line l ON l.voucher_id = v.id
         WHERE v.ledger_id = $1 AND v.state <> 'posted' GROUP BY v.id ORDER BY v.number`,
        [blocked.ledgerId],
      );
      expect(vouchers.map((v) => ({ number: v.number, state: v.state }))).toEqual(blocked.vouchers);
      expect(new Set(vouchers.map((v) => v.state))).toEqual(new Set(['draft', 'submitted', 'rejected', 'approved']));
      expect(vouchers.every((v) => v.balanced && (v.state === 'approved') === (v.approver !== null))).toBe(true);
    }
  });

  it('when a union has blockers, then it has approved (unpaid) and paid (unposted) claims without vouchers', async () => {
    for (const blocked of summary.blockers) {
      const claims = await query<{ number: string; state: string }>(
        `SELECT number, state FROM reimbursement WHERE ledger_id = $1 AND state <> 'posted' AND voucher_id IS NULL ORDER BY number`,
        [blocked.ledgerId],
      );
      expect(claims).toEqual(blocked.reimbursements);
      expect(new Set(claims.map((c) => c.state))).toEqual(new Set(['approved', 'paid']));
    }
  });

  it('when a union has blockers, then its transfers in transit are the ones the bank must settle, fail or return, with reasons for the failures', async () => {
    const inTransit = await query<{ reference: string; amount: string }>(
      `SELECT reference, amount::text FROM fund_transfer WHERE ledger_id = ANY($1) AND state = 'in_transit' ORDER BY reference`,
      [summary.blockers.map((b) => b.ledgerId)],
    );
    expect(inTransit).toEqual(
      summary.bank.transfers.map((t) => ({ reference: t.reference, amount: String(t.amount) })).sort((a, b) => a.reference.localeCompare(b.reference)),
    );
    expect(new Set(summary.bank.transfers.map((t) => t.state))).toEqual(new Set(['settled', 'failed', 'returned']));
    for (const t of summary.bank.transfers) {
      if (t.state === 'settled') expect(t.settledAt).toMatch(/^2026-10-31T/);
      else expect(t.reason).toEqual(expect.any(String));
    }
  });

  it('when a union has blockers, then the platform versions of four of its invoices differ in buyer name, taxpayer id, amount or date, and two invoices exist only on the platform', async () => {
    for (const blocked of summary.blockers) {
      const [ledger] = await query<{ taxpayer_id: string }>(`SELECT taxpayer_id FROM ledger WHERE id = $1`, [blocked.ledgerId]);
      expect(blocked.invoiceMismatches.map((m) => m.field)).toEqual(['buyerName', 'buyerTaxId', 'amount', 'date']);
      for (const mismatch of blocked.invoiceMismatches) {
        const [row] = await query<Record<string, string>>(
          `SELECT buyer_name AS "buyerName", buyer_tax_id AS "buyerTaxId", amount::text AS amount, tax::text AS tax, invoice_date::text AS date, sync_state
           FROM invoice WHERE ledger_id = $1 AND number = $2`,
          [blocked.ledgerId, mismatch.number],
        );
        const platform = blocked.platformInvoices.find((i) => i.number === mismatch.number)!;
        const ours = { buyerName: row!.buyerName, buyerTaxId: row!.buyerTaxId, amount: Number(row!.amount), tax: Number(row!.tax), date: row!.date };
        const theirs = { buyerName: platform.buyerName, buyerTaxId: platform.buyerTaxId, amount: platform.amount, tax: platform.tax, date: platform.date };
        expect({ ...theirs, [mismatch.field]: ours[mismatch.field] }).toEqual(ours);
        expect(theirs[mismatch.field]).not.toEqual(ours[mismatch.field]);
        expect({ ledger: mismatch.ledger, platform: mismatch.platform }).toEqual({ ledger: ours[mismatch.field], platform: theirs[mismatch.field] });
        expect(row!.sync_state).toBe('pending');
      }
      expect(blocked.platformOnlyInvoices).toHaveLength(2);
      const inLedger = await query(`SELECT number FROM invoice WHERE number = ANY($1)`, [blocked.platformOnlyInvoices]);
      expect(inLedger).toEqual([]);
      for (const number of blocked.platformOnlyInvoices) {
        const invoice = blocked.platformInvoices.find((i) => i.number === number)!;
        expect(invoice.sellerTaxId).toBe(ledger!.taxpayer_id);
        expect(invoice.date.slice(0, 7)).toBe(PERIOD);
      }
    }
    expect(summary.taxPlatform.invoices).toHaveLength(12);
    expect(summary.taxPlatform.mismatches).toHaveLength(8);
  });

  it('when a union has blockers, then exactly its receivables sub-ledger differs from the control account, by the small amount reported', async () => {
    const differences = await query<{ ledger_id: number; subledger: string; difference: string }>(
      `SELECT a.ledger_id, a.control_of AS subledger,
              (coalesce((SELECT sum(vl.debit - vl.credit) FROM voucher_line vl WHERE vl.ledger_id = a.ledger_id AND vl.account_code = a.code), 0)
               - coalesce((SELECT sum(s.amount) FROM subledger_entry s WHERE s.ledger_id = a.ledger_id AND s.subledger = a.control_of), 0))::text AS difference
       FROM account a WHERE a.ledger_id = ANY($1) AND a.control_of IS NOT NULL ORDER BY a.ledger_id`,
      [[summary.federation.id, ...summary.ledgers.map((l) => l.id)]],
    );
    const nonZero = differences.filter((d) => d.difference !== '0');
    expect(nonZero).toEqual(
      summary.blockers.map((b) => ({
        ledger_id: b.ledgerId,
        subledger: 'receivables',
        difference: String(-b.subledgerBreak.amount),
      })),
    );
    for (const b of summary.blockers) expect(b.subledgerBreak.amount).toBeGreaterThan(0);
  });
});
