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

describe('the labels of what the close report lists as done to clear blockers', () => {
  // Every voucher state's audit entry (books_audit('voucher.' || state)), and what the acts write.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { COLUMN_VALUES } = require('../db/schema') as { COLUMN_VALUES: Record<string, readonly string[]> };
  const actions = [
    ...COLUMN_VALUES['voucher.state'].map((s) => `voucher.${s}`),
    'voucher.prepared',
    'voucher.voided',
    'reimbursement.paid',
    'reimbursement.deferred',
    'reimbursement.posted',
    'transfer.asked',
    'transfer.resent',
    'transfer.written_off',
    'invoice.corrected',
    'invoice.difference_accepted',
    'invoice.recorded_from_platform',
    'invoices.synced',
    'balance.openings_aligned',
  ];
  it.each(actions)('audit.%s has a Chinese and an English label', (action) => {
    const pair = (LABELS as Record<string, readonly [string, string]>)[`audit.${action}`];
    expect(pair?.[0]).toMatch(/[\u4e00-\u9fff]/);
    expect(pair?.[1]).toMatch(/^[\x20-\x7e]+$/);
  });
});
