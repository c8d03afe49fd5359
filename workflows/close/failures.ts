import { ActivityFailure, ApplicationFailure, isCancellation, TemporalFailure } from '@temporalio/workflow';
import { endsTheClose } from '../../lib/errors';

/** A step that failed on a business rule (non-retryable, with a code); anything else is not ours to end. */
export function businessFailure(err: unknown): ApplicationFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && endsTheClose(cause) ? cause : undefined;
}

/**
 * A local attempt that gave up on a technical failure (a time-out, its attempts spent): the step goes
 * on as an ordinary activity. A business failure or a cancellation is the close's to handle, as before.
 * (A local activity's failure reaches the workflow as its cause itself, an ApplicationFailure or a
 * TimeoutFailure, not wrapped in an ActivityFailure as an ordinary activity's is.)
 */
export function technicalFailure(err: unknown): boolean {
  return err instanceof TemporalFailure && !isCancellation(err) && !businessFailure(err);
}
