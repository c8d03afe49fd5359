import type { FundTransferState, ReimbursementState, Subledger, VoucherState } from '../schema';

export type DocumentType = 'reimbursement' | 'transfer' | 'invoice';

export interface VoucherDraft {
  ledgerId: number;
  number: number;
  date: string;
  description: string;
  preparer: string;
  approver: string | null;
  state: VoucherState;
  /** The business document this voucher posts, by its index in the book's list of that type. */
  source: { type: DocumentType; index: number } | null;
}

/** One side of a voucher line: exactly one of debit and credit is positive (whole fen). */
export interface LineDraft {
  account: string;
  debit: number;
  credit: number;
  memo: string;
}

export interface ReimbursementDraft {
  ledgerId: number;
  number: string;
  claimant: string;
  description: string;
  amount: number;
  expenseAccount: string;
  state: ReimbursementState;
  voucher: number | null;
}

export interface TransferDraft {
  ledgerId: number;
  reference: string;
  amount: number;
  debitAccount: string;
  creditAccount: string;
  counterparty: string;
  state: FundTransferState;
  settledAt: string | null;
  voucher: number | null;
  /** The user who sent it: the ledger's first preparer (no random draw, so the books stay as they were). */
  sentBy: string;
}

export interface InvoiceDraft {
  ledgerId: number;
  number: string;
  buyerName: string;
  buyerTaxId: string;
  sellerTaxId: string;
  amount: number;
  tax: number;
  date: string;
  itemsJson: string;
  voucher: number | null;
}

export interface SubledgerDraft {
  ledgerId: number;
  subledger: Subledger;
  reference: string;
  counterparty: string;
  amount: number;
}

export interface OpeningDraft {
  ledgerId: number;
  account: string;
  opening: number;
}

/**
 * Everything one batch of ledgers writes for the period, held compactly until ids are reserved and
 * it is streamed out with COPY. Lines live in parallel arrays: a million of them are a few arrays,
 * not a million objects. Vouchers and documents point at each other by index until then.
 */
export class BatchBook {
  readonly vouchers: VoucherDraft[] = [];
  readonly lineVoucher: number[] = [];
  readonly lineNo: number[] = [];
  readonly lineAccount: string[] = [];
  readonly lineDebit: number[] = [];
  readonly lineCredit: number[] = [];
  readonly lineMemo: string[] = [];
  readonly reimbursements: ReimbursementDraft[] = [];
  readonly transfers: TransferDraft[] = [];
  readonly invoices: InvoiceDraft[] = [];
  readonly subledgerEntries: SubledgerDraft[] = [];
  readonly openings: OpeningDraft[] = [];

  constructor(readonly period: string) {}

  get lineCount(): number {
    return this.lineVoucher.length;
  }

  /** Adds a voucher with its lines; throws unless 2 to 6 one-sided lines balance. */
  addVoucher(voucher: VoucherDraft, lines: readonly LineDraft[]): number {
    if (lines.length < 2 || lines.length > 6) throw new Error(`a generated voucher has 2 to 6 lines, not ${lines.length}`);
    let balance = 0;
    for (const line of lines) {
      if (!Number.isSafeInteger(line.debit) || !Number.isSafeInteger(line.credit) || line.debit > 0 === line.credit > 0) {
        throw new Error(`voucher line on ${line.account} must have exactly one positive side in whole fen`);
      }
      balance += line.debit - line.credit;
    }
    if (balance !== 0) throw new Error(`generated voucher "${voucher.description}" does not balance by ${balance} fen`);
    const index = this.vouchers.push(voucher) - 1;
    lines.forEach((line, i) => {
      this.lineVoucher.push(index);
      this.lineNo.push(i + 1);
      this.lineAccount.push(line.account);
      this.lineDebit.push(line.debit);
      this.lineCredit.push(line.credit);
      this.lineMemo.push(line.memo);
    });
    return index;
  }

  rowCounts(): Record<string, number> {
    return {
      voucher: this.vouchers.length,
      voucher_line: this.lineCount,
      reimbursement: this.reimbursements.length,
      fund_transfer: this.transfers.length,
      invoice: this.invoices.length,
      subledger_entry: this.subledgerEntries.length,
      balance: this.openings.length,
    };
  }
}

export function debit(account: string, amount: number, memo = ''): LineDraft {
  return { account, debit: amount, credit: 0, memo };
}

export function credit(account: string, amount: number, memo = ''): LineDraft {
  return { account, debit: 0, credit: amount, memo };
}
