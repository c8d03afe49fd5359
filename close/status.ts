import type { Blocker } from './blockers';
import type { StepError, StepName, StepStatus } from './steps';

export type CloseState = 'running' | 'blocked' | 'failed' | 'cancelled' | 'closed';

/** The states of a close that has not ended: resume and cancel reach only these. */
export const LIVE_STATES: readonly CloseState[] = ['running', 'blocked'];

/** A close's full status: the workflow's query answers it, close_run keeps it, the API shows it. */
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

/** One close of a ledger's period at a time: the workflow's id is its business key. */
export function closeWorkflowId(ledger: string, period: string): string {
  return `close:${ledger}:${period}`;
}
