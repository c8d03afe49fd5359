import { createHash } from 'node:crypto';
import { periodOf, type PlatformInvoice } from './invoice-rules';

export interface UploadOutcome {
  accepted: number;
  duplicates: number;
  rejected: Array<{ number: string; reason: string }>;
}

/**
 * What the platform says of a seller's period without listing it: the count, and the SHA-256 (hex)
 * of every invoice's fields — number, seller, buyer name, buyer taxpayer id, amount, tax, date —
 * joined by U+001F, the invoices joined by U+001E in ascending number order (by code unit).
 */
export interface InvoiceSummary {
  count: number;
  digest: string;
}

export interface InvoicePage {
  items: PlatformInvoice[];
  /** Number of the last item when more follow, else null. */
  lastNumber: string | null;
}

const comparedFields = ['sellerTaxId', 'buyerName', 'buyerTaxId', 'amount', 'tax', 'date'] as const;

function differingFields(a: PlatformInvoice, b: PlatformInvoice): string[] {
  return comparedFields.filter((field) => a[field] !== b[field]);
}

/** Index of the first entry greater than `after` in an ascending array. */
function firstIndexAfter(sorted: string[], after: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The platform's invoices: a map by number (unique on the platform) plus, per seller and period,
 * a list of numbers that is sorted only when someone lists it after a change.
 */
export class InvoiceStore {
  private readonly byNumber = new Map<string, PlatformInvoice>();
  private readonly bySellerPeriod = new Map<string, { numbers: string[]; sorted: boolean }>();
  /** Summaries as a platform keeps them: computed once, dropped when an invoice of that seller and period changes. */
  private readonly summaries = new Map<string, InvoiceSummary>();

  get size(): number {
    return this.byNumber.size;
  }

  /** An upload: a number already on the platform is a duplicate if identical, else refused for that invoice. */
  upload(invoices: PlatformInvoice[]): UploadOutcome {
    const outcome: UploadOutcome = { accepted: 0, duplicates: 0, rejected: [] };
    for (const invoice of invoices) {
      const existing = this.byNumber.get(invoice.number);
      if (existing === undefined) {
        this.insert(invoice);
        outcome.accepted += 1;
        continue;
      }
      const differences = differingFields(existing, invoice);
      if (differences.length === 0) outcome.duplicates += 1;
      else outcome.rejected.push({ number: invoice.number, reason: `invoice number already issued with a different ${differences.join(', ')}` });
    }
    return outcome;
  }

  /** Stores an invoice as given, replacing one with the same number (an admin act, not an upload). */
  put(invoice: PlatformInvoice): void {
    const existing = this.byNumber.get(invoice.number);
    if (existing !== undefined && indexKey(existing) === indexKey(invoice)) {
      this.byNumber.set(invoice.number, invoice);
      this.summaries.delete(indexKey(invoice));
      return;
    }
    if (existing !== undefined) this.unindex(existing);
    this.insert(invoice);
  }

  list(sellerTaxId: string, period: string, after: string | undefined, limit: number): InvoicePage {
    const entry = this.bySellerPeriod.get(`${sellerTaxId}|${period}`);
    if (entry === undefined) return { items: [], lastNumber: null };
    if (!entry.sorted) {
      entry.numbers.sort();
      entry.sorted = true;
    }
    const start = after === undefined ? 0 : firstIndexAfter(entry.numbers, after);
    const numbers = entry.numbers.slice(start, start + limit);
    const items = numbers.map((number) => this.byNumber.get(number)!);
    const more = start + limit < entry.numbers.length;
    return { items, lastNumber: more ? numbers[numbers.length - 1] : null };
  }

  summary(sellerTaxId: string, period: string): InvoiceSummary {
    const key = `${sellerTaxId}|${period}`;
    const known = this.summaries.get(key);
    if (known) return known;
    const all = this.list(sellerTaxId, period, undefined, Number.MAX_SAFE_INTEGER).items;
    const hash = createHash('sha256');
    all.forEach((i, n) =>
      hash.update(`${n > 0 ? '\u001e' : ''}${[i.number, i.sellerTaxId, i.buyerName, i.buyerTaxId, i.amount, i.tax, i.date].join('\u001f')}`),
    );
    const summary = { count: all.length, digest: hash.digest('hex') };
    this.summaries.set(key, summary);
    return summary;
  }

  clear(): void {
    this.byNumber.clear();
    this.bySellerPeriod.clear();
    this.summaries.clear();
  }

  private insert(invoice: PlatformInvoice): void {
    this.byNumber.set(invoice.number, invoice);
    const key = indexKey(invoice);
    this.summaries.delete(key);
    let entry = this.bySellerPeriod.get(key);
    if (entry === undefined) {
      entry = { numbers: [], sorted: true };
      this.bySellerPeriod.set(key, entry);
    }
    const last = entry.numbers[entry.numbers.length - 1];
    if (last !== undefined && last > invoice.number) entry.sorted = false;
    entry.numbers.push(invoice.number);
  }

  private unindex(invoice: PlatformInvoice): void {
    this.summaries.delete(indexKey(invoice));
    const entry = this.bySellerPeriod.get(indexKey(invoice));
    const position = entry?.numbers.indexOf(invoice.number) ?? -1;
    if (entry !== undefined && position >= 0) entry.numbers.splice(position, 1);
  }
}

function indexKey(invoice: PlatformInvoice): string {
  return `${invoice.sellerTaxId}|${periodOf(invoice)}`;
}
