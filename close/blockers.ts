import type { StepName } from './steps';

/**
 * Stable codes of business blockers: the close waits on them, it does not fail. Each names what
 * is in the way, and who must act; the list is closed (labels in both languages are tested complete).
 */
export const BLOCKER_CODES = [
  'PREVIOUS_PERIOD_NOT_CLOSED',
  'OPENING_BALANCE_MISMATCH',
  'OPENING_BALANCE_UNBALANCED',
  'VOUCHER_DRAFT',
  'VOUCHER_SUBMITTED',
  'VOUCHER_REJECTED',
  'VOUCHER_NOT_POSTED',
  'REIMBURSEMENT_UNPAID',
  'REIMBURSEMENT_NOT_POSTED',
  'TRANSFER_IN_TRANSIT',
  'TRANSFER_FAILED',
  'TRANSFER_UNKNOWN_AT_BANK',
  'INVOICE_MISSING_ON_PLATFORM',
  'INVOICE_MISSING_IN_LEDGER',
  'INVOICE_FIELD_MISMATCH',
  'SUBLEDGER_UNRECONCILED',
  'VOUCHER_UNBALANCED',
  'TRIAL_BALANCE_UNBALANCED',
] as const;

export type BlockerCode = (typeof BLOCKER_CODES)[number];

export type BlockerItem = Record<string, string | number | boolean | null>;

export interface Blocker {
  code: BlockerCode;
  step: StepName;
  message: string;
  /** Who must act: a role, or a named user where the blocker belongs to one person. */
  owner: string;
  items: BlockerItem[];
  /** How many items there are in all; `items` is capped so a status stays small. */
  total: number;
}

/** A blocker as a check finds it, before it is marked with the step that found it. */
export type NewBlocker = Omit<Blocker, 'step'>;

/** The most items a blocker lists; the rest are counted in `total`. */
export const MAX_BLOCKER_ITEMS = 50;
