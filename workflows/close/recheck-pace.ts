import type { Blocker } from '../../close';

/** How long a blocked close waits before its next re-check, and the blockers that wait was for. */
export interface RecheckPace {
  waitMs: number;
  /** The blockers' codes and counts, to tell whether anything changed since the last wait. */
  blockers: string;
}

/** The same blockers again: wait twice as long (up to maxMs); anything changed: wait baseMs. */
export function nextPace(pace: RecheckPace, blockers: Blocker[], baseMs: number, maxMs: number): RecheckPace {
  const key = blockers.map((b) => `${b.step}:${b.code}:${b.total}`).join(',');
  if (key !== pace.blockers || pace.blockers === '') return { waitMs: baseMs, blockers: key };
  return { waitMs: Math.min(pace.waitMs * 2, maxMs), blockers: key };
}
