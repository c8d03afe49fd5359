import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { ApiMetrics } from '../metrics';

const CHECK_TIMEOUT_MS = 2_000;

/** Liveness, readiness (PostgreSQL and Temporal both answer) and Prometheus metrics; no token needed. */
export function healthRoutes(deps: { dataSource: DataSource; temporalClient: Client; metrics: ApiMetrics }): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (req, res) => {
    const [database, temporal] = await Promise.all([
      probe(() => deps.dataSource.query('SELECT 1')),
      probe(() => deps.temporalClient.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => deps.temporalClient.workflowService.getSystemInfo({}))),
    ]);
    const checks = { database: database.ok ? 'ok' : 'unavailable', temporal: temporal.ok ? 'ok' : 'unavailable' };
    if (database.ok && temporal.ok) {
      res.json({ status: 'ok', checks });
      return;
    }
    req.log.warn({ checks, database: database.error, temporal: temporal.error }, 'not ready');
    res.status(503).json({ status: 'unavailable', checks });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return router;
}

async function probe(check: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
