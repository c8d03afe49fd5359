import { ApplicationFailure } from '@temporalio/common';
import { AppError, isRetryableCode } from '../lib/errors';
import { fromDatabaseError, isConnectionError } from '../db/pg-errors';

/**
 * The one conversion of what an activity threw into what Temporal records, applied to every
 * activity by the worker's interceptor (worker/activity-failure-interceptor.ts):
 * - an AppError, or a rule the database enforced (fromDatabaseError), becomes an ApplicationFailure
 *   whose type is its stable code and which is non-retryable unless the error table says waiting
 *   can help (`retryable` in lib/errors.ts): a data error or a broken rule fails at once;
 * - an ApplicationFailure already carrying a code gets that code's retryability;
 * - a lost database connection becomes a retryable DATABASE_UNAVAILABLE;
 * - anything else (a time-out, a bug) passes as it is, for Temporal to retry with back-off.
 */
export function asActivityFailure(raw: unknown): unknown {
  const err = fromDatabaseError(raw);
  if (err instanceof AppError) {
    return ApplicationFailure.create({
      type: err.code,
      message: err.message,
      details: err.details === undefined ? [] : [err.details],
      nonRetryable: !isRetryableCode(err.code),
    });
  }
  if (err instanceof ApplicationFailure && err.type && !err.nonRetryable && !isRetryableCode(err.type)) {
    return ApplicationFailure.create({ type: err.type, message: err.message, details: err.details ?? [], nonRetryable: true, cause: err.cause });
  }
  if (isConnectionError(err)) return ApplicationFailure.create({ type: 'DATABASE_UNAVAILABLE', message: (err as Error).message, nonRetryable: false });
  return err;
}

/** The stable code a failure is recorded under (close_run's step errors): its own, or INTERNAL. */
export function failureCode(raw: unknown): string {
  const err = fromDatabaseError(raw);
  if (err instanceof AppError) return err.code;
  if (isConnectionError(err)) return 'DATABASE_UNAVAILABLE';
  return (err as { type?: string } | null)?.type ?? 'INTERNAL';
}
