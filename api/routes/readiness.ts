import { Router } from 'express';
import { caller, requirePermission } from '../auth';
import { languageOf } from '../language';
import { federationReadinessQuery, ledgerPeriodParams, readinessQuery } from '../schemas';
import type { ReadinessService } from '../services/readiness-service';
import { decodeCursor, encodeCursor, parse } from '../validation';

/** 结账检查: a ledger's period, or every ledger of a federation, checked at once without starting a close. */
export function readinessRoutes(deps: { readiness: ReadinessService }): Router {
  const router = Router();

  router.get('/ledgers/:ledger/periods/:period/readiness', requirePermission('close:read'), async (req, res) => {
    const { ledger, period } = parse(ledgerPeriodParams, req.params);
    const { refresh } = parse(readinessQuery, req.query);
    res.json(await deps.readiness.single(caller(req), languageOf(req), ledger, period, { refresh: refresh === 'true' }));
  });

  router.get('/readiness', requirePermission('close:read'), async (req, res) => {
    const q = parse(federationReadinessQuery, req.query);
    const after = decodeCursor(q.cursor, ['string']);
    const found = await deps.readiness.federation(caller(req), q.parent, q.period, {
      state: q.state,
      code: q.code,
      ready: q.ready === undefined ? undefined : q.ready === 'true',
      search: q.q,
      limit: q.limit,
      after: (after?.[0] as string | undefined) ?? null,
    });
    res.json({ ...found, next: found.next === null ? null : encodeCursor([found.next]) });
  });

  return router;
}
