/** The API's month-end and schedule shapes, as the dashboard reads them (api/services/month-end-*.ts, schedule-service.ts). */

export interface MonthEndCounts {
  total: number;
  closed: number;
  blocked: number;
  running: number;
  failed: number;
  cancelled: number;
  notStarted: number;
}

export interface MonthEndSummary extends MonthEndCounts {
  blockedLedgers: Array<{ ledger: string; closeId: string; codes: string[] }>;
  failedLedgers: Array<{ ledger: string; closeId: string; code: string | null }>;
}

export interface MonthEndScope {
  parent?: string;
  ledgers?: string[];
}

interface MonthEndBase {
  id: string;
  period: string;
  scope: MonthEndScope;
  initiatedBy: string;
  state: string;
  startedAt: string;
  endedAt: string | null;
}

/** GET /api/v1/month-ends/{id}. */
export interface MonthEndRun extends MonthEndBase {
  summary: MonthEndSummary;
}

/** One run of GET /api/v1/month-ends. */
export interface MonthEndListItem extends MonthEndBase {
  counts: MonthEndCounts;
}

export interface MonthEndPage {
  items: MonthEndListItem[];
  next: string | null;
}

export interface ScheduleRun {
  id: string;
  period: string;
  state: string;
  startedAt: string;
  endedAt: string | null;
  counts: MonthEndCounts;
}

export interface Schedule {
  id: string;
  scope: MonthEndScope;
  dayOfMonth: number;
  hour: number;
  minute: number;
  timeZone: string;
  paused: boolean;
  note: string | null;
  nextActionTimes: string[];
  nextPeriod: string | null;
  lastRun: ScheduleRun | null;
}

/** Run now's answer: the month-end it started, or null when Temporal had not taken it within the wait. */
export interface TriggeredSchedule extends Schedule {
  monthEnd: { id: string; period: string } | null;
}
