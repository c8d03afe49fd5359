import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { isRetryableCode } from '../../lib/errors';
import type { StepStatus } from '../../close';

/**
 * A step of a live close whose last attempt failed with a retryable (technical) error: Temporal
 * retries it by itself, and nobody has anything to do. The dashboard says so in one short line
 * instead of showing the error itself (kept in lastError, shown on demand).
 */
export interface StepRetry {
  code: string;
  /** Attempts that failed so far. */
  failedAttempts: number;
  /** When Temporal runs the next attempt, while it waits for it (null while an attempt runs, for a local step, or when Temporal did not answer). */
  nextAttemptAt: string | null;
  /** The line in the reader's language (added by presentClose). */
  message?: string;
}

export type StepView = StepStatus & { retrying?: StepRetry };

/** From close_run alone: a running step of a live close whose last error is retryable. */
export function retryOf(step: StepStatus, closeIsLive: boolean): StepRetry | undefined {
  const error = step.lastError;
  if (!closeIsLive || step.state !== 'running' || !error || !isRetryableCode(error.code)) return undefined;
  return { code: error.code, failedAttempts: error.attempt ?? step.attempts, nextAttemptAt: null };
}

/** How long reading the next attempt's time from Temporal may hold up GET /closes/{id}. */
const DESCRIBE_WAIT_MS = 2_000;

/** previous_period → previousPeriod: the activity a step runs as (workflows/close/step-activities.ts). */
const activityOf = (step: string) => step.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * The next attempt's time of each retrying step, from the workflow's pending activities: one
 * Temporal call for one close, made only while a step is retrying; without an answer the close is
 * shown as close_run has it.
 */
export async function withNextAttempts<C extends { workflowId: string; steps: StepView[] }>(client: Client, close: C): Promise<C> {
  if (!close.steps.some((s) => s.retrying)) return close;
  let pending;
  try {
    const described = await client.withDeadline(Date.now() + DESCRIBE_WAIT_MS, () => client.workflow.getHandle(close.workflowId).describe());
    pending = described.raw.pendingActivities ?? [];
  } catch {
    return close;
  }
  const steps = close.steps.map((step) => {
    if (!step.retrying) return step;
    // Steps run one at a time: a lone pending activity is this step's, even under an older activity name.
    const activity = pending.find((a) => a.activityType?.name === activityOf(step.name)) ?? (pending.length === 1 ? pending[0] : undefined);
    const next = optionalTsToMs(activity?.nextAttemptScheduleTime);
    if (!activity || next === undefined) return step;
    // Waiting for attempt n: n - 1 failed (close_run may lag behind when the failure was the database's).
    const failedAttempts = Math.max(step.retrying.failedAttempts, (activity.attempt ?? 1) - 1);
    return { ...step, retrying: { ...step.retrying, failedAttempts, nextAttemptAt: new Date(next).toISOString() } };
  });
  return { ...close, steps };
}
