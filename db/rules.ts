import type { ErrorCode } from '../lib/errors';

/**
 * The rules the database keeps by itself, whoever writes (the product or a direct SQL statement):
 * each SQLSTATE the triggers raise, the error code a user reads (lib/errors.ts), the rule in words,
 * the functions that raise it (in the migrations under db/migrations/), and where it is tested.
 * db/rules.test.ts proves this list and the migrated schema's triggers name the same codes.
 */
export interface BookRule {
  code: ErrorCode;
  rule: string;
  /** The PL/pgSQL functions that raise it (each a trigger function, or called by one). */
  raisedBy: string[];
  testedIn: string[];
}

export const BOOK_RULES = {
  BK001: {
    code: 'PERIOD_CLOSED',
    rule: "A closed period's vouchers, lines, documents and balances cannot be inserted, updated or deleted, nor the period deleted; no book table is emptied (TRUNCATE) while a period is closed or frozen.",
    raisedBy: ['books_assert_writable', 'books_period_rules', 'books_guard_truncate'],
    testedIn: ['db/period-rules.test.ts', 'db/book-rules.test.ts', 'test/close/close-happy-path.test.ts'],
  },
  BK002: {
    code: 'VOUCHER_UNBALANCED',
    rule: "Every voucher's debits equal its credits after every statement (insert, update, delete); a voucher past its draft keeps its lines.",
    raisedBy: ['books_guard_lines', 'books_assert_vouchers_balance'],
    testedIn: ['db/book-rules.test.ts'],
  },
  BK003: {
    code: 'PERIOD_FROZEN',
    rule: "After its backup froze a closing period, only the close itself writes it; a writer waits for the freeze (FOR SHARE on the period's row) and is then refused.",
    raisedBy: ['books_assert_writable'],
    testedIn: ['db/period-rules.test.ts', 'test/close/close-concurrent-writers.test.ts'],
  },
  BK004: {
    code: 'REOPEN_REQUIRES_ACT',
    rule: 'A closed period is changed only by the reopen act (反结账), which names a reason.',
    raisedBy: ['books_period_rules'],
    testedIn: ['db/period-rules.test.ts'],
  },
  BK005: {
    code: 'AUDIT_LOG_APPEND_ONLY',
    rule: 'The audit log is append-only: no entry is updated or deleted.',
    raisedBy: ['books_audit_append_only'],
    testedIn: ['db/book-rules.test.ts'],
  },
  BK006: {
    code: 'TALLY_DERIVED',
    rule: 'The tallies of lines, sub-ledger entries and opening balances (period_account_total, subledger_total, period_opening_total) and the differences the board reads (period_trial_difference, period_control_difference) are written only by their triggers.',
    raisedBy: ['books_tally_guard'],
    testedIn: ['db/period-account-total.test.ts', 'db/period-differences.test.ts'],
  },
} as const satisfies Record<string, BookRule>;

export type BookRuleState = keyof typeof BOOK_RULES;
