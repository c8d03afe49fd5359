import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../lib/errors';
import { findHostileText } from '../lib/text';

/**
 * Refuses, before any handler acts, a query or JSON body holding text the books cannot store:
 * NUL or an unpaired surrogate, in any key or value at any depth (TEXT_INVALID, 400). Identifiers
 * are refused by their patterns anyway; this also covers free text (reasons, notes) and cursors.
 */
export const refuseHostileText: RequestHandler = (req, _res, next) => {
  for (const [where, value] of [
    ['query', req.query],
    ['body', req.body],
  ] as const) {
    const at = findHostileText(value);
    if (at !== null) throw new AppError('TEXT_INVALID', undefined, { in: where, path: at });
  }
  next();
};

/**
 * express.json's `verify`: a body declared UTF-8 (or undeclared, which JSON means UTF-8) must be
 * valid UTF-8; otherwise its bad bytes would silently become U+FFFD. body-parser turns the throw
 * into an error of this `type`, mapped to TEXT_INVALID in api/errors.ts.
 */
export function verifyUtf8(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  const charset = /;\s*charset=([^;\s]+)/i
    .exec(req.headers['content-type'] ?? '')?.[1]
    ?.toLowerCase()
    .replace(/"/g, '');
  if ((charset === undefined || charset === 'utf-8' || charset === 'utf8') && !isUtf8(buf)) {
    throw Object.assign(new Error('The body is not valid UTF-8.'), { type: 'body.invalid_utf8' });
  }
}

/** How much of an unwanted body the open routes read and throw away before refusing it. */
const DISCARDED_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * The open routes (health, metrics, docs, labels, the dashboard's files) take no body. One sent anyway
 * is read to its end and thrown away before the route answers: a server that answers and closes
 * while the caller is still sending resets the connection, and the caller sees no answer at all.
 * A body beyond DISCARDED_BODY_LIMIT is refused (BODY_TOO_LARGE) instead of read for ever.
 */
export const discardBodyOutsideApi: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (req.path.startsWith('/api/') || !hasBody || req.readableEnded) {
    next();
    return;
  }
  let read = 0;
  const onData = (chunk: Buffer) => {
    read += chunk.length;
    if (read > DISCARDED_BODY_LIMIT) {
      req.off('data', onData).off('end', onEnd);
      // Still drained by Node once the refusal is sent; the connection closes after it.
      next(new AppError('BODY_TOO_LARGE'));
    }
  };
  const onEnd = () => next();
  req.on('data', onData).once('end', onEnd);
};
