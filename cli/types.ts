import type { Blocker, CloseState, StepError, StepStatus } from '../close';

/** A close as GET /api/v1/closes/<id> shows it. */
export interface CloseView {
  id: string;
  ledger: string;
  period: string;
  state: CloseState;
  initiatedBy: string;
  startedAt: string;
  endedAt: string | null;
  monthEndId: string | null;
  /** By the close calendar; absent from servers before #18. */
  dueAt?: string | null;
  late?: boolean;
  steps?: StepStatus[];
  blockers?: Blocker[];
  errors?: StepError[];
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface MonthEndSummary {
  total: number;
  closed: number;
  blocked: number;
  running: number;
  failed: number;
  cancelled: number;
  notStarted: number;
  blockedLedgers: Array<{ ledger: string; closeId: string; codes: string[] }>;
  failedLedgers: Array<{ ledger: string; closeId: string; code: string }>;
}

/** A month-end run as GET /api/v1/month-ends/<id> shows it. */
export interface MonthEndView {
  id: string;
  period: string;
  state: string;
  startedAt?: string;
  endedAt?: string | null;
  summary?: MonthEndSummary;
}

/** A month-end schedule as GET /api/v1/schedules lists it. */
export interface ScheduleView {
  id: string;
  scope: { parent?: string; ledgers?: string[] };
  dayOfMonth: number;
  hour: number;
  minute: number;
  timeZone: string;
  concurrency: number;
  paused: boolean;
  note: string | null;
  nextActionTimes: string[];
}

export type { Blocker, StepStatus };
