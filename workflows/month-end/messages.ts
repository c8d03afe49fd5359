import { defineQuery } from '@temporalio/workflow';

export interface MonthEndProgress {
  monthEndId: string;
  period: string;
  started: number;
  inFlight: number;
}

/** How far a month-end has got; the per-ledger outcome lives in close_run (see the API's summary). */
export const monthEndProgressQuery = defineQuery<MonthEndProgress>('progress');
