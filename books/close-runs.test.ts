import { randomUUID } from 'node:crypto';
import { CLOSE_STEPS, type Blocker, type StepName } from '../close';
import { one } from '../db/sql';
import { createLedger } from '../test/fixtures/books';
import { useTestDatabase } from '../test/helpers/database';
import { markStepsEnded, registerCloseRun, type StepEnd } from './close-runs';

const t = useTestDatabase(2);

const blocker = (step: StepName, n: number): Blocker =>
  ({ code: 'VOUCHER_SUBMITTED', step, message: `${step} ${n}`, owner: 'finance_manager', owners: [], items: [], total: n }) as Blocker;

/** A small deterministic generator (mulberry32): the same trials on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe("steps' ends written together (run-ahead's held ends)", () => {
  it('when several steps end in one statement, then close_run is exactly as their ends written one by one would leave it (200 generated sequences)', async () => {
    const a = await createLedger(t.ds, { code: 'ENDS-A', firstPeriod: '2020-01' });
    const b = await createLedger(t.ds, { code: 'ENDS-B', firstPeriod: '2020-01' });
    const next = random(20261129);
    const pick = (n: number) => Math.floor(next() * n);
    const runOf = (closeId: string) =>
      one<{ state: string; current_step: string | null; steps: unknown; blockers: unknown }>(
        t.ds,
        `SELECT state, current_step, steps, blockers FROM close_run WHERE id = $1`,
        [closeId],
      );
    for (let trial = 0; trial < 200; trial++) {
      const period = `${2020 + Math.floor(trial / 12)}-${String((trial % 12) + 1).padStart(2, '0')}`;
      const ids = [randomUUID(), randomUUID()];
      for (const [k, l] of [a, b].entries())
        await registerCloseRun(t.ds, { closeId: ids[k], workflowId: `close:${l.code}:${period}`, ledgerId: l.id, period, initiatedBy: 'test' });
      const at = (i: number) => `2026-10-01T00:00:${String(i).padStart(2, '0')}.000Z`;
      // A history first (blocked checks, a backup that blocked, …), the same on both runs.
      for (let h = pick(6); h > 0; h--) {
        const step = CLOSE_STEPS[pick(CLOSE_STEPS.length)];
        const blocked = next() < 0.5 ? [blocker(step, h)] : [];
        for (const id of ids) await markStepsEnded(t.ds, id, [{ step, endedAt: at(h), attempt: 1, startedAt: at(0) }], blocked);
      }
      // Then steps in order, every one clean but perhaps the last: one by one on the first run, together on the second.
      const from = pick(CLOSE_STEPS.length);
      const steps = CLOSE_STEPS.slice(from).filter(() => next() < 0.6);
      if (steps.length === 0) steps.push(CLOSE_STEPS[from]);
      const ends: StepEnd[] = steps.map((step, k) => ({ step, endedAt: at(10 + k), ...(next() < 0.8 ? { attempt: 1 + pick(3), startedAt: at(9) } : {}) }));
      const lastBlocked = next() < 0.4 ? [blocker(steps[steps.length - 1], 99)] : [];
      for (const [k, end] of ends.entries()) await markStepsEnded(t.ds, ids[0], [end], k === ends.length - 1 ? lastBlocked : []);
      const starts = await markStepsEnded(t.ds, ids[1], ends, lastBlocked);

      const [oneByOne, together] = [await runOf(ids[0]), await runOf(ids[1])];
      expect({ trial, ...together }).toEqual({ trial, ...oneByOne });
      // Each end's first start, in the ends' order, as the run now keeps it.
      const kept = together!.steps as Array<{ startedAt: string | null }>;
      expect(starts).toEqual(ends.map((e) => kept[CLOSE_STEPS.indexOf(e.step)].startedAt ?? e.endedAt));
    }
  });
});
