import { Context } from '@temporalio/activity';

/** What a long activity sees of its heartbeat: where the last attempt got to, and a way to say where this one is. */
export interface Progress {
  /** What the previous attempt last reported through `progress`, to resume from. */
  checkpoint: unknown;
  /** Reports progress; it rides on every heartbeat, so a retry resumes from it. */
  progress(details: unknown): void;
}

/**
 * The one heartbeat loop of the activities: while `work` runs, the latest progress is sent every
 * `everyMs`, so Temporal knows the worker lives (and hands the activity to another worker when it
 * stops). A local activity lives inside a workflow task and has no heartbeat: progress is kept only.
 */
export async function heartbeating<T>(everyMs: number, work: (p: Progress) => Promise<T>): Promise<T> {
  const activity = Context.current();
  const local = activity.info.isLocal;
  let latest: unknown = activity.info.heartbeatDetails;
  const progress: Progress = {
    checkpoint: activity.info.heartbeatDetails,
    progress: (details) => {
      latest = details;
      if (!local) activity.heartbeat(details);
    },
  };
  const ticker = local ? undefined : setInterval(() => activity.heartbeat(latest), everyMs);
  try {
    return await work(progress);
  } finally {
    clearInterval(ticker);
  }
}
