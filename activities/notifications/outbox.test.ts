import { randomUUID } from 'node:crypto';
import type { Blocker, StepName } from '../../close';
import { markEnded, markStepFailed, markStepStarted, markStepsEnded, registerCloseRun } from '../../books/close-runs';
import { setCalendar } from '../../books/calendar';
import { one, rows } from '../../db/sql';
import { createLedger } from '../../test/fixtures/books';
import { useTestDatabase } from '../../test/helpers/database';
import type { ActivityDeps } from '../close/deps';
import { createOutboxActivities } from './outbox';

const t = useTestDatabase(2);
const outbox = () => createOutboxActivities({ dataSource: t.ds } as ActivityDeps);
/** One step's end, as a step run on its own records it. */
const markStepEnded = (closeId: string, step: StepName, blockers: Blocker[]) =>
  markStepsEnded(t.ds, closeId, [{ step, endedAt: new Date().toISOString() }], blockers);

const blocker = (code: Blocker['code'], step: Blocker['step'], total: number): Blocker => ({
  code,
  step,
  message: code,
  owner: 'finance_manager',
  owners: [{ user: 'zhou.qiang', count: total }],
  items: [],
  total,
});

async function newClose(ledger: { id: number; code: string }, period = '2026-09'): Promise<string> {
  const closeId = randomUUID();
  await registerCloseRun(t.ds, { closeId, workflowId: `close:${ledger.code}:${period}`, ledgerId: ledger.id, period, initiatedBy: 'test' });
  return closeId;
}

const eventsOf = (closeId: string) =>
  rows<{ event: string; superseded: boolean }>(t.ds, `SELECT event, superseded FROM notification_event WHERE close_id = $1 ORDER BY id`, [closeId]);

describe('the notification outbox, as the database and the dispatcher keep it', () => {
  let ledger: { id: number; code: string };
  beforeAll(async () => {
    ledger = await createLedger(t.ds, { code: 'OUT1', firstPeriod: '2026-09' });
    await t.ds.query(
      `INSERT INTO notification_subscription (channel, target, secret, events, created_by) VALUES ('webhook', 'http://127.0.0.1:1/', 'x', $1, 'test')`,
      [['close.blocked', 'close.failed', 'close.late', 'close.due_soon', 'month_end.finished', 'external.down']],
    );
  });

  it('when the checks of one pass block one after the other, then only the last set of blockers is delivered, and re-checks add nothing', async () => {
    const id = await newClose(ledger);
    await markStepEnded(id, 'pending_approvals', [blocker('VOUCHER_SUBMITTED', 'pending_approvals', 2)]);
    await markStepEnded(id, 'reimbursements', [blocker('REIMBURSEMENT_UNPAID', 'reimbursements', 1)]);
    expect(await eventsOf(id)).toEqual([
      { event: 'close.blocked', superseded: true },
      { event: 'close.blocked', superseded: false },
    ]);
    // A re-check: each check ends again with the same blockers (they come back in another order).
    await markStepStarted(t.ds, id, 'pending_approvals', 1);
    await markStepEnded(id, 'pending_approvals', [blocker('VOUCHER_SUBMITTED', 'pending_approvals', 2)]);
    await markStepEnded(id, 'reimbursements', [blocker('REIMBURSEMENT_UNPAID', 'reimbursements', 1)]);
    expect(await eventsOf(id)).toHaveLength(2);

    await outbox().fanOutNotifications({ settleMs: 0 });
    await outbox().fanOutNotifications({ settleMs: 0 });
    const deliveries = await rows<{ event: string }>(
      t.ds,
      `SELECT e.event FROM notification_delivery d JOIN notification_event e ON e.id = d.event_id WHERE e.close_id = $1`,
      [id],
    );
    expect(deliveries).toEqual([{ event: 'close.blocked' }]);

    // Fewer blockers is news: one more event.
    await markStepEnded(id, 'pending_approvals', []);
    expect(await eventsOf(id)).toHaveLength(3);
  });

  it('when an event is younger than the settling time, then it is not fanned out yet', async () => {
    const id = await newClose({ id: (await createLedger(t.ds, { code: 'OUT2', firstPeriod: '2026-09' })).id, code: 'OUT2' });
    await markStepEnded(id, 'reimbursements', [blocker('REIMBURSEMENT_UNPAID', 'reimbursements', 1)]);
    await outbox().fanOutNotifications({ settleMs: 60_000 });
    expect(await one(t.ds, `SELECT fanned_out_at FROM notification_event WHERE close_id = $1`, [id])).toEqual({ fanned_out_at: null });
  });

  it('when a blocked close is still in its check pass (a step running), then its notice waits, but not for ever', async () => {
    const id = await newClose({ id: (await createLedger(t.ds, { code: 'OUT2B', firstPeriod: '2026-09' })).id, code: 'OUT2B' });
    await markStepEnded(id, 'pending_approvals', [blocker('VOUCHER_SUBMITTED', 'pending_approvals', 1)]);
    await markStepStarted(t.ds, id, 'invoice_sync', 1);
    const fannedOut = async () =>
      (await one<{ f: boolean }>(t.ds, `SELECT fanned_out_at IS NOT NULL AS f FROM notification_event WHERE close_id = $1`, [id]))!.f;
    await t.ds.query(`UPDATE notification_event SET occurred_at = now() - interval '2 seconds' WHERE close_id = $1`, [id]);
    await outbox().fanOutNotifications({ settleMs: 1_000 });
    expect(await fannedOut()).toBe(false);
    await t.ds.query(`UPDATE notification_event SET occurred_at = now() - interval '30 seconds' WHERE close_id = $1`, [id]);
    await outbox().fanOutNotifications({ settleMs: 1_000 });
    expect(await fannedOut()).toBe(true);
  });

  it('when a close fails, then one close.failed; when a newer close supersedes it, then none', async () => {
    const other = await createLedger(t.ds, { code: 'OUT3', firstPeriod: '2026-09' });
    const first = await newClose(other);
    await t.ds.transaction((em) => markEnded(em, first, 'failed', { code: 'SNAPSHOT_MISMATCH', message: 'm', step: 'backup', attempt: 1, at: 'now' }));
    expect(await eventsOf(first)).toEqual([{ event: 'close.failed', superseded: false }]);
    const second = await newClose(other, '2026-10');
    await newClose(other, '2026-10'); // supersedes `second`
    expect(await eventsOf(second)).toEqual([]);
  });

  it('when a month-end finishes, then one month_end.finished with its counts', async () => {
    await t.ds.query(
      `INSERT INTO month_end_run (id, workflow_id, period, scope, initiated_by, ledger_count) VALUES ('me-1', 'me-1', '2026-09', '{"ledgers":["OUT1"]}', 'test', 1)`,
    );
    await t.ds.query(`UPDATE month_end_run SET state = 'completed', ended_at = now() WHERE id = 'me-1'`);
    await t.ds.query(`UPDATE month_end_run SET ended_at = now() WHERE id = 'me-1'`);
    const found = await rows<{ payload: Record<string, unknown> }>(t.ds, `SELECT payload FROM notification_event WHERE event = 'month_end.finished'`);
    expect(found).toEqual([{ payload: expect.objectContaining({ monthEndId: 'me-1', state: 'completed', ledgers: 1, counts: {} }) }]);
  });

  it('when a close waits on the bank for longer than the threshold, then one external.down for the outage', async () => {
    const other = await createLedger(t.ds, { code: 'OUT4', firstPeriod: '2026-09' });
    const id = await newClose(other);
    await markStepStarted(t.ds, id, 'fund_transfers', 1);
    for (const attempt of [1, 2]) await markStepFailed(t.ds, id, 'fund_transfers', { code: 'BANK_UNAVAILABLE', message: 'down', attempt });
    // As if the step had been failing for twenty minutes.
    await t.ds.query(
      `UPDATE close_run SET errors = (SELECT jsonb_agg(e || jsonb_build_object('at', to_char(now() - interval '20 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))) FROM jsonb_array_elements(errors) e),
         steps = jsonb_set(steps, '{4,startedAt}', to_jsonb(to_char(now() - interval '21 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
       WHERE id = $1`,
      [id],
    );
    expect(await outbox().scanDeadlines({ dueSoonMs: 1, externalDownMs: 30 * 60_000 })).toEqual({ added: 0 });
    expect(await outbox().scanDeadlines({ dueSoonMs: 1, externalDownMs: 15 * 60_000 })).toEqual({ added: 1 });
    expect(await outbox().scanDeadlines({ dueSoonMs: 1, externalDownMs: 15 * 60_000 })).toEqual({ added: 0 });
    const [down] = await rows<{ payload: Record<string, unknown> }>(t.ds, `SELECT payload FROM notification_event WHERE event = 'external.down'`);
    expect(down.payload).toMatchObject({ system: 'bank', code: 'BANK_UNAVAILABLE', closes: 1 });
  });

  it('when a close is past its due time or near it, then close.late or close.due_soon, once per ledger and period', async () => {
    const fed = await createLedger(t.ds, { code: 'OUT-FED', firstPeriod: '2026-01' });
    const late = await createLedger(t.ds, { code: 'OUT5', parentCode: 'OUT-FED', firstPeriod: '2026-09' });
    await setCalendar(t.ds, 'test', fed.code, { workingDay: 1, timeZone: 'UTC', holidays: [], workdays: [] });
    const id = await newClose(late);
    const far = await newClose(late, '2099-01');
    await outbox().scanDeadlines({ dueSoonMs: 1, externalDownMs: 3_600_000 });
    await outbox().scanDeadlines({ dueSoonMs: 1, externalDownMs: 3_600_000 });
    expect(await eventsOf(id)).toEqual([{ event: 'close.late', superseded: false }]);
    expect(await eventsOf(far)).toEqual([]);
    await outbox().scanDeadlines({ dueSoonMs: 100 * 365 * 86_400_000, externalDownMs: 3_600_000 });
    expect(await eventsOf(far)).toEqual([{ event: 'close.due_soon', superseded: false }]);
  });
});
