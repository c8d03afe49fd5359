import { Router } from 'express';
import { caller, requirePermission } from '../auth';
import { ledgerParams, ledgerPeriodParams, listLedgersQuery, reopenBody } from '../schemas';
import type { InvoiceSyncService } from '../services/invoice-sync-service';
import type { LedgerService } from '../services/ledger-service';
import type { ReopenService } from '../services/reopen-service';
import { parse } from '../validation';

export function ledgerRoutes(deps: { ledgers: LedgerService; reopen: ReopenService; invoiceSync: InvoiceSyncService }): Router {
  const router = Router();

  router.get('/ledgers', requirePermission('close:read'), async (req, res) => {
    res.json(await deps.ledgers.listLedgers(parse(listLedgersQuery, req.query)));
  });

  router.get('/ledgers/:ledger/periods', requirePermission('close:read'), async (req, res) => {
    res.json(await deps.ledgers.listPeriods(parse(ledgerParams, req.params).ledger));
  });

  router.get('/ledgers/:ledger/periods/:period/trial-balance', requirePermission('close:read'), async (req, res) => {
    const { ledger, period } = parse(ledgerPeriodParams, req.params);
    res.json(await deps.ledgers.trialBalance(ledger, period));
  });

  router.post('/ledgers/:ledger/periods/:period/reopen', requirePermission('period:reopen'), async (req, res) => {
    const { ledger, period } = parse(ledgerPeriodParams, req.params);
    const { reason } = parse(reopenBody, req.body);
    res.json(await deps.reopen.reopen(caller(req), ledger, period, reason));
  });

  router.post('/ledgers/:ledger/periods/:period/invoice-sync', requirePermission('close:start'), async (req, res) => {
    const { ledger, period } = parse(ledgerPeriodParams, req.params);
    const run = await deps.invoiceSync.start(caller(req), { ledger, period });
    res.status(run.state === 'running' ? 202 : 200).json(run);
  });

  router.get('/ledgers/:ledger/periods/:period/invoice-sync', requirePermission('close:read'), async (req, res) => {
    const { ledger, period } = parse(ledgerPeriodParams, req.params);
    res.json(await deps.invoiceSync.latest(ledger, period));
  });

  return router;
}
