import { Router } from 'express';
import { caller, requirePermission } from '../auth';
import type { ApiMetrics } from '../metrics';
import { cancelBody, closeParams, listClosesQuery, resumeBody, startCloseBody } from '../schemas';
import type { CloseService } from '../services/close-service';
import { presentClose } from '../services/blocker-actions';
import { languageOf } from '../language';
import { parse } from '../validation';

export function closeRoutes(deps: { closes: CloseService; metrics: ApiMetrics }): Router {
  const router = Router();

  router.post('/closes', requirePermission('close:start'), async (req, res) => {
    const body = parse(startCloseBody, req.body);
    const { created, close } = await deps.closes.start(caller(req), body);
    if (created) deps.metrics.closesStarted.inc({ source: 'api' });
    res
      .status(created ? 202 : 200)
      .location(`/api/v1/closes/${close.id}`)
      .json(presentClose(close, caller(req), languageOf(req)));
  });

  router.get('/closes', requirePermission('close:read'), async (req, res) => {
    const page = await deps.closes.list(caller(req), parse(listClosesQuery, req.query));
    res.json({ ...page, items: page.items.map((c) => presentClose(c, caller(req), languageOf(req))) });
  });

  router.get('/closes/:id', requirePermission('close:read'), async (req, res) => {
    res.json(presentClose(await deps.closes.get(caller(req), parse(closeParams, req.params).id), caller(req), languageOf(req)));
  });

  router.post('/closes/:id/resume', requirePermission('close:resume'), async (req, res) => {
    const { id } = parse(closeParams, req.params);
    parse(resumeBody, req.body);
    res.status(202).json(await deps.closes.resume(caller(req), id));
  });

  router.post('/closes/:id/cancel', requirePermission('close:cancel'), async (req, res) => {
    const { id } = parse(closeParams, req.params);
    const { reason } = parse(cancelBody, req.body);
    res.status(202).json(await deps.closes.cancel(caller(req), id, reason));
  });

  return router;
}
