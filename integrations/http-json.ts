import type { z } from 'zod';
import { AppError, type ErrorCode } from '../lib/errors';
import type { Logger } from '../lib/logger';

/** Which external system a caller talks to, and the error codes its failures map to. */
export interface ExternalSystem {
  /** As it reads in a sentence: "the bank". */
  name: string;
  unavailable: ErrorCode;
  badResponse: ErrorCode;
  rejected: ErrorCode;
}

export interface HttpJsonOptions {
  baseUrl: string;
  /** Where retries and failures of the calls are logged (the worker's logger). */
  logger: Logger;
  apiKey: string;
  /** Time-out of one attempt, answer body included. */
  timeoutMs: number;
  /** Attempts within one call before it throws *_UNAVAILABLE (default 4). */
  maxAttempts?: number;
  /** First back-off delay; it doubles per attempt up to backoffMaxMs (defaults 250 and 4000). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A Retry-After longer than this ends the call at once; the caller's own retry waits instead (default 30 s). */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface JsonRequest<T> {
  method: 'GET' | 'POST';
  path: string;
  /** What the call does, as it reads in an error message: "upload of an invoice batch". */
  what: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  schema: z.ZodType<T>;
}

export type JsonCaller = <T>(request: JsonRequest<T>) => Promise<T>;

type AttemptResult = { status: number; retryAfter: string | null; text: string } | { failure: string };

const BODY_EXCERPT_CHARS = 300;

export function parseRetryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  const trimmed = value?.trim() ?? '';
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function excerpt(text: string): string {
  return text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}…` : text;
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

async function attemptOnce(url: string, init: RequestInit, timeoutMs: number): Promise<AttemptResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
  } catch (error) {
    return { failure: controller.signal.aborted ? `no answer within ${timeoutMs} ms` : `connection failed (${describeFetchError(error)})` };
  } finally {
    clearTimeout(timer);
  }
}

function buildUrl(baseUrl: string, path: string, query: JsonRequest<unknown>['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(name, String(value));
  const search = params.size > 0 ? `?${params.toString()}` : '';
  return `${baseUrl.replace(/\/+$/, '')}${path}${search}`;
}

/**
 * Calls one JSON endpoint of an external system. Retries within the call on time-outs, connection
 * errors, 408 and 5xx (exponential back-off with jitter) and on 429 (after Retry-After); throws
 * AppError: *_UNAVAILABLE once the attempts are used up, *_REJECTED on any other 4xx at once, and
 * *_BAD_RESPONSE when a success answer is not the documented JSON. Only retry calls that are
 * safe to repeat (reads, or writes carrying an idempotency key).
 */
export function createJsonCaller(system: ExternalSystem, options: HttpJsonOptions): JsonCaller {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const backoffBaseMs = options.backoffBaseMs ?? 250;
  const backoffMaxMs = options.backoffMaxMs ?? 4000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const log = options.logger.child({ externalSystem: system.name });

  const backoffMs = (attempt: number): number => {
    const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** (attempt - 1));
    return ceiling / 2 + random() * (ceiling / 2);
  };

  return async <T>(request: JsonRequest<T>): Promise<T> => {
    const url = buildUrl(options.baseUrl, request.path, request.query);
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${options.apiKey}`, ...request.headers };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = { method: request.method, headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) };
    const startedAt = Date.now();

    for (let attempt = 1; ; attempt += 1) {
      const result = await attemptOnce(url, init, options.timeoutMs);
      let problem: string;
      let waitMs: number | undefined;
      if ('failure' in result) {
        problem = result.failure;
      } else if (result.status >= 200 && result.status < 300) {
        return parseAnswer(system, request, result, attempt);
      } else if (result.status === 429) {
        problem = `answered 429 (rate limited, Retry-After: ${result.retryAfter ?? 'none'})`;
        waitMs = parseRetryAfterMs(result.retryAfter);
      } else if (result.status >= 500 || result.status === 408) {
        problem = `answered ${result.status}`;
      } else if (result.status >= 400) {
        throw new AppError(system.rejected, `${capitalised(system.name)} rejected the ${request.what} with HTTP ${result.status}: ${excerpt(result.text)}`, {
          status: result.status,
          attempts: attempt,
          body: excerpt(result.text),
        });
      } else {
        throw new AppError(system.badResponse, `${capitalised(system.name)} answered the ${request.what} with unexpected HTTP ${result.status}.`, {
          status: result.status,
          attempts: attempt,
        });
      }

      const status = 'status' in result ? result.status : undefined;
      const tooLongToWait = waitMs !== undefined && waitMs > maxRetryAfterMs;
      if (attempt >= maxAttempts || tooLongToWait) {
        const elapsedMs = Date.now() - startedAt;
        const message = `${capitalised(system.name)} did not complete the ${request.what} after ${attempt} attempt(s) in ${elapsedMs} ms; last: ${problem}.`;
        log.warn({ status, attempts: attempt, elapsedMs, problem }, 'external call gave up');
        throw new AppError(system.unavailable, message, {
          status,
          attempts: attempt,
          elapsedMs,
          lastProblem: problem,
          ...(tooLongToWait ? { retryAfterMs: waitMs } : {}),
        });
      }
      const delayMs = waitMs ?? backoffMs(attempt);
      log.debug({ status, attempt, delayMs, problem }, 'external call will be retried');
      await sleep(delayMs);
    }
  };
}

function parseAnswer<T>(system: ExternalSystem, request: JsonRequest<T>, result: { status: number; text: string }, attempts: number): T {
  let json: unknown;
  try {
    json = JSON.parse(result.text);
  } catch {
    throw new AppError(system.badResponse, `${capitalised(system.name)} answered the ${request.what} with a body that is not JSON: ${excerpt(result.text)}`, {
      status: result.status,
      attempts,
    });
  }
  const parsed = request.schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    throw new AppError(system.badResponse, `${capitalised(system.name)} answered the ${request.what} with an unexpected shape: ${issues.join('; ')}`, {
      status: result.status,
      attempts,
      issues,
    });
  }
  return parsed.data;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
