/**
 * The close's contract, in one place: its steps, states, blockers and timing. Types and constants
 * only, safe inside the workflow sandbox; every layer imports it, it imports nothing of theirs. The
 * error codes a close records are lib/errors.ts's (one table for every layer).
 */
export * from './steps';
export * from './blockers';
export * from './status';
export * from './settings';
