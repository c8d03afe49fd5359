import type { PlatformInvoice } from '../../lib/platform-invoice';
import type { Subledger, VoucherState } from '../schema';

/** What the bank stand-in must say about a transfer the ledger still has in transit. */
export interface BankTransferState {
  reference: string;
  state: 'settled' | 'failed' | 'returned';
  /** Why the bank failed or returned it (银行退汇/失败原因). */
  reason?: string;
  /** Whole fen. */
  amount: number;
  /** ISO time of settlement, for settled transfers. */
  settledAt?: string;
}

/** An invoice as the tax platform stand-in must hold it: the platform's own shape. */
export type PlatformInvoiceState = PlatformInvoice;

export interface InvoiceMismatch {
  ledgerCode: string;
  number: string;
  field: 'buyerName' | 'buyerTaxId' | 'amount' | 'date';
  ledger: string | number;
  platform: string | number;
}

/** The blockers one ledger was given, and how the outside systems must see them. */
export interface LedgerBlockers {
  ledgerId: number;
  ledgerCode: string;
  vouchers: Array<{ number: number; state: Exclude<VoucherState, 'posted'> }>;
  reimbursements: Array<{ number: string; state: 'approved' | 'paid' }>;
  transfers: BankTransferState[];
  invoiceMismatches: InvoiceMismatch[];
  /** Invoices only the platform has; `platformInvoices` holds them with the mismatching versions. */
  platformOnlyInvoices: string[];
  platformInvoices: PlatformInvoiceState[];
  /** The one sub-ledger entry that makes its sub-ledger differ from its control account. */
  subledgerBreak: { subledger: Subledger; reference: string; amount: number };
}

export interface SeededLedger {
  id: number;
  code: string;
  name: string;
  taxpayerId: string;
  lines: number;
  hasBlockers: boolean;
}

export type SeededTable =
  'ledger' | 'account' | 'period' | 'balance' | 'voucher' | 'voucher_line' | 'reimbursement' | 'fund_transfer' | 'invoice' | 'subledger_entry';

export interface FederationSummary {
  seed: number;
  period: string;
  federation: SeededLedger;
  /** The grassroots unions, in code order. */
  ledgers: SeededLedger[];
  rows: Record<SeededTable, number>;
  /** Sums over everything written, in fen: the same for the same seed and options. */
  totals: {
    debit: bigint;
    credit: bigint;
    /** Sum of the positive (debit) opening balances; the negative ones sum to minus this. */
    openingDebit: bigint;
    subledger: Record<Subledger, bigint>;
  };
  blockers: LedgerBlockers[];
  /** Load these into the bank stand-in so the in-transit transfers settle, fail or come back. */
  bank: { transfers: BankTransferState[] };
  /** Load these into the tax platform stand-in: mismatching versions and platform-only invoices. */
  taxPlatform: { invoices: PlatformInvoiceState[]; mismatches: InvoiceMismatch[] };
  elapsedMs: number;
  rowsPerSecond: number;
}

export function emptyRowCounts(): Record<SeededTable, number> {
  return {
    ledger: 0,
    account: 0,
    period: 0,
    balance: 0,
    voucher: 0,
    voucher_line: 0,
    reimbursement: 0,
    fund_transfer: 0,
    invoice: 0,
    subledger_entry: 0,
  };
}

/** The summary as JSON (bigints as strings), for printing. */
export function summaryToJson(summary: FederationSummary, space?: number): string {
  return JSON.stringify(summary, (_key, value) => (typeof value === 'bigint' ? value.toString() : value), space);
}
