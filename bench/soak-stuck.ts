import type { Client } from '@temporalio/client';
import { monthEndProgressQuery } from '../workflows/month-end/messages';
import { statusQuery } from '../workflows/close/messages';

/**
 * Why something the soak waited for never settled, read from Temporal: a close whose workflow task
 * keeps failing (a nondeterminism error on replay after its worker was killed says so in its
 * history), or a month-end still counting closes in flight whose runs the database shows settled.
 */
export async function whyStillRunning(client: Client, workflowIds: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of workflowIds.slice(0, 10)) {
    try {
      const handle = client.workflow.getHandle(id);
      const described = await handle.describe();
      const pending = described.raw.pendingWorkflowTask;
      const activities = described.raw.pendingActivities ?? [];
      const events = (await handle.fetchHistory()).events ?? [];
      const failed = [...events].reverse().find((e) => e.workflowTaskFailedEventAttributes);
      const why = failed?.workflowTaskFailedEventAttributes?.failure?.message;
      const last = events[events.length - 1];
      out.push(
        `${id} (${described.status.name}, ${events.length} events, last ${last?.eventType ?? '-'} at ${last?.eventTime ? new Date(Number(last.eventTime.seconds) * 1000).toISOString() : '-'}): ` +
          `workflow task attempt ${pending?.attempt ?? '-'}, ${activities.length} activities pending` +
          (activities[0]
            ? ` (${activities[0].activityType?.name} attempt ${activities[0].attempt}: ${activities[0].lastFailure?.message?.slice(0, 200) ?? '-'})`
            : '') +
          (why ? `, failing with: ${why.slice(0, 300)}` : ''),
      );
    } catch (err) {
      out.push(`${id}: ${(err as Error).message}`);
    }
  }
  return out;
}

/** How many closes the month-end workflow still waits to hear from (null when it cannot be asked). */
export async function monthEndInFlight(client: Client, workflowId: string): Promise<number | null> {
  try {
    return (await client.workflow.getHandle(workflowId).query(monthEndProgressQuery)).inFlight;
  } catch {
    return null;
  }
}

/**
 * Ledgers a month-end counted but that have no close of it in the books: what Temporal knows of
 * their close workflow (close:<ledger>:<period>) — its status, who started it, how it ended.
 */
export async function whyNoClose(client: Client, workflowIds: string[], books: (closeId: string) => Promise<string>): Promise<string[]> {
  const out: string[] = [];
  for (const id of workflowIds.slice(0, 10)) {
    try {
      const handle = client.workflow.getHandle(id);
      const described = await handle.describe();
      // A workflow no worker polls for never answers a query: asked for a few seconds only.
      const status = await Promise.race([handle.query(statusQuery).catch(() => null), new Promise<null>((r) => setTimeout(() => r(null), 5_000).unref())]);
      const events = (await handle.fetchHistory()).events ?? [];
      const kinds = events.slice(0, 40).map((e) => e.eventType ?? '?');
      const started = events[0]?.workflowExecutionStartedEventAttributes;
      const ended = events[events.length - 1];
      const failure =
        ended?.workflowExecutionFailedEventAttributes?.failure ??
        [...events].reverse().find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure;
      out.push(
        `${id} (${described.status.name}, ${events.length} events, parent ${started?.parentWorkflowExecution?.workflowId ?? '-'}, last ${ended?.eventType ?? '-'})` +
          (failure ? `: ${failure.applicationFailureInfo?.type ?? ''} ${failure.message?.slice(0, 300) ?? ''}` : '') +
          `; status ${status ? `${status.state} at ${status.currentStep ?? '-'}, close ${status.closeId}, steps ${status.steps.map((x) => x.state[0]).join('')}` : '-'}` +
          `; books: ${status ? await books(status.closeId) : '-'}; first events ${kinds.join(',')}`,
      );
    } catch (err) {
      out.push(`${id}: ${(err as Error).message}`);
    }
  }
  return out;
}
