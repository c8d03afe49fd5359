import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { registerCloseRun } from '../../books/close-runs';
import { CLOSE_STEPS, LOCK_INDEX, type StepName } from '../../close';
import { one, rows } from '../../db/sql';
import { createLogger } from '../../lib/logger';
import { createLedger } from '../../test/fixtures/books';
import { useTestDatabase } from '../../test/helpers/database';
import type { ActivityDeps } from './deps';
import { recordedStep } from './record-step';
import { createRunAhead, type RunAheadResult } from './run-ahead';

const t = useTestDatabase(2);

/**
 * Run-ahead's steps as record-step wraps them, against the real close_run: how many writes their
 * ends cost, and what the run shows after. Each step's work only waits `ms`.
 */
describe('the ends of steps run ahead, held and written together', () => {
  let ledger: { id: number; code: string };
  beforeAll(async () => {
    ledger = await createLedger(t.ds, { code: 'HELD', firstPeriod: '2026-01' });
    await t.ds.query(`CREATE TABLE IF NOT EXISTS held_write (close_id text NOT NULL)`);
    await t.ds.query(`CREATE OR REPLACE FUNCTION count_held_write() RETURNS trigger LANGUAGE plpgsql AS $$
                      BEGIN INSERT INTO held_write VALUES (NEW.id); RETURN NULL; END $$`);
    await t.ds.query(`CREATE OR REPLACE TRIGGER held_write AFTER UPDATE ON close_run FOR EACH ROW EXECUTE FUNCTION count_held_write()`);
  });

  async function runAhead(period: string, ms: number, shownAfterMs: number): Promise<{ closeId: string; result: RunAheadResult; writes: number }> {
    const closeId = randomUUID();
    await registerCloseRun(t.ds, { closeId, workflowId: `close:HELD:${period}`, ledgerId: ledger.id, period, initiatedBy: 'test' });
    const deps = { dataSource: t.ds, logger: createLogger('silent'), stepStartShownAfterMs: shownAfterMs, heartbeatEveryMs: 1_000 } as ActivityDeps;
    const steps = Object.fromEntries(
      CLOSE_STEPS.map((name) => [name, recordedStep(deps, name, async () => (await new Promise((r) => setTimeout(r, ms)), {}))]),
    ) as Record<StepName, ReturnType<typeof recordedStep>>;
    const result = (await new MockActivityEnvironment().run(createRunAhead(steps), {
      closeId,
      ledger: 'HELD',
      period,
      initiatedBy: 'test',
      from: 0,
    })) as RunAheadResult;
    const writes = await one<{ n: number }>(t.ds, `SELECT count(*)::int AS n FROM held_write WHERE close_id = $1`, [closeId]);
    return { closeId, result, writes: writes!.n };
  }

  async function expectAllDone(closeId: string, result: RunAheadResult): Promise<void> {
    const [run] = await rows<{ steps: Array<{ name: string; state: string; attempts: number; startedAt: string; endedAt: string }> }>(
      t.ds,
      `SELECT steps FROM close_run WHERE id = $1`,
      [closeId],
    );
    const ran = run.steps.slice(0, LOCK_INDEX);
    expect(ran.map((s) => [s.name, s.state, s.attempts])).toEqual(CLOSE_STEPS.slice(0, LOCK_INDEX).map((n) => [n, 'done', 1]));
    for (const s of ran) expect(Date.parse(s.startedAt)).toBeLessThanOrEqual(Date.parse(s.endedAt));
    // Each outcome carries its step's start as close_run keeps it.
    expect(result.outcomes.map((o) => o.startedAt)).toEqual(ran.map((s) => s.startedAt));
  }

  it('when every step ends at once, then the ten ends are written by one statement', async () => {
    const { closeId, result, writes } = await runAhead('2026-01', 0, 1_000);
    expect(result.outcomes).toHaveLength(LOCK_INDEX);
    expect(writes).toBe(1);
    await expectAllDone(closeId, result);
  });

  it('when the steps take longer together than a moment, then the ends held are written as each moment passes, not all at the end', async () => {
    // Ten steps of 40 ms against a moment of 100 ms: the ends go out every few steps.
    const { closeId, result, writes } = await runAhead('2026-02', 40, 100);
    expect(writes).toBeGreaterThanOrEqual(2);
    expect(writes).toBeLessThan(LOCK_INDEX * 2);
    await expectAllDone(closeId, result);
  });
});
