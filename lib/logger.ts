import pino, { type Logger } from 'pino';

/**
 * The one logger of the process: structured JSON on stdout. Request ids (API) and workflow ids
 * (worker) are bound with `logger.child(...)`; the Temporal SDK's own logs are routed here too
 * (see worker/runtime-logger.ts).
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'close-orchestrator' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['*.authorization', '*.token', '*.apiKey', 'req.headers.authorization'], censor: '[redacted]' },
  });
}

export const logger = createLogger();
export type { Logger };
