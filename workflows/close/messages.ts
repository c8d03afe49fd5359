import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CloseStatus } from '../../close';

/** Re-check blockers now instead of at the next interval (operations' "resume"). */
export const resumeSignal = defineSignal<[{ by: string }]>('resume');
/** Cancel with who and why; the close removes what it wrote and reopens the period. */
export const cancelSignal = defineSignal<[{ by: string; reason?: string }]>('cancel');
/** The close's full status: state, every step, blockers, errors. */
export const statusQuery = defineQuery<CloseStatus>('status');
/** A child close tells its month-end that it reached closed, blocked, failed or cancelled. */
export const closeSettledSignal = defineSignal<[{ ledger: string; closeId: string; state: 'closed' | 'blocked' | 'failed' | 'cancelled' }]>('closeSettled');
