import { Router } from 'express';
import { getCalendar, setCalendar } from '../../books/calendar';
import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/errors';
import { caller, requirePermission } from '../auth';
import { createSubscriptionBody, ledgerParams, listDeliveriesQuery, setCalendarBody, subscriptionParams } from '../schemas';
import type { SubscriptionService } from '../services/subscription-service';
import { parse } from '../validation';

/** Deadlines and notifications (#18): subscriptions, the delivery log, and each federation's close calendar. */
export function notificationRoutes(deps: { subscriptions: SubscriptionService; dataSource: DataSource }): Router {
  const router = Router();
  const manage = requirePermission('notification:manage');
  const read = requirePermission('notification:read');

  router.post('/subscriptions', manage, async (req, res) => {
    const made = await deps.subscriptions.create(caller(req).name, parse(createSubscriptionBody, req.body), caller(req).scopeLedgerId);
    res.status(201).location(`/api/v1/subscriptions/${made.id}`).json(made);
  });

  router.get('/subscriptions', read, async (req, res) => {
    res.json(await deps.subscriptions.list(caller(req).scopeLedgerId));
  });

  router.get('/subscriptions/:id', read, async (req, res) => {
    res.json(await deps.subscriptions.get(parse(subscriptionParams, req.params).id, caller(req).scopeLedgerId));
  });

  router.delete('/subscriptions/:id', manage, async (req, res) => {
    await deps.subscriptions.remove(caller(req).name, parse(subscriptionParams, req.params).id, caller(req).scopeLedgerId);
    res.status(204).end();
  });

  router.get('/deliveries', read, async (req, res) => {
    res.json(await deps.subscriptions.deliveries(parse(listDeliveriesQuery, req.query), caller(req).scopeLedgerId));
  });

  router.get('/ledgers/:ledger/calendar', read, async (req, res) => {
    const { ledger } = parse(ledgerParams, req.params);
    const calendar = await getCalendar(deps.dataSource, ledger, caller(req).scopeLedgerId);
    if (!calendar) throw new AppError('NOT_FOUND', `Ledger "${ledger}" has no calendar of its own; it may inherit one from a parent.`, { ledger });
    res.json(calendar);
  });

  router.post('/ledgers/:ledger/calendar', manage, async (req, res) => {
    const { ledger } = parse(ledgerParams, req.params);
    res.json(await setCalendar(deps.dataSource, caller(req).name, ledger, parse(setCalendarBody, req.body), caller(req).scopeLedgerId));
  });

  return router;
}
