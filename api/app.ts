import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import type { BankClient } from '../integrations/bank';
import { closeSettingsFromConfig } from '../close';
import type { CloseSettings } from '../close';
import { authenticate } from './auth';
import { errorMiddleware, notFound, requireJsonBody } from './errors';
import { discardBodyOutsideApi, refuseHostileText, verifyUtf8 } from './hostile-input';
import { createMetrics } from './metrics';
import { cacheDashboardFiles, dashboardDir } from './dashboard-files';
import { requestContext } from './request-context';
import { auditRoutes } from './routes/audit';
import { closeRoutes } from './routes/closes';
import { docsRoutes } from './routes/docs';
import { healthRoutes } from './routes/health';
import { ledgerRoutes } from './routes/ledgers';
import { meRoutes } from './routes/me';
import { monthEndRoutes } from './routes/month-ends';
import { scheduleRoutes } from './routes/schedules';
import { voucherRoutes } from './routes/vouchers';
import { documentRoutes } from './routes/documents';
import { readinessRoutes } from './routes/readiness';
import { notificationRoutes } from './routes/notifications';
import { createSubscriptionService } from './services/subscription-service';
import { userRoutes } from './routes/users';
import { signInRoutes, signOutRoutes } from './routes/session';
import { createSessionService } from './services/session-service';
import { createUserAdminService } from './services/user-admin-service';
import { createAuditService } from './services/audit-service';
import { createCloseReportService } from './services/close-report';
import { createCloseService } from './services/close-service';
import { createInvoiceSyncService } from './services/invoice-sync-service';
import { createLedgerService } from './services/ledger-service';
import { createMonthEndService } from './services/month-end-service';
import { createReopenService } from './services/reopen-service';
import { createScheduleService } from './services/schedule-service';
import { createActsService } from './services/acts-service';
import { createReadinessService } from './services/readiness-service';

export interface AppDeps {
  dataSource: DataSource;
  temporalClient: Client;
  /** The task queue the close worker polls; closes, month-ends and schedules start there. */
  taskQueue: string;
  /** Timing every close this API starts runs with (tests pass fast ones). */
  closeSettings: CloseSettings;
  monthEndConcurrency: number;
  logger: Logger;
  /** Largest JSON body, e.g. "64kb". */
  bodyLimit: string;
  /** How long POST …/invoice-sync waits for the sync before answering 202 (default 15 s). */
  invoiceSyncAnswerMs?: number;
  /** The bank, which the acts on transfers ask (ask now, re-send). */
  bank: BankClient;
}

/** The dependencies of createApp from the configuration and what the process has opened. */
export function appDepsFromConfig(config: Config, opened: { dataSource: DataSource; temporalClient: Client; logger: Logger; bank: BankClient }): AppDeps {
  return {
    ...opened,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    closeSettings: closeSettingsFromConfig(config),
    monthEndConcurrency: config.MONTH_END_CONCURRENCY,
    bodyLimit: config.API_BODY_LIMIT,
  };
}

/**
 * The HTTP API: one composition of services over the handed-in data source and Temporal client,
 * thin routes under /api/v1 behind a bearer token, and health, metrics and docs in the open.
 */
export function createApp(deps: AppDeps): Express {
  const { dataSource, temporalClient, taskQueue, closeSettings } = deps;
  const metrics = createMetrics();
  const closes = createCloseService({ dataSource, temporalClient, taskQueue, closeSettings });
  const monthEnds = createMonthEndService({ dataSource, temporalClient, taskQueue, closeSettings, concurrency: deps.monthEndConcurrency });
  const schedules = createScheduleService({ dataSource, temporalClient, taskQueue, closeSettings, concurrency: deps.monthEndConcurrency });

  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(deps.logger));
  app.use(metrics.middleware);
  app.use(discardBodyOutsideApi);
  app.use(healthRoutes({ dataSource, temporalClient, metrics }));
  app.use(docsRoutes());
  // The dashboard as Vite built it (`npm run build`: web/ → dist/web). Its file names carry a hash of
  // their content, so they may be cached for good; index.html is asked again each time.
  app.use(express.static(dashboardDir, { index: 'index.html', fallthrough: true, setHeaders: cacheDashboardFiles }));

  const invoiceSync = createInvoiceSyncService({ dataSource, temporalClient, taskQueue, closeSettings, answerWaitMs: deps.invoiceSyncAnswerMs });
  const acts = createActsService({ dataSource, bank: deps.bank, recheck: closes.recheck });
  const readiness = createReadinessService({ dataSource, acts, invoiceSync, recheck: closes.recheck });

  const sessions = createSessionService(dataSource);
  const jsonBody = [
    requireJsonBody,
    express.json({ limit: deps.bodyLimit, type: ['application/json', 'application/*+json'], verify: verifyUtf8 }),
    refuseHostileText,
  ];
  // Signing in is the one call without a credential; everything else under /api/v1 authenticates first.
  app.use('/api/v1/session', express.Router().post('/', ...jsonBody, signInRoutes({ sessions })));

  const api = express.Router();
  api.use(authenticate(dataSource));
  api.use(...jsonBody);
  api.use(signOutRoutes({ sessions }));
  api.use(meRoutes());
  api.use(closeRoutes({ closes, metrics }));
  api.use(
    ledgerRoutes({
      ledgers: createLedgerService(dataSource),
      reopen: createReopenService(dataSource),
      invoiceSync,
      acts,
      reports: createCloseReportService(dataSource),
    }),
  );
  api.use(readinessRoutes({ readiness }));
  api.use(voucherRoutes({ acts }));
  api.use(documentRoutes({ acts }));
  api.use(scheduleRoutes({ schedules }));
  api.use(monthEndRoutes({ monthEnds }));
  api.use(auditRoutes({ audit: createAuditService(dataSource) }));
  api.use(notificationRoutes({ subscriptions: createSubscriptionService(dataSource), dataSource }));
  api.use(userRoutes({ users: createUserAdminService(dataSource) }));
  app.use('/api/v1', api);

  app.use(notFound);
  app.use(errorMiddleware);
  return app;
}
