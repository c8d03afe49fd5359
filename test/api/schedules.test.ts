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
    });
    // 01:30 on the 1st in Shanghai is 17:30 UTC on the last day of the month before.
    expect(created.body.nextActionTimes[0]).toBe('2026-11-30T17:30:00.000Z');
    expectError(await h.as('admin').post('/api/v1/schedules', { id, ledgers: ['S-1'] }), 409, 'SCHEDULE_EXISTS');

    const listed = await waitFor(async () => {
      const items = (await h.as('admin').get('/api/v1/schedules')).body.items as Array<{ id: string }>;
      return items.find((s) => s.id === id);
    }, 'the schedule in the list');
    expect(listed).toMatchObject({ scope: { parent: 'SFED' }, paused: false });

    expect((await h.as('admin').post(`/api/v1/schedules/${id}/pause`, { note: 'audit week' })).body).toMatchObject({ paused: true, note: 'audit week' });
    expect((await h.as('admin').get(`/api/v1/schedules/${id}`)).body).toMatchObject({ id, paused: true });
    expect((await h.as('admin').post(`/api/v1/schedules/${id}/unpause`)).body).toMatchObject({ paused: false });

    expect((await h.as('admin').post(`/api/v1/schedules/${id}/trigger`)).status).toBe(202);
    const run = await waitFor(
      async () =>
        (
          await rows<{ id: string; period: string; initiated_by: string; workflow_id: string }>(
            h.ds,
            `SELECT id, period, initiated_by, workflow_id FROM month_end_run WHERE workflow_id LIKE $1`,
            [`month-end:schedule-${id}%`],
          )
        )[0],
      'the triggered month-end',
    );
    // No period in the schedule's input: the run closes the month before it started, as the scheduler user.
    expect(run).toMatchObject({ period: '2026-10', initiated_by: 'system' });
    const monthEnd = await h.as('auditor').get(`/api/v1/month-ends/${encodeURIComponent(run.id)}`);
    expect(monthEnd.status).toBe(200);
    expect(monthEnd.body).toMatchObject({ id: run.id, scope: { parent: 'SFED' }, initiatedBy: 'system', summary: { total: 1 } });

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
