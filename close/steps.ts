/**
 * The steps of a close, in the order they run: each is one file of activities/close/steps/ with the
 * same name, one activity of that name (camelCase), and one entry of a close's status.
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
export type StepState = 'pending' | 'running' | 'blocked' | 'done' | 'failed' | 'cancelled';

/** A step's failure as a close records it: a stable code from lib/errors.ts and what it said. */
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

/** Every step pending: how a close begins, in the workflow, in close_run and in the API alike. */
export function initialSteps(): StepStatus[] {
  return CLOSE_STEPS.map((name) => ({ name, state: 'pending', attempts: 0, startedAt: null, endedAt: null, lastError: null }));
}

/** Where the checks begin: after authorise, which registered the close and holds the period. */
export const FIRST_CHECK_INDEX = CLOSE_STEPS.indexOf('previous_period');
/** Where the checks end and the close starts writing: nothing is written before every check passes. */
export const BACKUP_INDEX = CLOSE_STEPS.indexOf('backup');
/** The last step, which closes the period. */
export const LOCK_INDEX = CLOSE_STEPS.indexOf('lock');

/** The read-only checks between authorise and the backup: what a pre-close check (结账检查) runs. */
export const CHECK_STEPS = [
  'previous_period',
  'pending_approvals',
  'reimbursements',
  'fund_transfers',
  'invoice_sync',
  'reconciliation',
  'trial_balance',
] as const satisfies readonly StepName[];
