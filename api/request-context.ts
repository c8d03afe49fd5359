import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../lib/logger';
import type { ApiUser } from './auth';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The request's id: in the X-Request-Id header and on every log line of the request. */
      id: string;
      log: Logger;
      /** Set by `authenticate` once the bearer token is known. */
      user?: ApiUser;
    }
  }
}

// A caller's own request id is kept (to follow a call across services) only if it is harmless.
const CALLER_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Gives the request an id, echoes it in X-Request-Id, and binds it to a child logger. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    req.id = given && CALLER_ID.test(given) ? given : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader('X-Request-Id', req.id);
    const startedAt = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
      req.log.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10, user: req.user?.name }, 'request');
    });
    next();
  };
}
