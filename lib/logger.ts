import pino, { type Logger } from 'pino';

/**
 * The logger of a process: structured JSON on stdout, at the level of the validated configuration
 * (LOG_LEVEL), made once by each entry point and handed to what needs it. Request ids (API) and
 * workflow ids (worker) are bound with `logger.child(...)`; the Temporal SDK's own logs are routed
 * here too (see worker/runtime-logger.ts).
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'close-orchestrator' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['*.authorization', '*.token', '*.apiKey', 'req.headers.authorization'], censor: '[redacted]' },
  });
}

export type { Logger };
