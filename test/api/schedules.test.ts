import { randomBytes } from 'node:crypto';
import { rows } from '../../db/sql';
import { createLedger } from '../fixtures/books';
import { expectError, startApiHarness, waitFor, type ApiHarness } from './harness';

describe('automatic month-end on Temporal Schedules', () => {
  let h: ApiHarness;
  const id = `month-end-${randomBytes(3).toString('hex')}`;
  beforeAll(async () => {
    h = await startApiHarness();
    await createLedger(h.ds, { code: 'SFED', firstPeriod: '2026-08' });
    await createLedger(h.ds, { code: 'S-1', parentCode: 'SFED', firstPeriod: '2026-08', openingBalances: { '102': 10_00, '301': -10_00 } });
  });
  afterAll(async () => {
    await h?.stack.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
    await h?.stop();
  });

  it('when a schedule is created, listed, paused, unpaused, triggered, backfilled and deleted, then Temporal does each and the audit log says who', async () => {
    const created = await h
      .as('admin')
      .post('/api/v1/schedules', { id, parent: 'SFED', dayOfMonth: 1, hour: 1, minute: 30, timeZone: 'Asia/Shanghai', note: 'federation month-end' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/schedules/${id}`);
    expect(created.body).toMatchObject({
      id,
      scope: { parent: 'SFED' },
      dayOfMonth: 1,
      hour: 1,
      minute: 30,
      timeZone: 'Asia/Shanghai',
      concurrency: 5,
      paused: false,
      note: 'federation month-end',
      recentActions: [],
      lastRun: null,
    });
    // 01:30 on the 1st in Shanghai is 17:30 UTC on the last day of the month before.
    expect(created.body.nextActionTimes[0]).toBe('2026-11-30T17:30:00.000Z');
    // ... so the next run closes November, the month before its day in Shanghai.
    expect(created.body.nextPeriod).toBe('2026-11');
    expectError(await h.as('admin').post('/api/v1/schedules', { id, ledgers: ['S-1'] }), 409, 'SCHEDULE_EXISTS');

    const listed = await waitFor(async () => {
      const items = (await h.as('admin').get('/api/v1/schedules')).body.items as Array<{ id: string }>;
      return items.find((s) => s.id === id);
    }, 'the schedule in the list');
    expect(listed).toMatchObject({ scope: { parent: 'SFED' }, paused: false });

    expect((await h.as('admin').post(`/api/v1/schedules/${id}/pause`, { note: 'audit week' })).body).toMatchObject({ paused: true, note: 'audit week' });
    expect((await h.as('admin').get(`/api/v1/schedules/${id}`)).body).toMatchObject({ id, paused: true });
    expect((await h.as('admin').post(`/api/v1/schedules/${id}/unpause`)).body).toMatchObject({ paused: false });

    // Run now answers the run it started, registered at once, named after the schedule that started it.
    const triggered = await h.as('admin').post(`/api/v1/schedules/${id}/trigger`);
    expect(triggered.status).toBe(202);
    expect(triggered.body).toMatchObject({ id, monthEnd: { id: expect.stringMatching(`^month-end:schedule-${id}-`), period: '2026-10' } });
    const runId: string = triggered.body.monthEnd.id;
    expect(triggered.headers.location).toBe(`/api/v1/month-ends/${encodeURIComponent(runId)}`);
    const monthEnd = await h.as('auditor').get(`/api/v1/month-ends/${encodeURIComponent(runId)}`);
    expect(monthEnd.status).toBe(200);
    // No period in the schedule's input: the run closes the month before it started.
    expect(monthEnd.body).toMatchObject({ id: runId, period: '2026-10', scope: { parent: 'SFED' }, initiatedBy: `schedule:${id}`, summary: { total: 1 } });
    const [run] = await rows<{ workflow_id: string; initiated_by: string }>(h.ds, `SELECT workflow_id, initiated_by FROM month_end_run WHERE id = $1`, [runId]);
    expect(run).toEqual({ workflow_id: runId, initiated_by: `schedule:${id}` });
    const [started] = await rows(h.ds, `SELECT actor FROM audit_log WHERE action = 'month_end.started' AND target = $1`, [runId]);
    expect(started).toEqual({ actor: `schedule:${id}` });
    // The schedule's close acts with the scheduler's rights: authorised, it goes on to wait for August and September.
    const close = await waitFor(
      async () =>
        (
          await rows<{ state: string; initiated_by: string; blockers: Array<{ code: string }> }>(
            h.ds,
            `SELECT state, initiated_by, blockers FROM close_run WHERE month_end_id = $1 AND state <> 'running'`,
            [runId],
          )
        )[0],
      "the scheduled run's close of S-1 settled",
    );
    expect(close).toMatchObject({ state: 'blocked', initiated_by: `schedule:${id}`, blockers: [{ code: 'PREVIOUS_PERIOD_NOT_CLOSED' }] });
    const withLastRun = (await h.as('admin').get(`/api/v1/schedules/${id}`)).body;
    expect(withLastRun.lastRun).toMatchObject({ id: runId, period: '2026-10', counts: { total: 1, blocked: 1 } });
    expect((await h.as('admin').get('/api/v1/schedules')).body.items.find((s: { id: string }) => s.id === id).lastRun).toMatchObject({ id: runId });

    const backfilled = await h.as('admin').post(`/api/v1/schedules/${id}/backfill`, { from: '2026-08-15T00:00:00Z', to: '2026-10-15T00:00:00Z' });
    expect(backfilled.status).toBe(202);
    const afterBackfill = await waitFor(async () => {
      const s = (await h.as('admin').get(`/api/v1/schedules/${id}`)).body;
      return s.recentActions.length >= 3 ? s : undefined;
    }, 'the trigger and two backfilled months among the recent actions');
    expect(afterBackfill.recentActions.map((a: { scheduledAt: string }) => a.scheduledAt)).toEqual(
      expect.arrayContaining(['2026-08-31T17:30:00.000Z', '2026-09-30T17:30:00.000Z']),
    );
    // Each backfilled run closes the month before the time it was due, not the month before now.
    const periods = await waitFor(async () => {
      const found = (
        await rows<{ period: string }>(h.ds, `SELECT DISTINCT period FROM month_end_run WHERE period IN ('2026-08', '2026-09') ORDER BY period`)
      ).map((r) => r.period);
      return found.length === 2 ? found : undefined;
    }, 'the backfilled months closed for their own periods');
    expect(periods).toEqual(['2026-08', '2026-09']);

    expect((await h.as('admin').delete(`/api/v1/schedules/${id}`)).status).toBe(204);
    expectError(await h.as('admin').get(`/api/v1/schedules/${id}`), 404, 'SCHEDULE_NOT_FOUND');
    expectError(await h.as('admin').post(`/api/v1/schedules/${id}/trigger`), 404, 'SCHEDULE_NOT_FOUND');

    const audit = await rows<{ action: string; actor: string }>(h.ds, `SELECT action, actor FROM audit_log WHERE target = $1 ORDER BY id`, [id]);
    expect(audit.map((a) => `${a.action}:${a.actor}`)).toEqual([
      'schedule.created:admin',
      'schedule.paused:admin',
      'schedule.unpaused:admin',
      'schedule.triggered:admin',
      'schedule.backfilled:admin',
      'schedule.deleted:admin',
    ]);
  });
});
