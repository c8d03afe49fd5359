import type { RetryPolicy } from '@temporalio/common';
import type { Config } from '../lib/config';

/**
 * Timing of a close, chosen by whoever starts it (from the service's config) and fixed in the
 * workflow's input, since workflow code cannot read the environment.
 */
export interface CloseSettings {
  /** How long a blocked close waits before re-checking by itself. */
  recheckMs: number;
  /**
   * Longest wait between re-checks: a close whose blockers stay the same waits twice as long each
   * time, from recheckMs up to this; changed blockers or an act (resume) bring it back to recheckMs.
   * Unset: every wait is recheckMs.
   */
  recheckMaxMs?: number;
  /** First retry delay of a failed step; doubles up to retryMaxMs. Retries never stop for technical failures. */
  retryInitialMs: number;
  retryMaxMs: number;
  /** A step that has not heartbeated for this long is presumed lost with its worker and retried elsewhere. */
  heartbeatTimeoutMs: number;
  /** Longest single attempt of a step. */
  stepTimeoutMs: number;
  /**
   * A blocked close continues as new after this many re-checks in one run, carrying its status, so
   * its history stays short however long it waits. Unset: only when Temporal suggests it.
   */
  maxRechecksPerRun?: number;
}

export const defaultCloseSettings: CloseSettings = {
  recheckMs: 5 * 60_000,
  retryInitialMs: 1_000,
  retryMaxMs: 60_000,
  heartbeatTimeoutMs: 60_000,
  stepTimeoutMs: 30 * 60_000,
};

/**
 * How a step is retried: with back-off from retryInitialMs to retryMaxMs. Which failures are not
 * retried is decided where they are thrown (the error table's `retryable`, applied by the worker's
 * activity interceptor), so no list of codes rides in every scheduled activity's history event.
 */
export function stepRetry(s: CloseSettings): RetryPolicy {
  return { initialInterval: s.retryInitialMs, maximumInterval: s.retryMaxMs, backoffCoefficient: 2 };
}

/** The timings a close is started with, from the service's configuration. */
export function closeSettingsFromConfig(config: Config): CloseSettings {
  return {
    ...defaultCloseSettings,
    recheckMs: config.CLOSE_RECHECK_MS,
    recheckMaxMs: Math.max(config.CLOSE_RECHECK_MS, config.CLOSE_RECHECK_MAX_MS),
    retryInitialMs: config.CLOSE_RETRY_INITIAL_MS,
    retryMaxMs: config.CLOSE_RETRY_MAX_MS,
  };
}
