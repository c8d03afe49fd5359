/** A ledger's periods and trial balance as the API answers them (api/services/ledger-service.ts). */
export interface PeriodRun {
  closeId: string;
  state: string;
  initiatedBy: string;
  startedAt: string;
  endedAt: string | null;
  /** Its close is the one that stands. */
  counts: boolean;
  /** It closed the period once, but a reopen (反结账) undid that close. */
  superseded: boolean;
}

export interface Reopening {
  by: string;
  at: string;
  reason: string | null;
}

export interface PeriodView {
  period: string;
  state: string;
  closedBy: string | null;
  closedAt: string | null;
  reopenings: Reopening[];
  /** Newest first. */
  runs: PeriodRun[];
}

export interface LedgerPeriods {
  ledger: string;
  name: string;
  items: PeriodView[];
}

export interface TrialBalanceLine {
  account: string;
  name: string;
  opening: string;
  debit: string;
  credit: string;
  closing: string;
}

export interface TrialBalance {
  ledger: string;
  period: string;
  periodState: string;
  source: 'balance' | 'computed';
  accounts: TrialBalanceLine[];
}
