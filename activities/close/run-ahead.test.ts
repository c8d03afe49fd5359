import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { CLOSE_STEPS, LOCK_INDEX, type StepName } from '../../close';

import type { StepOutcome } from './record-step';
import { createRunAhead, type RunAheadInput, type RunAheadResult } from './run-ahead';
import type { AuthoriseInput } from './steps/authorise';

/**
 * Run-ahead's loop on its own, in an activity context (cancellation comes through it): which steps it
 * runs, and where it stops. The workflow's side (taking the outcomes, running the rest step by step)
 * is in test/close/ against a real server.
 */
type Step = (input: AuthoriseInput) => Promise<StepOutcome>;

const clean = (): StepOutcome => ({ blockers: [], attempts: 1, startedAt: '2026-10-01T00:00:00Z', endedAt: '2026-10-01T00:00:00Z' });
const blocked = (step: StepName): StepOutcome => ({ ...clean(), blockers: [{ step, code: 'DRAFT_VOUCHERS', message: 'drafts', items: [] }] as never });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every step clean unless `behave` says otherwise; `ran` lists the steps called, in order. */
function steps(behave: Partial<Record<StepName, Step>> = {}): { steps: Record<StepName, Step>; ran: StepName[] } {
  const ran: StepName[] = [];
  const all = Object.fromEntries(
    CLOSE_STEPS.map((name) => [
      name,
      async (input: AuthoriseInput) => {
        ran.push(name);
        return behave[name] ? behave[name](input) : clean();
      },
    ]),
  ) as Record<StepName, Step>;
  return { steps: all, ran };
}

/** Runs run-ahead over `s` in an activity context (the environment's `cancel()` cancels it). */
const run = (s: Record<StepName, Step>, from: RunAheadInput, budgetMs?: number, env = new MockActivityEnvironment()) =>
  env.run(createRunAhead(s, budgetMs), from) as Promise<RunAheadResult>;

const input: RunAheadInput = { closeId: 'c1', ledger: 'L1', period: '2026-09', initiatedBy: 'manager', monthEndId: 'me1', from: 0 };

describe('run-ahead', () => {
  it('when every step is clean, then it runs every step but lock, in order, and hands the month-end only to authorise', async () => {
    const seen: Array<string | null | undefined> = [];
    const s = steps({
      authorise: async (i) => (seen.push(i.monthEndId), clean()),
      previous_period: async (i) => (seen.push(i.monthEndId), clean()),
    });
    const result = await run(s.steps, input);
    expect(s.ran).toEqual(CLOSE_STEPS.slice(0, LOCK_INDEX));
    expect(result.outcomes).toHaveLength(LOCK_INDEX);
    expect(result.failure).toBeUndefined();
    expect(seen).toEqual(['me1', undefined]);
  });

  it('when a check blocks, then the other checks still run and neither backup nor carry forward does', async () => {
    const s = steps({ pending_approvals: async () => blocked('pending_approvals') });
    const result = await run(s.steps, { ...input, from: 1 });
    expect(s.ran).toEqual(['previous_period', 'pending_approvals', 'reimbursements', 'fund_transfers', 'invoice_sync', 'reconciliation', 'trial_balance']);
    expect(result.outcomes[1].blockers).toHaveLength(1);
  });

  it('when a step fails on a technical cause, then it stops there and says the step was tried once', async () => {
    const s = steps({ invoice_sync: async () => Promise.reject(new Error('tax platform down')) });
    const result = await run(s.steps, input);
    expect(s.ran.at(-1)).toBe('invoice_sync');
    expect(result).toEqual({ outcomes: expect.any(Array), nextTried: true });
    expect(result.outcomes).toHaveLength(CLOSE_STEPS.indexOf('invoice_sync'));
  });

  it("when a step fails on a business rule, then it stops there and returns the rule's code for the close to fail with", async () => {
    const s = steps({ carry_forward: async () => Promise.reject(ApplicationFailure.nonRetryable('closed meanwhile', 'PERIOD_ALREADY_CLOSED')) });
    const result = await run(s.steps, input);
    expect(result.failure).toEqual({ type: 'PERIOD_ALREADY_CLOSED', message: 'closed meanwhile' });
    expect(result.nextTried).toBeUndefined();
  });

  it('when its time budget is spent, then it starts no further step and leaves the rest to the close, step by step', async () => {
    const slow = async () => (await sleep(60), clean());
    const s = steps({ authorise: slow, previous_period: slow, pending_approvals: slow });
    const result = await run(s.steps, input, 100);
    // 60 ms, 120 ms: past the budget after the second step, so the third never starts.
    expect(s.ran).toEqual(['authorise', 'previous_period']);
    expect(result).toEqual({ outcomes: [expect.any(Object), expect.any(Object)] });
  });

  it('when the close is cancelled while a step runs, then that step ends and no further step starts: nothing more is written', async () => {
    const env = new MockActivityEnvironment();
    let entered!: () => void;
    const inReconciliation = new Promise<void>((r) => (entered = r));
    const s = steps({ reconciliation: async () => (entered(), await sleep(100), clean()) });
    const running = run(s.steps, input, undefined, env);
    await inReconciliation;
    env.cancel();
    const result = await running;
    expect(s.ran.at(-1)).toBe('reconciliation');
    expect(s.ran).not.toContain('backup');
    expect(result.outcomes).toHaveLength(CLOSE_STEPS.indexOf('reconciliation') + 1);
  });
});
