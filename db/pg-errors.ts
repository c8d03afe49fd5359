import { AppError, type ErrorCode } from '../lib/errors';
import { BOOK_RULES } from './rules';

interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
  hint?: string;
}

const bySqlState: Record<string, ErrorCode> = {
  // The book rules the triggers raise (db/rules.ts).
  ...Object.fromEntries(Object.entries(BOOK_RULES).map(([state, rule]) => [state, rule.code])),
  // Deadlock, serialization failure: two writers met on the same tallies; the one chosen to fail may simply try again.
  '40P01': 'DATABASE_CONFLICT',
  '40001': 'DATABASE_CONFLICT',
  // lock_timeout: a writer holds a period the close wants to freeze; the close tries again.
  '55P03': 'PERIOD_BUSY',
};

/**
 * Whole classes of SQLSTATE whose failures waiting cannot fix: the same values fail the same way.
 * 22: data exception (a NUL byte in text, a number out of range); 23: integrity constraint violation.
 */
const bySqlStateClass: Record<string, ErrorCode> = {
  '22': 'VALUE_REJECTED',
  '23': 'CONSTRAINT_VIOLATED',
};

const byConstraint: Record<string, ErrorCode> = {
  voucher_segregation_of_duties: 'SEGREGATION_OF_DUTIES',
  // A voucher's number is never given by a user: every writer takes max(number) + 1. Two writers
  // numbering the same period at once (one of them outside this product, so without its numbering
  // lock, books/voucher-numbers.ts) is a race the loser wins by trying again with the next number —
  // not a broken rule that ends a close (the production soak's two failed closes, issue #19).
  voucher_ledger_id_period_number_key: 'DATABASE_CONFLICT',
};

/** Turns a rule the database enforced into the AppError a user reads; other errors pass through. */
export function fromDatabaseError(err: unknown): unknown {
  const pg = (err as { driverError?: PgError } | null)?.driverError ?? (err as PgError | null);
  const code = pg?.code && (bySqlState[pg.code] ?? (pg.constraint ? byConstraint[pg.constraint] : undefined) ?? bySqlStateClass[pg.code.slice(0, 2)]);
  if (!code) return err;
  return new AppError(code, undefined, { database: pg.message, hint: pg.hint });
}

/** True for errors that mean "the database is not reachable right now": worth retrying. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? (err as { driverError?: PgError })?.driverError?.code;
  return (
    // 53300: too many connections (a restart's clients all coming back at once).
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08003', '08006', '53300'].includes(
      code ?? '',
    ) ||
    // A connection cut mid-request also surfaces as the client or query runner refusing further use.
    /Connection terminated|connection timeout|Client has encountered a connection error|Client was closed and is not queryable|Connection is closed|Query runner already released|query runner was already released|the database system is (starting up|shutting down|in recovery mode)/i.test(
      String((err as Error)?.message),
    )
  );
}
