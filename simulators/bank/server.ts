import express from 'express';
import { adminFaultsRoutes } from '../common/admin-faults-routes';
import { FaultInjector, type FaultKind } from '../common/faults';
import {
  answer,
  createStandInApp,
  jsonErrorHandler,
  listen,
  notFound,
  requireBearer,
  sendError,
  sendValidationError,
  type RunningStandIn,
  type StandInOptions,
  standInLogger,
} from '../common/json-app';
import { adminTransfersBodySchema, statusQueryBodySchema, TransferBook } from './transfers';

const DEFAULT_SEED = 20_261_101;

interface BankStats {
  requests: number;
  statusQueries: number;
  referencesQueried: number;
  resends: number;
}

/** What GET /admin/stats answers. */
export type BankStatsSnapshot = BankStats & { transfersKnown: number; faults: Record<FaultKind, number> };

function noStats(): BankStats {
  return { requests: 0, statusQueries: 0, referencesQueried: 0, resends: 0 };
}

/**
 * Starts the stand-in for the bank / treasury system: transfer statuses on /v1 (bearer key,
 * faults injected on request) and an unauthenticated /admin that only the stand-in has.
 */
export async function startBankStandIn(options: StandInOptions): Promise<RunningStandIn> {
  const transfers = new TransferBook();
  const logger = standInLogger(options);
  const faults = new FaultInjector(options.seed ?? DEFAULT_SEED, 'bank', logger);
  let stats = noStats();
  const app = createStandInApp();

  app.use('/v1', (_req, _res, next) => {
    stats.requests += 1;
    next();
  });
  app.use('/v1', faults.middleware, requireBearer(options.apiKey), express.json({ limit: '1mb' }));
  app.post('/v1/transfers/status', (req, res) => {
    const body = statusQueryBodySchema.safeParse(req.body);
    if (!body.success) {
      sendValidationError(res, body.error);
      return;
    }
    stats.statusQueries += 1;
    stats.referencesQueried += body.data.references.length;
    answer(res, 200, { items: body.data.references.map((reference) => transfers.statusOf(reference)) });
  });

  // Re-send a failed transfer (idempotent: the bank sends a transfer once, however often it is asked).
  app.post('/v1/transfers/:reference/resend', (req, res) => {
    const reference = String(req.params.reference);
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(reference)) {
      sendError(res, 400, 'bad_reference', 'A transfer reference is 1 to 64 letters, digits, _ . : or -.');
      return;
    }
    stats.resends += 1;
    const record = transfers.resend(reference);
    if (!record) {
      sendError(res, 404, 'unknown_transfer', `The bank has no transfer ${reference}.`);
      return;
    }
    answer(res, 200, record);
  });

  app.use('/admin', express.json({ limit: '20mb' }), adminFaultsRoutes(faults));
  app.put('/admin/transfers', (req, res) => {
    const body = adminTransfersBodySchema.safeParse(req.body);
    if (!body.success) {
      sendValidationError(res, body.error);
      return;
    }
    for (const transfer of body.data.transfers) transfers.set(transfer);
    answer(res, 200, { stored: body.data.transfers.length });
  });
  app.get('/admin/stats', (_req, res) => {
    const snapshot: BankStatsSnapshot = { ...stats, transfersKnown: transfers.size, faults: faults.counts() };
    answer(res, 200, snapshot);
  });
  app.post('/admin/reset', (_req, res) => {
    transfers.clear();
    faults.reset();
    stats = noStats();
    answer(res, 200, { reset: true });
  });

  app.use(notFound);
  app.use(jsonErrorHandler(logger));
  return listen(app, options, () => faults.stop());
}
