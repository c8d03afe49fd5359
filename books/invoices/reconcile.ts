import type { PlatformInvoice } from '../../lib/platform-invoice';

/** An invoice of the ledger: the platform's fields plus the ledger's own id. */
export interface LedgerInvoice extends PlatformInvoice {
  id: string;
}

export type ReconciledField = 'buyerName' | 'buyerTaxId' | 'sellerTaxId' | 'amount' | 'tax' | 'date';

export interface InvoiceMismatch {
  number: string;
  invoiceId: string;
  field: ReconciledField;
  ledger: string | number;
  platform: string | number;
}

export interface InvoiceReconciliation {
  missingOnPlatform: LedgerInvoice[];
  missingInLedger: PlatformInvoice[];
  mismatches: InvoiceMismatch[];
  /** Invoices on both sides with every field equal. */
  matched: number;
}

const reconciledFields: ReconciledField[] = ['sellerTaxId', 'buyerName', 'buyerTaxId', 'amount', 'tax', 'date'];

/**
 * Compares the ledger's invoices of a period with the platform's, by invoice number, in linear
 * time. Values are compared exactly: a buyer name differing only in spaces is a mismatch, since
 * the platform's record is the legal one.
 */
export function reconcileInvoices(ledger: LedgerInvoice[], platform: PlatformInvoice[]): InvoiceReconciliation {
  const platformByNumber = new Map<string, PlatformInvoice>();
  for (const invoice of platform) platformByNumber.set(invoice.number, invoice);

  const result: InvoiceReconciliation = { missingOnPlatform: [], missingInLedger: [], mismatches: [], matched: 0 };
  const seenNumbers = new Set<string>();
  for (const invoice of ledger) {
    seenNumbers.add(invoice.number);
    const onPlatform = platformByNumber.get(invoice.number);
    if (onPlatform === undefined) {
      result.missingOnPlatform.push(invoice);
      continue;
    }
    let identical = true;
    for (const field of reconciledFields) {
      if (invoice[field] === onPlatform[field]) continue;
      identical = false;
      result.mismatches.push({ number: invoice.number, invoiceId: invoice.id, field, ledger: invoice[field], platform: onPlatform[field] });
    }
    if (identical) result.matched += 1;
  }
  for (const [number, invoice] of platformByNumber) {
    if (!seenNumbers.has(number)) result.missingInLedger.push(invoice);
  }
  return result;
}
