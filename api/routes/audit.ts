import { Router } from 'express';
import { caller, requirePermission } from '../auth';
import { auditQuery } from '../schemas';
import type { AuditService } from '../services/audit-service';
import { parse } from '../validation';

export function auditRoutes(deps: { audit: AuditService }): Router {
  const router = Router();
  router.get('/audit', requirePermission('audit:read'), async (req, res) => {
    res.json(await deps.audit.list(caller(req).scopeLedgerId, parse(auditQuery, req.query)));
  });
  return router;
}
