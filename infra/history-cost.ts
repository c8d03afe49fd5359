import type { WorkflowHandle } from '@temporalio/client';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/**
 * What one workflow execution asked of Temporal, read from its history: its workflow tasks, the
 * activities it scheduled on the server, its local activities (by their markers) and every marker
 * (local activities and patches). The close's tests assert it; the benchmarks average it per close.
 */
export interface HistoryCost {
  events: number;
  workflowTasks: number;
  serverActivities: string[];
  localActivities: string[];
  markers: number;
}

export function historyCostOf(history: History): HistoryCost {
  const events = history.events ?? [];
  return {
    events: events.length,
    workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
    serverActivities: events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name!] : [])),
    localActivities: events.flatMap((e) => {
      const m = e.markerRecordedEventAttributes;
      if (m?.markerName !== 'core_local_activity') return [];
      const data = JSON.parse(Buffer.from(m.details!.data!.payloads![0].data!).toString()) as { activity_type?: string };
      return data.activity_type ? [data.activity_type] : [];
    }),
    markers: events.filter((e) => e.markerRecordedEventAttributes).length,
  };
}
