import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  closesStarted: Counter<'source'>;
  /** Times every request by its route pattern (not its URL, which would explode the label set). */
  middleware: RequestHandler;
}

/** One registry per app, so several apps in one process (tests) never register a metric twice. */
export function createMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const closesStarted = new Counter({
    name: 'closes_started_total',
    help: 'Closes started through the API (202 answers)',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // req.baseUrl is reset once an error leaves the router, so the mount point is taken from the URL.
      const mount = req.originalUrl.startsWith('/api/v1/') ? '/api/v1' : '';
      const route = req.route ? `${mount}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, closesStarted, middleware };
}
