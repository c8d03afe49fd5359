import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, type ErrorCode } from '../lib/errors';
import { fromDatabaseError, isConnectionError } from '../db/pg-errors';
import { ERROR_MESSAGES_ZH } from '../i18n/error-messages';
import { languageOf } from './language';

// body-parser (Express 5's express.json) tags its errors with a `type`; each maps to one stable code.
const bodyParserCodes: Record<string, ErrorCode> = {
  'entity.parse.failed': 'MALFORMED_JSON',
  'entity.too.large': 'BODY_TOO_LARGE',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'request.size.invalid': 'VALIDATION_FAILED',
  'request.aborted': 'VALIDATION_FAILED',
  'entity.verify.failed': 'VALIDATION_FAILED',
  'body.invalid_utf8': 'TEXT_INVALID',
};

/** Whatever was thrown, as the AppError the client reads. Unknown failures become INTERNAL (500). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const type = (err as { type?: string })?.type;
  if (type && bodyParserCodes[type]) return new AppError(bodyParserCodes[type]);
  // The router could not percent-decode a path parameter (`/closes/%`).
  if (err instanceof URIError) return new AppError('PATH_INVALID');
  const status = (err as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // A body that says gzip, deflate or br but is not: zlib's or brotli's error, raised while reading it.
    return new AppError(isDecompressionError(err) ? 'BODY_ENCODING_INVALID' : 'VALIDATION_FAILED');
  }
  const mapped = fromDatabaseError(err);
  if (mapped instanceof AppError) return mapped;
  if (isConnectionError(err) || isDatabaseGone(err)) return new AppError('DATABASE_UNAVAILABLE');
  if (isTemporalUnavailable(err)) return new AppError('TEMPORAL_UNAVAILABLE');
  return new AppError('INTERNAL');
}

function isDecompressionError(err: unknown): boolean {
  const code = String((err as { code?: unknown }).code ?? '');
  return (
    code.startsWith('Z_') ||
    code.startsWith('ERR__ERROR_FORMAT') ||
    code.startsWith('ERR_BROTLI') ||
    /incorrect header check|unexpected end of file|Decompression failed/i.test(String((err as Error).message))
  );
}

// A pool closed under us ("Driver not Connected") or exhausted past its connect time-out.
function isDatabaseGone(err: unknown): boolean {
  return /Driver not Connected|timeout exceeded when trying to connect/i.test(String((err as Error)?.message));
}

function isTemporalUnavailable(err: unknown): boolean {
  if ((err as Error)?.name !== 'ServiceError') return false;
  // gRPC UNAVAILABLE (14) or DEADLINE_EXCEEDED (4); no gRPC code at all: the channel itself failed.
  const grpcCode = (err as { cause?: { code?: unknown } }).cause?.code;
  return grpcCode === 14 || grpcCode === 4 || grpcCode === undefined;
}

/** The one place errors become HTTP: `{ error: { code, message, details } }`; only 5xx are logged as errors. */
export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err);
  if (appError.status >= 500) {
    req.log.error({ err, code: appError.code }, 'request failed');
  } else {
    req.log.info({ code: appError.code, status: appError.status }, 'request refused');
  }
  if (res.headersSent) return;
  // A Chinese reader gets the code's Chinese message; `code` and `details` are the same in both.
  const message = languageOf(req) === 'zh-CN' ? ERROR_MESSAGES_ZH[appError.code] : appError.message;
  res.status(appError.status).json({ error: { code: appError.code, message, details: appError.details ?? null } });
};

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `There is no ${req.method} ${req.path}.`));
};

/** Bodies are JSON only: a body of another type is 415 before any parser sees it. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const empty = req.get('content-length') === '0' && req.get('transfer-encoding') === undefined;
  if (!empty && req.is(['application/json', 'application/*+json']) === false) {
    next(new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json, not ${req.get('content-type') ?? 'an untyped body'}.`));
    return;
  }
  next();
};
