import express from 'express';
import { adminFaultsRoutes } from '../common/admin-faults-routes';
import {
  createStandInApp,
  jsonErrorHandler,
  listen,
  notFound,
  requireBearer,
  answer,
  sendValidationError,
  type RunningStandIn,
  type StandInOptions,
  standInLogger,
} from '../common/json-app';
import { adminInvoicesBodySchema } from './invoice-rules';
import { TaxPlatformState } from './state';
import { taxPlatformV1Routes } from './v1-routes';

const DEFAULT_SEED = 20_261_031;

/**
 * Starts the stand-in for the tax authority's e-invoice platform: the real API on /v1 (bearer
 * key, faults injected on request) and an unauthenticated /admin that only the stand-in has.
 */
export async function startTaxPlatformStandIn(options: StandInOptions): Promise<RunningStandIn> {
  const logger = standInLogger(options);
  const state = new TaxPlatformState(options.seed ?? DEFAULT_SEED, logger);
  const app = createStandInApp();

  app.use('/v1', (_req, _res, next) => {
    state.stats.requests += 1;
    next();
  });
  app.use('/v1', state.faults.middleware, requireBearer(options.apiKey), taxPlatformV1Routes(state));

  // Large enough to seed a whole period's invoices in one request.
  app.use('/admin', express.json({ limit: '100mb' }), adminFaultsRoutes(state.faults));
  app.post('/admin/invoices', (req, res) => {
    const body = adminInvoicesBodySchema.safeParse(req.body);
    if (!body.success) {
      sendValidationError(res, body.error);
      return;
    }
    for (const invoice of body.data.invoices) state.store.put(invoice);
    answer(res, 200, { stored: body.data.invoices.length });
  });
  app.get('/admin/stats', (_req, res) => answer(res, 200, state.snapshot()));
  app.post('/admin/reset', (_req, res) => {
    state.reset();
    answer(res, 200, { reset: true });
  });

  app.use(notFound);
  app.use(jsonErrorHandler(logger));
  return listen(app, options, () => state.faults.stop());
}
