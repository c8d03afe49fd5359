import { BLOCKER_CODES, CLOSE_STEPS } from '../close';
import { ErrorCodes } from '../lib/errors';
import { LABELS } from './labels';

const CLOSE_STATES = ['running', 'blocked', 'failed', 'cancelled', 'closed'];
const STEP_STATES = ['pending', 'running', 'blocked', 'done', 'failed', 'cancelled'];

describe('the labels of every code, in both languages', () => {
  const keys = [
    ...CLOSE_STEPS.map((s) => `step.${s}`),
    ...BLOCKER_CODES.map((c) => `blocker.${c}`),
    ...Object.keys(ErrorCodes).map((c) => `error.${c}`),
    ...[...CLOSE_STATES, ...STEP_STATES].map((s) => `state.${s}`),
  ];

  it.each(keys)('%s has a Chinese and an English label', (key) => {
    const pair = (LABELS as Record<string, readonly [string, string]>)[key];
    expect(pair).toBeDefined();
    const [zh, en] = pair;
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(en).toMatch(/^[\x20-\x7e]+$/);
  });

  it('when a label is for a code that no longer exists, then the test says so (no stale labels)', () => {
    const known = new Set([
      ...CLOSE_STEPS.map((s) => `step.${s}`),
      ...BLOCKER_CODES.map((c) => `blocker.${c}`),
      ...Object.keys(ErrorCodes).map((c) => `error.${c}`),
    ]);
    const stale = Object.keys(LABELS).filter((k) => /^(step|blocker|error)\./.test(k) && !known.has(k));
    expect(stale).toEqual([]);
  });
});

describe('the labels of every act a blocker offers', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ACTION_IDS } = require('../api/services/blocker-actions') as { ACTION_IDS: readonly string[] };
  it.each([...ACTION_IDS])('action.%s has a Chinese and an English label', (id) => {
    const pair = (LABELS as Record<string, readonly [string, string]>)[`action.${id}`];
    expect(pair?.[0]).toMatch(/[\u4e00-\u9fff]/);
    expect(pair?.[1]).toMatch(/^[\x20-\x7e]+$/);
  });
});
