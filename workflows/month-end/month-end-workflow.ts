import {
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { MonthEndActivities, MonthEndScope } from '../../activities/month-end';
import { periodOf, previousPeriod } from '../../lib/period';
import { closeWorkflow } from '../close/close-workflow';
import { closeSettledSignal } from '../close/messages';
import type { CloseSettings } from '../../close';
import { closeWorkflowId } from '../../close';
import { monthEndProgressQuery } from './messages';

export interface MonthEndInput {
  /** Defaults to the workflow id (schedules start runs with ids of their own). */
  monthEndId?: string;
  /** Defaults to the month before this run started, in timeZone: what a schedule on the 1st closes. */
  period?: string;
  timeZone?: string;
  scope: MonthEndScope;
  initiatedBy: string;
  concurrency: number;
  closeSettings: CloseSettings;
  /** Ledgers read per page, and children started per run before continuing as new (defaults below; tests make them small). */
  pageSize?: number;
  childrenPerRun?: number;
  /** Carried over continue-as-new. */
  cursor?: string | null;
  inFlight?: string[];
  startedBefore?: number;
}

const PAGE = 200;
const scheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
/** Children started per run before continuing as new: keeps history and pending children within Temporal's limits. */
const CHILDREN_PER_RUN = 500;

/**
 * The closes a month-end may start are started together, as many as its concurrency leaves room for,
 * in one workflow task: before, each start waited for the one before it (two workflow tasks of the
 * month-end per ledger, one after the other), which bounded a month-end to the month-end's own pace
 * however many workers and shards there were.
 */
export const MONTH_END_STARTS_TOGETHER_PATCH = 'month-end-starts-closes-together';

/**
 * Month-end for many ledgers (a federation's thousands of grassroots unions): starts one close per
 * ledger, at most `concurrency` unsettled at a time; a close counts as settled once it is closed,
 * failed, cancelled or waiting on blockers. Children are abandoned on purpose: they outlive this
 * workflow's retries and continue-as-new, and report back by signal.
 */
export async function monthEndWorkflow(input: MonthEndInput): Promise<{ monthEndId: string; period: string; started: number }> {
  // Decided before the first await, as every patch is best decided (workflows/close/patches.ts).
  const startsTogether = patched(MONTH_END_STARTS_TOGETHER_PATCH);
  const info = workflowInfo();
  const monthEndId = input.monthEndId ?? info.workflowId;
  // A schedule's run (also a backfilled or late one) closes the month before the time it was due.
  const due = info.typedSearchAttributes.get(scheduledStartTime) ?? info.startTime;
  const period = input.period ?? previousPeriod(periodOf(due, input.timeZone ?? 'Asia/Shanghai'));
  const acts = proxyActivities<MonthEndActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } });
  const inFlight = new Set(input.inFlight ?? []);
  let cursor = input.cursor ?? null;
  let started = input.startedBefore ?? 0;
  let startedThisRun = 0;
  setHandler(closeSettledSignal, ({ ledger }) => {
    inFlight.delete(ledger);
  });
  setHandler(monthEndProgressQuery, () => ({ monthEndId, period, started, inFlight: inFlight.size }));

  try {
    if (cursor === null && started === 0)
      await acts.beginMonthEnd({ monthEndId, workflowId: info.workflowId, period, scope: input.scope, initiatedBy: input.initiatedBy });
    for (;;) {
      const page = await acts.listMonthEndLedgers({ scope: input.scope, period, after: cursor, limit: input.pageSize ?? PAGE });
      if (page.length === 0) break;
      if (startsTogether) {
        for (let next = 0; next < page.length;) {
          await condition(() => inFlight.size < input.concurrency);
          const batch = page.slice(next, next + input.concurrency - inFlight.size);
          next += batch.length;
          // Counted in flight before the starts resolve: a close that settles at once signals before that.
          for (const ledger of batch) inFlight.add(ledger);
          const ours = await Promise.all(batch.map((ledger) => startClose(ledger, period, monthEndId, input)));
          batch.forEach((ledger, k) => {
            if (!ours[k]) inFlight.delete(ledger);
          });
          const n = ours.filter(Boolean).length;
          started += n;
          startedThisRun += n;
        }
      } else {
        for (const ledger of page) {
          await condition(() => inFlight.size < input.concurrency);
          if (await startClose(ledger, period, monthEndId, input)) {
            inFlight.add(ledger);
            started++;
            startedThisRun++;
          }
        }
      }
      cursor = page[page.length - 1];
      if (startedThisRun >= (input.childrenPerRun ?? CHILDREN_PER_RUN) || workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof monthEndWorkflow>({ ...input, monthEndId, period, cursor, inFlight: [...inFlight], startedBefore: started });
      }
    }
    await condition(() => inFlight.size === 0);
    await acts.finishMonthEnd({ monthEndId, state: 'completed' });
  } catch (err) {
    if (isCancellation(err)) await CancellationScope.nonCancellable(() => acts.finishMonthEnd({ monthEndId, state: 'cancelled' }));
    throw err;
  }
  return { monthEndId, period, started };
}

/** Starts one ledger's close; false when a close of it is already running (that one is not ours to count). */
async function startClose(ledger: string, period: string, monthEndId: string, input: MonthEndInput): Promise<boolean> {
  try {
    await startChild(closeWorkflow, {
      workflowId: closeWorkflowId(ledger, period),
      args: [{ closeId: uuid4(), ledger, period, initiatedBy: input.initiatedBy, monthEndId, settings: input.closeSettings }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
