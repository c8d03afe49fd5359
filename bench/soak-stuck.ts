import type { Client } from '@temporalio/client';
import { monthEndProgressQuery } from '../workflows/month-end/messages';

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
