import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { createLogger, type Logger } from '../../lib/logger';

/** Options every stand-in takes. `seed` makes the injected faults reproducible. */
export interface StandInOptions {
  port?: number;
  host?: string;
  apiKey: string;
  seed?: number;
  /** Where a stand-in logs its own failures and the faults it injects (default: silent). */
  logger?: Logger;
}

export function standInLogger(options: StandInOptions): Logger {
  return options.logger ?? createLogger('silent');
}

export interface RunningStandIn {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function createStandInApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  return app;
}

/** Marks the answer to this request as lost: the work is done, then the connection is cut. */
export function loseAnswer(res: Response): void {
  res.locals.answerLost = true;
}

/** The one way a stand-in answers, so that a lost-answer fault applies to every route alike. */
export function answer(res: Response, status: number, body: unknown): void {
  if (res.locals.answerLost === true) {
    res.socket?.destroy();
    return;
  }
  res.status(status).json(body);
}

export function sendError(res: Response, status: number, code: string, message: string, details?: unknown): void {
  answer(res, status, { error: { code, message, ...(details === undefined ? {} : { details }) } });
}

export function sendValidationError(res: Response, error: z.ZodError): void {
  const issues = error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  sendError(res, 400, 'invalid_request', 'The request does not match the API; see details.', issues);
}

export function requireBearer(apiKey: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${apiKey}`);
  return (req, res, next) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      next();
      return;
    }
    sendError(res, 401, 'unauthorized', 'Send the API key as "Authorization: Bearer <key>".');
  };
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, 404, 'not_found', `There is no route ${req.method} ${req.path}.`);
};

/** Body-parser failures become the stand-in's JSON errors; anything else is a bug, answered 500 and logged. */
export const jsonErrorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error: unknown, req, res, _next) => {
    const { status: given, type, message } = (error ?? {}) as { status?: unknown; type?: unknown; message?: unknown };
    const status = typeof given === 'number' && given >= 400 && given < 600 ? given : 500;
    if (status >= 500) logger.error({ err: error, path: req.path }, 'stand-in request failed');
    if (res.headersSent) {
      res.socket?.destroy();
      return;
    }
    const code =
      type === 'entity.parse.failed' ? 'malformed_json' : type === 'entity.too.large' ? 'body_too_large' : status >= 500 ? 'internal' : 'bad_request';
    sendError(res, status, code, status >= 500 || typeof message !== 'string' ? 'The stand-in could not handle the request.' : message);
  };

/**
 * Listens on host:port (port 0: a free one). close() stops listening and cuts every open
 * connection, including requests a time-out fault is holding, so it always ends.
 */
export async function listen(app: Express, options: Pick<StandInOptions, 'port' | 'host'>, beforeClose: () => void): Promise<RunningStandIn> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve, reject) => {
      beforeClose();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }));
  return { url, port, close };
}
