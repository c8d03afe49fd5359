import { reconcileInvoices, type LedgerInvoice } from './reconcile';
import type { PlatformInvoice } from '../../integrations/tax-platform';

function ledgerInvoice(i: number, overrides: Partial<LedgerInvoice> = {}): LedgerInvoice {
  return {
    id: `inv-${i}`,
    number: `2611${String(i).padStart(8, '0')}`,
    sellerTaxId: '91110000600037341L',
    buyerName: `Union ${i}`,
    buyerTaxId: '91310000MA1FL8XQ30',
    amount: 10_000 + i,
    tax: 600 + i,
    date: '2026-10-15',
    ...overrides,
  };
}

function onPlatform(invoice: LedgerInvoice, overrides: Partial<PlatformInvoice> = {}): PlatformInvoice {
  const { id: _ledgerId, ...platformFields } = invoice;
  return { ...platformFields, ...overrides };
}

describe('invoice reconciliation between ledger and platform', () => {
  test('when both sides hold the same invoices, then all are matched and nothing is reported', () => {
    const ledger = [ledgerInvoice(1), ledgerInvoice(2)];
    expect(reconcileInvoices(ledger, ledger.map((invoice) => onPlatform(invoice)).reverse())).toEqual({
      missingOnPlatform: [],
      missingInLedger: [],
      mismatches: [],
      matched: 2,
    });
  });

  test('when every field differs in some invoice, then each mismatch is reported with both values', () => {
    const ledger = [1, 2, 3, 4, 5, 6].map((i) => ledgerInvoice(i));
    const platform = [
      onPlatform(ledger[0], { buyerName: 'Union 1 (old name)' }),
      onPlatform(ledger[1], { buyerTaxId: '91310000MA1FL8XQ99' }),
      onPlatform(ledger[2], { sellerTaxId: '91440300MA5FAKE001' }),
      onPlatform(ledger[3], { amount: 10_005 }),
      onPlatform(ledger[4], { tax: 0 }),
      onPlatform(ledger[5], { date: '2026-11-01' }),
    ];
    const report = reconcileInvoices(ledger, platform);
    expect(report.mismatches).toEqual([
      { number: ledger[0].number, invoiceId: 'inv-1', field: 'buyerName', ledger: 'Union 1', platform: 'Union 1 (old name)' },
      { number: ledger[1].number, invoiceId: 'inv-2', field: 'buyerTaxId', ledger: '91310000MA1FL8XQ30', platform: '91310000MA1FL8XQ99' },
      { number: ledger[2].number, invoiceId: 'inv-3', field: 'sellerTaxId', ledger: '91110000600037341L', platform: '91440300MA5FAKE001' },
      { number: ledger[3].number, invoiceId: 'inv-4', field: 'amount', ledger: 10_004, platform: 10_005 },
      { number: ledger[4].number, invoiceId: 'inv-5', field: 'tax', ledger: 605, platform: 0 },
      { number: ledger[5].number, invoiceId: 'inv-6', field: 'date', ledger: '2026-10-15', platform: '2026-11-01' },
    ]);
    expect(report.matched).toBe(0);
  });

  test('when one invoice differs in two fields, then both are reported and it does not count as matched', () => {
    const ledger = [ledgerInvoice(1), ledgerInvoice(2)];
    const report = reconcileInvoices(ledger, [onPlatform(ledger[0], { amount: 1, tax: 2 }), onPlatform(ledger[1])]);
    expect(report.mismatches.map((mismatch) => mismatch.field)).toEqual(['amount', 'tax']);
    expect(report.matched).toBe(1);
  });

  test('when the buyer name differs only in spacing, then it is still a mismatch', () => {
    const ledger = [ledgerInvoice(1, { buyerName: '北京市某某基层工会' })];
    const report = reconcileInvoices(ledger, [onPlatform(ledger[0], { buyerName: '北京市某某基层工会 ' })]);
    expect(report.mismatches).toHaveLength(1);
  });

  test('when invoices are missing on either side, then each side lists exactly its own', () => {
    const ledger = [ledgerInvoice(1), ledgerInvoice(2), ledgerInvoice(3)];
    const platformOnly = onPlatform(ledgerInvoice(9));
    const report = reconcileInvoices(ledger, [onPlatform(ledger[1]), platformOnly]);
    expect(report.missingOnPlatform).toEqual([ledger[0], ledger[2]]);
    expect(report.missingInLedger).toEqual([platformOnly]);
    expect(report.matched).toBe(1);
  });

  // Its speed is measured by the benchmarks' invoice figure, never by a timed test.
  test('when 100,000 invoices are reconciled, then every one is matched or named, by key not by position', () => {
    const ledger = Array.from({ length: 100_000 }, (_, i) => ledgerInvoice(i));
    const platform = ledger.map((invoice, i) => onPlatform(invoice, i % 1000 === 0 ? { amount: 0 } : {}));
    const report = reconcileInvoices(ledger, [...platform].reverse());
    expect([report.matched, report.mismatches.length]).toEqual([99_900, 100]);
    expect(report.mismatches.every((m) => Number(m.number.slice(-5)) % 1000 === 0)).toBe(true);
  });
});
