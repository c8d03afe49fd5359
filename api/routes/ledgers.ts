import { Router } from 'express';
import { caller, requirePermission } from '../auth';
import {
  acceptDifferenceBody,
  closeReportQuery,
  fromPlatformBody,
  ledgerParams,
  ledgerPeriodParams,
  listLedgersQuery,
  prepareVoucherBody,
  reasonBody,
  reopenBody,
} from '../schemas';
import type { ActsService } from '../services/acts-service';
import type { CloseReportService } from '../services/close-report';
import { closeReportCsv, closeReportXlsx } from '../services/close-report-files';
import { closeReportSheet } from '../services/close-report-sheet';
import type { InvoiceSyncService } from '../services/invoice-sync-service';
import type { LedgerService } from '../services/ledger-service';
import type { ReopenService } from '../services/reopen-service';
import { parse } from '../validation';

export function ledgerRoutes(deps: {
  ledgers: LedgerService;
  reopen: ReopenService;
  invoiceSync: InvoiceSyncService;
  acts: ActsService;
  reports: CloseReportService;
}): Router {
  const router = Router();

  router.get('/ledgers', requirePermission('close:read'), async (req, res) => {
    res.json(await deps.ledgers.listLedgers(caller(req).scopeLedgerId, parse(listLedgersQuery, req.query)));
  });

  router.get('/ledgers/:ledger/periods', requirePermission('close:read'), async (req, res) => {
    res.json(await deps.ledgers.listPeriods(caller(req).scopeLedgerId, parse(ledgerParams, req.params).ledger));
  });

  router.get('/ledgers/:ledger/periods/:period/trial-balance', requirePermission('close:read'), async (req, res) => {
    const { ledger, period } = parse(ledgerPeriodParams, req.params);
    res.json(await deps.ledgers.trialBalance(caller(req).scopeLedgerId, ledger, period));
  });

  // 结账报告 of a closed period: JSON, or the same as a file a finance team opens in Excel.
  router.get('/ledgers/:ledger/periods/:period/report', requirePermission('close:read'), async (req, res) => {
    const { ledger, period } = parse(ledgerPeriodParams, req.params);
    const { format, tz } = parse(closeReportQuery, req.query);
    const report = await deps.reports.report(ledger, period, caller(req).scopeLedgerId);
    if (format === 'json') return void res.json(report);
    const rows = closeReportSheet(report, tz);
    const file = `close-report-${report.ledger.code}-${period}.${format}`;
    res.attachment(file);
    if (format === 'csv') return void res.type('text/csv; charset=utf-8').send(closeReportCsv(rows));
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await closeReportXlsx(rows, `结账报告 ${period}`));
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
    res.json(await deps.invoiceSync.latest(caller(req), ledger, period));
  });

  // Acts on a ledger's period that clear a close's blockers (each re-checks the close waiting on it).
  router.post('/ledgers/:ledger/periods/:period/vouchers', requirePermission('voucher:prepare'), async (req, res) => {
    const { ledger, period } = parse(ledgerPeriodParams, req.params);
    res.status(201).json(await deps.acts.vouchers.prepare(caller(req), ledger, period, parse(prepareVoucherBody, req.body)));
  });

  router.post('/ledgers/:ledger/periods/:period/invoices/from-platform', requirePermission('invoice:correct'), async (req, res) => {
    const { ledger, period } = parse(ledgerPeriodParams, req.params);
    const { number } = parse(fromPlatformBody, req.body);
    res.status(201).json(await deps.acts.invoices.recordFromPlatform(caller(req), ledger, period, number));
  });

  router.post('/ledgers/:ledger/periods/:period/invoice-differences', requirePermission('invoice:accept'), async (req, res) => {
    const { ledger, period } = parse(ledgerPeriodParams, req.params);
    res.status(201).json(await deps.acts.invoices.acceptDifference(caller(req), ledger, period, parse(acceptDifferenceBody, req.body)));
  });

  router.post('/ledgers/:ledger/periods/:period/openings/align', requirePermission('balance:align'), async (req, res) => {
    const { ledger, period } = parse(ledgerPeriodParams, req.params);
    const { reason } = parse(reasonBody, req.body);
    res.json(await deps.acts.alignOpenings(caller(req), ledger, period, reason));
  });

  return router;
}
