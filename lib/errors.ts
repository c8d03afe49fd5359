/**
 * One list of stable error codes: the API answers with them, close steps record them, and
 * non-retryable Temporal ApplicationFailures carry them as their `type`. A code never changes
 * meaning once released; add new ones instead.
 */
export const ErrorCodes = {
  // request shape
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid; see details for each field.' },
  MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  PERIOD_INVALID: { status: 400, message: 'A period is written YYYY-MM, for example 2026-10.' },
  PERIOD_IN_FUTURE: { status: 422, message: 'The period has not ended yet; a period can be closed once its month is over.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  // who
  UNAUTHENTICATED: { status: 401, message: 'Send a valid token as "Authorization: Bearer <token>".' },
  PERMISSION_DENIED: { status: 403, message: 'Your role lacks the permission this needs; ask an administrator.' },
  // what does not exist
  NOT_FOUND: { status: 404, message: 'There is no such resource.' },
  LEDGER_NOT_FOUND: { status: 404, message: 'There is no ledger with this code.' },
  PERIOD_NOT_FOUND: { status: 404, message: 'The ledger has no such period.' },
  CLOSE_NOT_FOUND: { status: 404, message: 'There is no close with this id.' },
  VOUCHER_NOT_FOUND: { status: 404, message: 'There is no voucher with this id.' },
  REIMBURSEMENT_NOT_FOUND: { status: 404, message: 'There is no reimbursement with this id.' },
  SCHEDULE_NOT_FOUND: { status: 404, message: 'There is no schedule with this id.' },
  INVOICE_SYNC_NOT_FOUND: { status: 404, message: 'No invoice sync has run for this ledger and period; start one with POST.' },
  MONTH_END_NOT_FOUND: { status: 404, message: 'There is no month-end run with this id.' },
  USER_NOT_FOUND: { status: 404, message: 'There is no user with this name.' },
  // conflicts with the state of the books
  PERIOD_ALREADY_CLOSED: { status: 409, message: 'The period is already closed; reopen it first if it must change.' },
  PERIOD_CLOSED: { status: 409, message: 'The period is closed and its data cannot change; reopen it (反结账) first.' },
  PERIOD_FROZEN: { status: 409, message: 'The period is being closed and its backup has been taken, so its data cannot change; cancel the close first.' },
  REOPEN_REQUIRES_ACT: { status: 409, message: 'A closed period is reopened only through the reopen act (反结账), with the reopen permission and a reason.' },
  PERIOD_NOT_CLOSED: { status: 409, message: 'The period is not closed, so there is nothing to reopen.' },
  PERIOD_NOT_LATEST_CLOSED: { status: 409, message: 'Only the latest closed period of a ledger can be reopened; reopen the later ones first.' },
  CLOSE_RUNNING_SYNCS_INVOICES: { status: 409, message: 'A close of this period is running and syncs its invoices itself; watch the close instead.' },
  PERIOD_CLOSE_RUNNING: { status: 409, message: 'A close of this period is running; cancel it before reopening.' },
  CLOSE_NOT_ACTIVE: { status: 409, message: 'The close has already ended; start a new close instead.' },
  VOUCHER_STATE_INVALID: { status: 409, message: 'The voucher is not in a state that allows this.' },
  VOUCHER_UNBALANCED: { status: 422, message: 'The voucher\'s debits do not equal its credits.' },
  TALLY_DERIVED: { status: 409, message: 'A period\'s tallies are kept by the database from its voucher lines and sub-ledger entries; write those instead.' },
  SEGREGATION_OF_DUTIES: { status: 409, message: 'The approver of a voucher must not be its preparer (不相容职务分离); another user must approve it.' },
  REIMBURSEMENT_STATE_INVALID: { status: 409, message: 'Only an unpaid, unposted claim can be deferred.' },
  SCHEDULE_EXISTS: { status: 409, message: 'A schedule with this id already exists.' },
  USER_ROLE_CONFLICT: { status: 409, message: 'A user with this name already exists with another role.' },
  // close steps: business rules (non-retryable)
  LEDGER_INACTIVE: { status: 409, message: 'The ledger is not active.' },
  CARRY_FORWARD_TARGET_MISSING: { status: 409, message: 'The ledger has no net-asset account designated to receive carried-forward income and expenditure; set one in the chart of accounts.' },
  SNAPSHOT_MISMATCH: { status: 409, message: 'The period changed after its backup was taken; the close will take a new backup.' },
  // external systems and infrastructure (retryable)
  TAX_PLATFORM_UNAVAILABLE: { status: 503, message: 'The tax e-invoice platform is not answering; the close retries by itself.' },
  TAX_PLATFORM_BAD_RESPONSE: { status: 502, message: 'The tax e-invoice platform answered with something malformed; the close retries, and operations should check the platform.' },
  TAX_PLATFORM_REJECTED: { status: 502, message: 'The tax e-invoice platform rejected the request; check the credentials and the invoice data.' },
  BANK_UNAVAILABLE: { status: 503, message: 'The bank is not answering; the close retries by itself.' },
  BANK_BAD_RESPONSE: { status: 502, message: 'The bank answered with something malformed; the close retries, and operations should check the bank link.' },
  BANK_REJECTED: { status: 502, message: 'The bank rejected the request; check the credentials and the transfer reference.' },
  DATABASE_CONFLICT: { status: 503, message: 'Another change to the same accounts was written at the same moment and this one was stopped; nothing was saved. Try again.' },
  DATABASE_UNAVAILABLE: { status: 503, message: 'The database is not reachable; try again shortly.' },
  TEMPORAL_UNAVAILABLE: { status: 503, message: 'The workflow service (Temporal) is not reachable; try again shortly.' },
  INTERNAL: { status: 500, message: 'Something unexpected failed; operations can find it in the log by the request id.' },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** The codes a close step throws that retrying cannot fix. */
export const nonRetryableCodes: ErrorCode[] = [
  'LEDGER_NOT_FOUND', 'PERIOD_INVALID', 'PERIOD_IN_FUTURE', 'PERMISSION_DENIED', 'PERIOD_ALREADY_CLOSED',
  'LEDGER_INACTIVE', 'CARRY_FORWARD_TARGET_MISSING', 'USER_NOT_FOUND', 'VALIDATION_FAILED', 'PERIOD_NOT_FOUND', 'CLOSE_NOT_ACTIVE',
  'CLOSE_RUNNING_SYNCS_INVOICES',
];

/** The error every layer throws for a failure a user can meet. Mapped to HTTP once, in api/errors.ts. */
export class AppError extends Error {
  readonly status: number;
  constructor(readonly code: ErrorCode, message?: string, readonly details?: unknown) {
    super(message ?? ErrorCodes[code].message);
    this.name = 'AppError';
    this.status = ErrorCodes[code].status;
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}
