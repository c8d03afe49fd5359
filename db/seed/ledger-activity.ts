import type { Subledger, VoucherState } from '../schema';
import type { BatchBook, DocumentType, LineDraft } from './book';
import type { LedgerStaff } from './identities';
import type { SeededRandom } from './random';

export interface SeedLedger {
  id: number;
  code: string;
  name: string;
  taxpayerId: string;
}

/**
 * One ledger's period being written into a batch: hands out voucher numbers and dates, keeps
 * preparer and approver apart, and counts the lines written against the ledger's budget.
 */
export class LedgerActivity {
  private nextVoucherNumber = 1;
  private readonly sequences = new Map<string, number>();
  readonly daysInPeriod: number;
  linesWritten = 0;
  /** Opening balance per account code, once written (signed debit-positive, whole fen). */
  openingBalances: Record<string, number> = {};

  constructor(
    readonly book: BatchBook,
    readonly ledger: SeedLedger,
    readonly rng: SeededRandom,
    readonly staff: LedgerStaff,
  ) {
    const [year, month] = book.period.split('-').map(Number) as [number, number];
    this.daysInPeriod = new Date(Date.UTC(year, month, 0)).getUTCDate();
  }

  get period(): string {
    return this.book.period;
  }

  /** A date inside the period, YYYY-MM-DD. */
  randomDate(): string {
    return this.dateOnDay(this.rng.int(1, this.daysInPeriod));
  }

  dateOnDay(day: number): string {
    return `${this.period}-${String(day).padStart(2, '0')}`;
  }

  lastDate(): string {
    return this.dateOnDay(this.daysInPeriod);
  }

  /** The next number of a per-ledger document series, e.g. BX202610-00001. */
  nextDocumentNumber(prefix: string, width = 5): string {
    const n = (this.sequences.get(prefix) ?? 0) + 1;
    this.sequences.set(prefix, n);
    return `${prefix}${this.period.replace('-', '')}-${String(n).padStart(width, '0')}`;
  }

  /** A posted voucher (approved by someone other than its preparer). */
  posted(description: string, lines: readonly LineDraft[], source: { type: DocumentType; index: number } | null = null, date = this.randomDate()): number {
    return this.voucher('posted', description, lines, source, date);
  }

  /** A voucher in any state; only approved and posted ones carry an approver. */
  voucher(
    state: VoucherState,
    description: string,
    lines: readonly LineDraft[],
    source: { type: DocumentType; index: number } | null = null,
    date = this.randomDate(),
  ): number {
    const approved = state === 'approved' || state === 'posted';
    this.linesWritten += lines.length;
    return this.book.addVoucher(
      {
        ledgerId: this.ledger.id,
        number: this.nextVoucherNumber++,
        date,
        description,
        preparer: this.rng.pick(this.staff.preparers),
        approver: approved ? this.rng.pick(this.staff.approvers) : null,
        state,
        source,
      },
      lines,
    );
  }

  /** A business sub-system's booking, signed debit-positive like its control account's movement. */
  subledger(subledger: Subledger, reference: string, counterparty: string, amount: number): void {
    this.book.subledgerEntries.push({ ledgerId: this.ledger.id, subledger, reference, counterparty, amount });
  }
}
