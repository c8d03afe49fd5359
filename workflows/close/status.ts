/**
 * The shape of a close's status, shared by the workflow (its query), the activities (which keep the
 * close_run row equal to it) and the API. Types and constants only: safe inside the workflow sandbox.
 */
export const CLOSE_STEPS = [
  'authorise',
  'previous_period',
  'pending_approvals',
  'reimbursements',
  'fund_transfers',
  'invoice_sync',
  'reconciliation',
  'trial_balance',
  'backup',
  'carry_forward',
  'lock',
] as const;

export type StepName = (typeof CLOSE_STEPS)[number];
export type CloseState = 'running' | 'blocked' | 'failed' | 'cancelled' | 'closed';
export type StepState = 'pending' | 'running' | 'blocked' | 'done' | 'failed' | 'cancelled';

export interface StepError {
  code: string;
  message: string;
  step?: StepName;
  attempt?: number;
  at?: string;
}

export interface StepStatus {
  name: StepName;
  state: StepState;
  attempts: number;
  startedAt: string | null;
  endedAt: string | null;
  lastError: StepError | null;
}

/** Stable codes of business blockers: the close waits on them, it does not fail. */
export type BlockerCode =
  | 'PREVIOUS_PERIOD_NOT_CLOSED'
  | 'OPENING_BALANCE_MISMATCH'
  | 'OPENING_BALANCE_UNBALANCED'
  | 'VOUCHER_DRAFT'
  | 'VOUCHER_SUBMITTED'
  | 'VOUCHER_REJECTED'
  | 'VOUCHER_NOT_POSTED'
  | 'REIMBURSEMENT_UNPAID'
  | 'REIMBURSEMENT_NOT_POSTED'
  | 'TRANSFER_IN_TRANSIT'
  | 'TRANSFER_FAILED'
  | 'TRANSFER_UNKNOWN_AT_BANK'
  | 'INVOICE_MISSING_ON_PLATFORM'
  | 'INVOICE_MISSING_IN_LEDGER'
  | 'INVOICE_FIELD_MISMATCH'
  | 'SUBLEDGER_UNRECONCILED'
  | 'VOUCHER_UNBALANCED'
  | 'TRIAL_BALANCE_UNBALANCED';

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

export interface CloseStatus {
  closeId: string;
  workflowId: string;
  ledger: string;
  period: string;
  initiatedBy: string;
  state: CloseState;
  currentStep: StepName | null;
  steps: StepStatus[];
  blockers: Blocker[];
  errors: StepError[];
  startedAt: string;
  endedAt: string | null;
}

/** The most items a blocker lists; the rest are counted in `total`. */
export const MAX_BLOCKER_ITEMS = 50;

export function closeWorkflowId(ledger: string, period: string): string {
  return `close:${ledger}:${period}`;
}
