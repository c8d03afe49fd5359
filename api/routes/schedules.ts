import { Router } from 'express';
import { caller, requirePermission } from '../auth';
import { backfillBody, createScheduleBody, scheduleNoteBody, scheduleParams, triggerBody } from '../schemas';
import type { ScheduleService } from '../services/schedule-service';
import { parse } from '../validation';

/** Automatic month-end schedules (Temporal Schedules), all under schedule:manage. */
export function scheduleRoutes(deps: { schedules: ScheduleService }): Router {
  const router = Router();
  router.use('/schedules', requirePermission('schedule:manage'));

  router.get('/schedules', async (req, res) => {
    res.json(await deps.schedules.list(caller(req)));
  });

  router.post('/schedules', async (req, res) => {
    const schedule = await deps.schedules.create(caller(req), parse(createScheduleBody, req.body));
    res.status(201).location(`/api/v1/schedules/${schedule.id}`).json(schedule);
  });

  router.get('/schedules/:id', async (req, res) => {
    res.json(await deps.schedules.get(caller(req), parse(scheduleParams, req.params).id));
  });

  router.delete('/schedules/:id', async (req, res) => {
    await deps.schedules.remove(caller(req), parse(scheduleParams, req.params).id);
    res.status(204).end();
  });

  router.post('/schedules/:id/pause', async (req, res) => {
    const { id } = parse(scheduleParams, req.params);
    const { note } = parse(scheduleNoteBody, req.body);
    res.json(await deps.schedules.pause(caller(req), id, note));
  });

  router.post('/schedules/:id/unpause', async (req, res) => {
    const { id } = parse(scheduleParams, req.params);
    const { note } = parse(scheduleNoteBody, req.body);
    res.json(await deps.schedules.unpause(caller(req), id, note));
  });

  router.post('/schedules/:id/trigger', async (req, res) => {
    const { id } = parse(scheduleParams, req.params);
    parse(triggerBody, req.body);
    const triggered = await deps.schedules.trigger(caller(req), id);
    // Location names the month-end run it started, when Temporal took the action within the wait.
    if (triggered.monthEnd) res.location(`/api/v1/month-ends/${encodeURIComponent(triggered.monthEnd.id)}`);
    res.status(202).json(triggered);
  });

  router.post('/schedules/:id/backfill', async (req, res) => {
    const { id } = parse(scheduleParams, req.params);
    res.status(202).json(await deps.schedules.backfill(caller(req), id, parse(backfillBody, req.body)));
  });

  return router;
}
