/**
 * One list of stable error codes: the API answers with them, close steps record them, and Temporal
 * ApplicationFailures carry them as their `type`. `retryable` says whether waiting can make the
 * failure pass (a platform down, a lost connection): an activity that fails with a code that is not
 * retryable fails at once, and the close shows the code instead of retrying for ever. A code never
 * changes meaning once released; add new ones instead.
 */
export const ErrorCodes = {
  // request shape
  VALIDATION_FAILED: { status: 400, retryable: false, message: 'The request is not valid; see details for each field.' },
  MALFORMED_JSON: { status: 400, retryable: false, message: 'The request body is not valid JSON.' },
  PERIOD_INVALID: { status: 400, retryable: false, message: 'A period is written YYYY-MM, for example 2026-10.' },
  PERIOD_IN_FUTURE: { status: 422, retryable: false, message: 'The period has not ended yet; a period can be closed once its month is over.' },
  BODY_TOO_LARGE: { status: 413, retryable: false, message: 'The request body is too large.' },
  BODY_ENCODING_INVALID: {
    status: 400,
    retryable: false,
    message: 'The body is not what its Content-Encoding says (gzip, deflate or br); send it compressed as declared, or without Content-Encoding.',
  },
  TEXT_INVALID: {
    status: 400,
    retryable: false,
    message: 'Text must be valid UTF-8 without NUL characters or unpaired surrogates; remove them and send again.',
  },
  PATH_INVALID: {
    status: 400,
    retryable: false,
    message: 'The URL path has invalid percent-encoding; encode each part of the path once (for example %25 for a percent sign).',
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false, message: 'Send the body as application/json.' },
  // who
  UNAUTHENTICATED: { status: 401, retryable: false, message: 'Send a valid token as "Authorization: Bearer <token>".' },
  PERMISSION_DENIED: { status: 403, retryable: false, message: 'Your role lacks the permission this needs; ask an administrator.' },
  // what does not exist
  NOT_FOUND: { status: 404, retryable: false, message: 'There is no such resource.' },
  LEDGER_NOT_FOUND: { status: 404, retryable: false, message: 'There is no ledger with this code.' },
  PERIOD_NOT_FOUND: { status: 404, retryable: false, message: 'The ledger has no such period.' },
  CLOSE_NOT_FOUND: { status: 404, retryable: false, message: 'There is no close with this id.' },
  VOUCHER_NOT_FOUND: { status: 404, retryable: false, message: 'There is no voucher with this id.' },
  REIMBURSEMENT_NOT_FOUND: { status: 404, retryable: false, message: 'There is no reimbursement with this id.' },
  SCHEDULE_NOT_FOUND: { status: 404, retryable: false, message: 'There is no schedule with this id.' },
  INVOICE_SYNC_NOT_FOUND: { status: 404, retryable: false, message: 'No invoice sync has run for this ledger and period; start one with POST.' },
  MONTH_END_NOT_FOUND: { status: 404, retryable: false, message: 'There is no month-end run with this id.' },
  USER_NOT_FOUND: { status: 404, retryable: false, message: 'There is no user with this name.' },
  // conflicts with the state of the books
  PERIOD_ALREADY_CLOSED: { status: 409, retryable: false, message: 'The period is already closed; reopen it first if it must change.' },
  PERIOD_CLOSED: { status: 409, retryable: false, message: 'The period is closed and its data cannot change; reopen it (反结账) first.' },
  PERIOD_FROZEN: {
    status: 409,
    retryable: false,
    message: 'The period is being closed and its backup has been taken, so its data cannot change; cancel the close first.',
  },
  REOPEN_REQUIRES_ACT: {
    status: 409,
    retryable: false,
    message: 'A closed period is reopened only through the reopen act (反结账), with the reopen permission and a reason.',
  },
  PERIOD_NOT_CLOSED: { status: 409, retryable: false, message: 'The period is not closed, so there is nothing to reopen.' },
  REPORT_PERIOD_NOT_CLOSED: {
    status: 409,
    retryable: false,
    message: 'A close report exists only for a closed period; close the period first (POST /api/v1/closes, closectl start), or follow its running close.',
  },
  PERIOD_NOT_LATEST_CLOSED: {
    status: 409,
    retryable: false,
    message: 'Only the latest closed period of a ledger can be reopened; reopen the later ones first.',
  },
  CLOSE_RUNNING_SYNCS_INVOICES: {
    status: 409,
    retryable: false,
    message: 'A close of this period is running and syncs its invoices itself; watch the close instead.',
  },
  PERIOD_CLOSE_RUNNING: { status: 409, retryable: false, message: 'A close of this period is running; cancel it before reopening.' },
  CLOSE_SUPERSEDED: { status: 409, retryable: false, message: 'A newer close of this period replaced this one; follow that close instead.' },
  CLOSE_NOT_ACTIVE: { status: 409, retryable: false, message: 'The close has already ended; start a new close instead.' },
  NOT_THE_PREPARER: { status: 403, retryable: false, message: 'Only the preparer of a voucher may submit or void it.' },
  ACCOUNT_NOT_FOUND: { status: 404, retryable: false, message: 'The ledger has no such account.' },
  TRANSFER_NOT_FOUND: { status: 404, retryable: false, message: 'There is no fund transfer with this id.' },
  TRANSFER_STATE_INVALID: { status: 409, retryable: false, message: 'The transfer is not in a state that allows this.' },
  INVOICE_NOT_FOUND: { status: 404, retryable: false, message: 'There is no invoice with this id.' },
  INVOICE_DIFFERENCE_NOT_FOUND: {
    status: 404,
    retryable: false,
    message: 'The last reconciliation with the tax platform shows no such difference; sync the invoices again.',
  },
  VOUCHER_STATE_INVALID: { status: 409, retryable: false, message: 'The voucher is not in a state that allows this.' },
  VOUCHER_UNBALANCED: { status: 422, retryable: false, message: "The voucher's debits do not equal its credits." },
  AUDIT_LOG_APPEND_ONLY: { status: 409, retryable: false, message: 'The audit log is append-only: its entries cannot be changed or deleted.' },
  TALLY_DERIVED: {
    status: 409,
    retryable: false,
    message: "A period's tallies are kept by the database from its voucher lines and sub-ledger entries; write those instead.",
  },
  SEGREGATION_OF_DUTIES: {
    status: 409,
    retryable: false,
    message: 'The approver of a voucher must not be its preparer (不相容职务分离); another user must approve it.',
  },
  REIMBURSEMENT_STATE_INVALID: { status: 409, retryable: false, message: 'Only an unpaid, unposted claim can be deferred.' },
  BACKFILL_OUT_OF_RANGE: {
    status: 422,
    retryable: false,
    message: "A backfill runs the month-ends between the first period of the schedule's ledgers and now, at most a year at a time; narrow the range.",
  },
  CALENDAR_INVALID: {
    status: 422,
    retryable: false,
    message: 'The close calendar is not valid (an unknown time zone, or a day both a holiday and a workday); correct it and send it whole again.',
  },
  SUBSCRIPTION_NOT_FOUND: { status: 404, retryable: false, message: 'There is no notification subscription with this id.' },
  SUBSCRIPTION_TARGET_INVALID: {
    status: 400,
    retryable: false,
    message: 'A webhook, WeCom or DingTalk subscription needs an http(s) URL without credentials in it; an e-mail subscription needs an address.',
  },
  SCHEDULE_EXISTS: { status: 409, retryable: false, message: 'A schedule with this id already exists.' },
  USER_ROLE_CONFLICT: { status: 409, retryable: false, message: 'A user with this name already exists with another role.' },
  // users, tokens and sign-in (issue #17)
  USER_SCOPE_CONFLICT: { status: 409, retryable: false, message: 'A user with this name already exists with another organisation scope.' },
  USER_EXISTS: { status: 409, retryable: false, message: 'A user with this name already exists.' },
  USER_CHANGE_REFUSED: { status: 409, retryable: false, message: 'This account cannot be changed this way (your own account, or the system user).' },
  SCOPE_TOO_WIDE: { status: 403, retryable: false, message: 'An administrator cannot grant a scope wider than its own.' },
  TOKEN_NOT_FOUND: { status: 404, retryable: false, message: 'There is no token with this id.' },
  SIGN_IN_FAILED: { status: 401, retryable: false, message: 'The name or the password is wrong.' },
  SIGN_IN_LOCKED: { status: 429, retryable: true, message: 'Too many failed sign-ins; wait and try again.' },
  CSRF_TOKEN_INVALID: {
    status: 403,
    retryable: false,
    message: 'Send the X-CSRF-Token header the sign-in answered with (a cookie alone cannot change anything).',
  },
  // close steps: business rules (non-retryable)
  LEDGER_INACTIVE: { status: 409, retryable: false, message: 'The ledger is not active.' },
  CARRY_FORWARD_TARGET_MISSING: {
    status: 409,
    retryable: false,
    message: 'The ledger has no net-asset account designated to receive carried-forward income and expenditure; set one in the chart of accounts.',
  },
  SNAPSHOT_MISMATCH: {
    status: 409,
    retryable: false,
    message:
      "The period's backup is missing or does not match what the close wrote; the close stopped and undid its writes. Start the close again: it takes a new backup.",
  },
  // the database refused what it was given (not retryable: the same values fail again)
  VALUE_REJECTED: {
    status: 422,
    retryable: false,
    message: 'The database refused a value (for example one out of range or with a character it cannot store); correct it and try again.',
  },
  CONSTRAINT_VIOLATED: {
    status: 409,
    retryable: false,
    message: 'The change breaks a rule of the books (a duplicate, or a reference to something that does not exist); nothing was saved.',
  },
  // external systems and infrastructure (retryable)
  TAX_PLATFORM_UNAVAILABLE: { status: 503, retryable: true, message: 'The tax e-invoice platform is not answering; the close retries by itself.' },
  TAX_PLATFORM_BAD_RESPONSE: {
    status: 502,
    retryable: true,
    message: 'The tax e-invoice platform answered with something malformed; the close retries, and operations should check the platform.',
  },
  TAX_PLATFORM_REJECTED: {
    status: 502,
    retryable: true,
    message: 'The tax e-invoice platform rejected the request; check the credentials and the invoice data.',
  },
  BANK_UNAVAILABLE: { status: 503, retryable: true, message: 'The bank is not answering; the close retries by itself.' },
  BANK_BAD_RESPONSE: {
    status: 502,
    retryable: true,
    message: 'The bank answered with something malformed; the close retries, and operations should check the bank link.',
  },
  BANK_REJECTED: { status: 502, retryable: true, message: 'The bank rejected the request; check the credentials and the transfer reference.' },
  DATABASE_CONFLICT: {
    status: 503,
    retryable: true,
    message: 'Another change to the same accounts was written at the same moment and this one was stopped; nothing was saved. Try again.',
  },
  NOTIFICATION_DELIVERY_FAILED: {
    status: 502,
    retryable: true,
    message: 'A notification could not be delivered (the receiver did not answer 2xx, or the mail server refused it); it is retried by itself.',
  },
  DATABASE_UNAVAILABLE: { status: 503, retryable: true, message: 'The database is not reachable; try again shortly.' },
  PERIOD_BUSY: {
    status: 503,
    retryable: true,
    message: "Another transaction is writing this period's books; the close waits for it to finish and tries again by itself.",
  },
  TEMPORAL_UNAVAILABLE: { status: 503, retryable: true, message: 'The workflow service (Temporal) is not reachable; try again shortly.' },
  INTERNAL: { status: 500, retryable: true, message: 'Something unexpected failed; operations can find it in the log by the request id.' },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** The codes retrying cannot fix: an activity failing with one fails at once (the error table's `retryable`). */
export const nonRetryableCodes: ErrorCode[] = (Object.keys(ErrorCodes) as ErrorCode[]).filter((code) => !ErrorCodes[code].retryable);

/** A step's failure that ends the close (a business rule): marked non-retryable, or carrying a code retrying cannot fix. */
export function endsTheClose(failure: { nonRetryable?: boolean | null; type?: string | null }): boolean {
  return Boolean(failure.nonRetryable) || nonRetryableCodes.includes(failure.type as never);
}

export function isRetryableCode(code: string): boolean {
  return code in ErrorCodes ? ErrorCodes[code as ErrorCode].retryable : true;
}

/** The error every layer throws for a failure a user can meet. Mapped to HTTP once, in api/errors.ts. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ErrorCodes[code].message);
    this.name = 'AppError';
    this.status = ErrorCodes[code].status;
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}
