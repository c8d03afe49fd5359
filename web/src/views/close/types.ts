/**
 * What the API answers about a close (GET /api/v1/closes[/{id}]), as the dashboard reads it; the
 * blocker's acts and items are the server's own types.
 */

// An act on a blocker's item and the item itself: the server's own types (close/blockers.ts is pure,
// so the dashboard's build reads it as it reads the labels).
import type { BlockerAction, BlockerItem } from '../../../../close/blockers';
export type { BlockerAction, BlockerItem };

export interface Blocker {
  code: string;
  step: string;
  message: string;
  owner: string;
  owners?: Array<{ user: string; count: number }>;
  items: BlockerItem[];
  total: number;
}

export interface StepError {
  code: string;
  message: string;
  step?: string;
  attempt?: number;
  at?: string;
}

export interface StepRetry {
  code: string;
  failedAttempts: number;
  nextAttemptAt: string | null;
  message?: string;
}

export interface Step {
  name: string;
  state: string;
  attempts: number;
  startedAt: string | null;
  endedAt: string | null;
  lastError: StepError | null;
  retrying?: StepRetry;
}

export interface Close {
  id: string;
  ledger: string;
  period: string;
  state: string;
  currentStep: string | null;
  steps: Step[];
  blockers: Blocker[];
  errors: StepError[];
  initiatedBy: string;
  monthEndId: string | null;
  startedAt: string;
  endedAt: string | null;
  dueAt: string | null;
  late: boolean;
  counts: boolean;
  superseded: boolean;
}

export interface ClosePage {
  items: Close[];
  next: string | null;
}

/** POST/GET /ledgers/{ledger}/periods/{period}/invoice-sync. */
export interface InvoiceSyncRun {
  ledger: string;
  period: string;
  state: 'running' | 'done' | 'failed';
  uploaded?: number;
  matched?: number;
  platform?: number;
  reconciledBy?: 'digest' | 'listing' | null;
  differences: Blocker[];
  error?: { code: string; message: string } | null;
}

/** GET /ledgers/{ledger}/periods/{period}/readiness. */
export interface Readiness {
  ledger: string;
  period: string;
  ready: boolean;
  blockers: Blocker[];
}
