import { Router } from 'express';
import { caller, requirePermission } from '../auth';
import { listMonthEndsQuery, monthEndParams, startMonthEndBody } from '../schemas';
import type { MonthEndService } from '../services/month-end-service';
import { parse } from '../validation';

export function monthEndRoutes(deps: { monthEnds: MonthEndService }): Router {
  const router = Router();

  router.post('/month-ends', requirePermission('month_end:start'), async (req, res) => {
    const monthEnd = await deps.monthEnds.start(caller(req), parse(startMonthEndBody, req.body));
    res.status(202).location(`/api/v1/month-ends/${monthEnd.id}`).json(monthEnd);
  });

  router.get('/month-ends', requirePermission('month_end:read'), async (req, res) => {
    res.json(await deps.monthEnds.list(caller(req), parse(listMonthEndsQuery, req.query)));
  });

  router.get('/month-ends/:id', requirePermission('month_end:read'), async (req, res) => {
    res.json(await deps.monthEnds.get(caller(req), parse(monthEndParams, req.params).id));
  });

  return router;
}
