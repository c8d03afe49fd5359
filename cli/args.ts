import { CommanderError, InvalidArgumentError } from 'commander';
import { isTimeZone } from '../lib/local-time';

/** What a script can rely on; printed by `closectl --help`. */
export const ExitCode = {
  OK: 0,
  UNEXPECTED: 1,
  BLOCKED: 2,
  FAILED: 3,
  USAGE: 4,
  API_ERROR: 5,
  UNREACHABLE: 6,
} as const;

export const exitCodeHelp = [
  'Exit codes:',
  '  0  success; the close is closed (or running, when not followed)',
  '  2  the close waits on blockers',
  '  3  the close failed or was cancelled',
  '  4  bad usage (unknown command or option, missing or malformed argument)',
  '  5  the API answered with an error (4xx/5xx), printed as "error CODE: message"',
  '  6  the API is unreachable',
  '  1  anything unexpected',
].join('\n');

/** A failure the CLI reports as one line `error CODE: message` and turns into an exit code. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError('USAGE', message, ExitCode.USAGE);
}

export function exitCodeForCloseState(state: string): number {
  if (state === 'blocked') return ExitCode.BLOCKED;
  if (state === 'failed' || state === 'cancelled') return ExitCode.FAILED;
  return ExitCode.OK;
}

export interface MonthEndCounts {
  failed: number;
  cancelled: number;
  blocked: number;
}

/** A month-end is as bad as its worst ledger: any failed one outweighs any blocked one. */
export function exitCodeForMonthEnd(counts: MonthEndCounts): number {
  if (counts.failed > 0 || counts.cancelled > 0) return ExitCode.FAILED;
  if (counts.blocked > 0) return ExitCode.BLOCKED;
  return ExitCode.OK;
}

export interface ReportedError {
  code: string;
  message: string;
  exitCode: number;
}

/** Any thrown value → the single line and exit code the user sees; commander's own errors are usage errors. */
export function describeError(err: unknown): ReportedError {
  if (err instanceof CliError) return { code: err.code, message: err.message, exitCode: err.exitCode };
  if (err instanceof CommanderError) {
    // Help asked for (--help, `help <command>`) ends with 0; help shown for want of a command does not.
    if (err.exitCode === 0) return { code: 'HELP', message: '', exitCode: ExitCode.OK };
    if (err.code === 'commander.help') return { code: 'USAGE', message: 'no command given; see closectl --help', exitCode: ExitCode.USAGE };
    return { code: 'USAGE', message: err.message.replace(/^error:\s*/i, ''), exitCode: ExitCode.USAGE };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'UNEXPECTED', message, exitCode: ExitCode.UNEXPECTED };
}

export function errorLine(reported: Pick<ReportedError, 'code' | 'message'>): string {
  return `error ${reported.code}: ${reported.message.replace(/\s*\n\s*/g, ' ').trim()}`;
}

export function parsePeriod(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError('A period is written YYYY-MM, for example 2026-10.');
  return value;
}

export function parseLedgerList(value: string): string[] {
  const ledgers = value
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (ledgers.length === 0) throw new InvalidArgumentError('Give at least one ledger code, separated by commas.');
  return ledgers;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('Expected a whole number above zero.');
  return n;
}

/** --tz: an IANA zone the runtime knows, as the TZ variable takes it (Asia/Shanghai, UTC, Europe/Berlin). */
export function parseTimeZone(value: string): string {
  if (!isTimeZone(value)) throw new InvalidArgumentError(`"${value}" is not an IANA time zone; give one like Asia/Shanghai or UTC.`);
  return value;
}

export const DEFAULT_STALLED_MINUTES = 30;

export interface ListOptions {
  stalled?: number;
  blocked?: boolean;
  failed?: boolean;
  late?: boolean;
  ledger?: string;
  period?: string;
  limit?: number;
  cursor?: string;
}

/** `list` options → the query of GET /api/v1/closes. */
export function listQuery(options: ListOptions): Record<string, string> {
  const query: Record<string, string> = {};
  if (options.blocked) query.state = 'blocked';
  if (options.failed) query.state = 'failed';
  if (options.stalled !== undefined) query.stalled = String(options.stalled);
  if (options.late) query.late = 'true';
  if (options.ledger) query.ledger = options.ledger;
  if (options.period) query.period = options.period;
  if (options.limit) query.limit = String(options.limit);
  if (options.cursor) query.cursor = options.cursor;
  return query;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export interface Connection {
  url: string;
  token: string | undefined;
}

/** --url/--token, which commander fills from CLOSE_API_URL/CLOSE_API_TOKEN when not given. */
export function resolveConnection(flags: { url?: string; token?: string }): Connection {
  const url = flags.url || DEFAULT_API_URL;
  try {
    new URL(url);
  } catch {
    throw usageError(`"${url}" is not a URL (set --url or CLOSE_API_URL, e.g. ${DEFAULT_API_URL})`);
  }
  return { url: url.replace(/\/+$/, ''), token: flags.token || undefined };
}
