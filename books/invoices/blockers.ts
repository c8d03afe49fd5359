import { formatMinor } from '../../lib/money';
import { MAX_BLOCKER_ITEMS, type NewBlocker } from '../../close';
import type { InvoiceReconciliation } from './reconcile';

/** Amounts in yuan, dates and names as they are: a mismatch's two values as a person reads them. */
function shown(field: string, value: string | number): string | number {
  return field === 'amount' || field === 'tax' ? formatMinor(value as number) : value;
}

/** The blockers a reconciliation with the tax platform leaves: one per kind of difference, items capped. */
export function invoiceBlockers(r: InvoiceReconciliation): NewBlocker[] {
  const blockers: NewBlocker[] = [];
  if (r.missingOnPlatform.length > 0)
    blockers.push({
      code: 'INVOICE_MISSING_ON_PLATFORM',
      owner: 'operations',
      total: r.missingOnPlatform.length,
      params: { count: r.missingOnPlatform.length },
      message: `${r.missingOnPlatform.length} invoice(s) are not confirmed by the tax platform; they are uploaded again at the next check.`,
      items: r.missingOnPlatform
        .slice(0, MAX_BLOCKER_ITEMS)
        .map((i) => ({ invoiceId: i.id, number: i.number, buyerName: i.buyerName, amount: formatMinor(i.amount), date: i.date })),
    });
  if (r.missingInLedger.length > 0)
    blockers.push({
      code: 'INVOICE_MISSING_IN_LEDGER',
      owner: 'accountant',
      total: r.missingInLedger.length,
      params: { count: r.missingInLedger.length },
      message: `${r.missingInLedger.length} invoice(s) are on the tax platform but not in the ledger: record them, or have them voided on the platform.`,
      items: r.missingInLedger
        .slice(0, MAX_BLOCKER_ITEMS)
        .map((i) => ({ number: i.number, buyerName: i.buyerName, amount: formatMinor(i.amount), tax: formatMinor(i.tax), date: i.date })),
    });
  if (r.mismatches.length > 0)
    blockers.push({
      code: 'INVOICE_FIELD_MISMATCH',
      owner: 'accountant',
      total: r.mismatches.length,
      params: { count: r.mismatches.length },
      message: `${r.mismatches.length} invoice field(s) differ between the ledger and the tax platform (抬头, 纳税人识别号, amount, date): correct the ledger or the platform.`,
      items: r.mismatches.slice(0, MAX_BLOCKER_ITEMS).map((m) => ({
        invoiceId: m.invoiceId,
        number: m.number,
        field: m.field,
        ledger: shown(m.field, m.ledger),
        platform: shown(m.field, m.platform),
      })),
    });
  return blockers;
}
