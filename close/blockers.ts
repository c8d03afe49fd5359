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

/**
 * The role that must act on each code, as the checks name it on every blocker (test/api/readiness.test.ts
 * holds them to this): the federation board counts its blockers by it without reading the items.
 */
export const BLOCKER_OWNERS: Record<BlockerCode, 'accountant' | 'finance_manager' | 'operations'> = {
  PREVIOUS_PERIOD_NOT_CLOSED: 'finance_manager',
  OPENING_BALANCE_MISMATCH: 'accountant',
  OPENING_BALANCE_UNBALANCED: 'accountant',
  VOUCHER_DRAFT: 'accountant',
  VOUCHER_SUBMITTED: 'finance_manager',
  VOUCHER_REJECTED: 'accountant',
  VOUCHER_NOT_POSTED: 'finance_manager',
  REIMBURSEMENT_UNPAID: 'finance_manager',
  REIMBURSEMENT_NOT_POSTED: 'finance_manager',
  TRANSFER_IN_TRANSIT: 'finance_manager',
  TRANSFER_FAILED: 'finance_manager',
  TRANSFER_UNKNOWN_AT_BANK: 'operations',
  INVOICE_MISSING_ON_PLATFORM: 'operations',
  INVOICE_MISSING_IN_LEDGER: 'accountant',
  INVOICE_FIELD_MISMATCH: 'accountant',
  SUBLEDGER_UNRECONCILED: 'accountant',
  VOUCHER_UNBALANCED: 'accountant',
  TRIAL_BALANCE_UNBALANCED: 'operations',
};

/**
 * An act that clears (part of) a blocker, ready to send: a client offers it without knowing the
 * codes. `needs` names what a person must supply in the body (e.g. `reason`); only acts the caller
 * may perform are listed (the API filters them by the caller's permissions).
 */
export interface BlockerAction {
  /** Stable id of the act, e.g. `voucher.approve`. */
  id: string;
  /** In the reader's language. */
  label: string;
  method: 'POST';
  path: string;
  body: Record<string, unknown>;
  needs: string[];
  permission: string;
}

/** One thing in the way: a document or an account difference. `owner` is the person who must act, where one does. */
export type BlockerItem = { [field: string]: string | number | boolean | null | BlockerAction[] | undefined } & {
  owner?: string | null;
  actions?: BlockerAction[];
};

export interface Blocker {
  code: BlockerCode;
  step: StepName;
  /** In the reader's language, rendered from `code` and `params` (i18n/). */
  message: string;
  /** What the message is made from (counts, periods, amounts), kept beside it for clients. */
  params?: Record<string, string | number>;
  /** Who must act: a role (the people are named on the items, and counted in `owners`). */
  owner: string;
  /** The people who must act, with how many of the items are theirs ("zhang.min: 2 drafts"). */
  owners?: Array<{ user: string; count: number }>;
  items: BlockerItem[];
  /** How many items there are in all; `items` is capped so a status stays small. */
  total: number;
}

/** A blocker as a check finds it, before it is marked with the step that found it. */
export type NewBlocker = Omit<Blocker, 'step'>;

/** The most items a blocker lists; the rest are counted in `total`. */
export const MAX_BLOCKER_ITEMS = 50;
