import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting of the service: its env var, its default and what it does. Validated once at start;
 * a bad value stops the process naming the variable. Never log the whole config (it holds secrets).
 */
// lib/ in the sources, dist/lib/ once compiled: the project root is one or two levels up.
const projectRoot = path.basename(path.dirname(__dirname)) === 'dist' ? path.resolve(__dirname, '..', '..') : path.resolve(__dirname, '..');

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional());
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

export const settings = {
  /** PostgreSQL connection string; unset: an embedded PostgreSQL is started under DATA_DIR. */
  DATABASE_URL: optionalUrl,
  /** Where embedded servers keep their data (embedded PostgreSQL, Temporal dev server's SQLite file). */
  DATA_DIR: z.string().default(path.join(projectRoot, '.data')),
  /** Port of the embedded PostgreSQL (only when DATABASE_URL is unset). */
  EMBEDDED_PG_PORT: port.default(54329),
  /** Size of the service's PostgreSQL connection pool. */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Each connection prepares the statements it runs once, so PostgreSQL parses and plans them once
   * (db/named-statements.ts). Set false behind a pooler in transaction mode that does not keep
   * prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
   */
  DB_PREPARED_STATEMENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Temporal frontend host:port; unset: a Temporal dev server is started (CLI found as the README says). */
  TEMPORAL_ADDRESS: optionalString,
  /** Temporal namespace. */
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** Task queue the close worker polls. */
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('period-close'),
  /** Path of the `temporal` CLI binary to run the dev server with (overrides the search). */
  TEMPORAL_CLI_PATH: optionalString,
  /** Port of the dev server's gRPC frontend (only when TEMPORAL_ADDRESS is unset). */
  TEMPORAL_DEV_PORT: port.default(7233),
  /** Port of the dev server's Web UI; 0 turns the UI off. */
  TEMPORAL_UI_PORT: port.default(8233),
  /** HTTP port of the API (and dashboard). */
  PORT: port.default(3000),
  /** Interface the API listens on. */
  HOST: z.string().default('127.0.0.1'),
  /** Largest accepted JSON body. */
  API_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/)
    .default('64kb'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How often a blocked close re-checks its blockers by itself, in milliseconds. */
  CLOSE_RECHECK_MS: positiveMs.default(5 * 60_000),
  CLOSE_RECHECK_MAX_MS: positiveMs.default(40 * 60_000),
  /** First retry delay of a failed close step, in milliseconds (doubles up to CLOSE_RETRY_MAX_MS). */
  CLOSE_RETRY_INITIAL_MS: positiveMs.default(1_000),
  /** Longest delay between retries of a failed close step, in milliseconds. */
  CLOSE_RETRY_MAX_MS: positiveMs.default(60_000),
  /** How many ledgers a month-end closes at the same time. */
  MONTH_END_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
  /** Base URL of the tax authority's e-invoice platform; unset: the bundled stand-in is started. */
  TAX_PLATFORM_URL: optionalUrl,
  /** API key sent to the tax platform. */
  TAX_PLATFORM_API_KEY: z.string().default('dev-tax-key'),
  /** Base URL of the bank / treasury system; unset: the bundled stand-in is started. */
  BANK_URL: optionalUrl,
  /** API key sent to the bank. */
  BANK_API_KEY: z.string().default('dev-bank-key'),
  /** Time-out of one call to an external system, in milliseconds. */
  EXTERNAL_TIMEOUT_MS: positiveMs.default(10_000),
  /** Port of the tax platform stand-in (only when TAX_PLATFORM_URL is unset); 0 picks a free one. */
  TAX_STANDIN_PORT: port.default(4010),
  /** Port of the bank stand-in (only when BANK_URL is unset); 0 picks a free one. */
  BANK_STANDIN_PORT: port.default(4020),
  /** Run the notification dispatcher (#18) with the worker: deadlines, outbox fan-out, deliveries. */
  NOTIFY_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** How often the dispatcher looks for new events and deliveries, in milliseconds. */
  NOTIFY_POLL_MS: positiveMs.default(5_000),
  /** How long a blocked close's notice waits for the rest of its check pass (the checks end one by one), in milliseconds. */
  NOTIFY_SETTLE_MS: z.coerce.number().int().min(0).default(3_000),
  /** How often late and almost-late closes and failing external systems are looked for, in milliseconds. */
  NOTIFY_DEADLINE_SCAN_MS: positiveMs.default(60_000),
  /** A close not closed this long before its due time is "due soon" (one notice), in milliseconds. */
  NOTIFY_DUE_SOON_MS: positiveMs.default(24 * 3_600_000),
  /** The tax platform or the bank failing a close's step for this long is "external.down" (one notice per outage), in milliseconds. */
  NOTIFY_EXTERNAL_DOWN_MS: positiveMs.default(15 * 60_000),
  /** First retry delay of a failed delivery, in milliseconds (doubles up to NOTIFY_RETRY_MAX_MS). */
  NOTIFY_RETRY_INITIAL_MS: positiveMs.default(5_000),
  /** Longest delay between retries of a delivery, in milliseconds. */
  NOTIFY_RETRY_MAX_MS: positiveMs.default(10 * 60_000),
  /** Attempts of one delivery before it is logged as failed. */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(20),
  /** Time-out of one webhook or robot call, or one SMTP send, in milliseconds. */
  NOTIFY_TIMEOUT_MS: positiveMs.default(10_000),
  /** SMTP server for e-mail notices, e.g. smtps://user:pass@smtp.example.com:465; unset: e-mail deliveries fail (and say so). */
  SMTP_URL: optionalUrl,
  /** Sender address of e-mail notices. */
  SMTP_FROM: z.string().default('close-orchestrator@localhost'),
  /** Load demo ledgers and one token per role when the database is empty (npm start). */
  DEMO_DATA: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
};

const schema = z.object(settings);
export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Reads and validates the configuration; throws ConfigError naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked = Object.fromEntries(Object.keys(settings).map((key) => [key, env[key]]));
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration (CONFIG_INVALID): ${problems.join('; ')}. Fix these environment variables and start again.`);
  }
  return parsed.data;
}

export { projectRoot };
