/**
 * The books' tables as the migrations made them: every column with its PostgreSQL type (a trailing
 * `?` where it may be NULL), and the values each CHECK constraint allows where a column is a closed
 * set. The product writes SQL, not entities (heavy work is set-based); these are the typed row shapes
 * its queries return, and db/schema.test.ts proves both lists equal the migrated schema.
 */
export const TABLES = {
  account: { ledger_id: 'int4', code: 'text', name: 'text', class: 'text', control_of: 'text?', carry_forward_target: 'bool' },
  api_token: { id: 'int4', user_id: 'int4', token_hash: 'text', created_at: 'timestamptz', revoked_at: 'timestamptz?', expires_at: 'timestamptz?' },
  app_user: {
    id: 'int4',
    name: 'text',
    role: 'text',
    active: 'bool',
    created_at: 'timestamptz',
    scope_ledger_id: 'int4?',
    password_hash: 'text?',
    failed_sign_ins: 'int4',
    locked_until: 'timestamptz?',
  },
  audit_log: {
    id: 'int8',
    at: 'timestamptz',
    actor: 'text',
    action: 'text',
    ledger_id: 'int4?',
    period: 'period_code?',
    target: 'text?',
    reason: 'text?',
    details: 'jsonb',
  },
  balance: {
    ledger_id: 'int4',
    period: 'period_code',
    account_code: 'text',
    opening: 'minor_units',
    debit: 'minor_units?',
    credit: 'minor_units?',
    closing: 'minor_units?',
  },
  close_operation: { ledger_id: 'int4', period: 'period_code', operation: 'text', close_id: 'text', result: 'jsonb', done_at: 'timestamptz' },
  close_run: {
    id: 'text',
    workflow_id: 'text',
    run_id: 'text?',
    ledger_id: 'int4',
    period: 'period_code',
    initiated_by: 'text',
    month_end_id: 'text?',
    state: 'text',
    current_step: 'text?',
    steps: 'jsonb',
    blockers: 'jsonb',
    errors: 'jsonb',
    started_at: 'timestamptz',
    updated_at: 'timestamptz',
    ended_at: 'timestamptz?',
  },
  fund_transfer: {
    id: 'int8',
    ledger_id: 'int4',
    period: 'period_code',
    reference: 'text',
    amount: 'minor_units',
    debit_account: 'text',
    credit_account: 'text',
    counterparty: 'text',
    state: 'text',
    bank_reason: 'text?',
    settled_at: 'timestamptz?',
    voucher_id: 'int8?',
    sent_by: 'text?',
    bank_state: 'text?',
    bank_checked_at: 'timestamptz?',
  },
  invoice: {
    id: 'int8',
    ledger_id: 'int4',
    period: 'period_code',
    number: 'text',
    buyer_name: 'text',
    buyer_tax_id: 'text',
    seller_tax_id: 'text',
    amount: 'minor_units',
    tax: 'minor_units',
    invoice_date: 'date',
    lines: 'jsonb',
    sync_state: 'text',
    synced_at: 'timestamptz?',
    voucher_id: 'int8?',
  },
  invoice_accepted_difference: {
    id: 'int8',
    ledger_id: 'int4',
    period: 'period_code',
    number: 'text',
    field: 'text?',
    reason: 'text',
    accepted_by: 'text',
    accepted_at: 'timestamptz',
  },
  invoice_digest: { ledger_id: 'int4', period: 'period_code', version: 'int8', digest: 'text?', digest_count: 'int4?', digest_version: 'int8?' },
  invoice_reconciliation: {
    ledger_id: 'int4',
    period: 'period_code',
    checked_at: 'timestamptz',
    source: 'text',
    missing_on_platform: 'jsonb',
    missing_in_ledger: 'jsonb',
    mismatches: 'jsonb',
  },
  invoice_sync_report: {
    close_id: 'text',
    ledger_id: 'int4',
    period: 'period_code',
    uploaded: 'int4',
    matched: 'int4',
    missing_on_platform: 'jsonb',
    missing_in_ledger: 'jsonb',
    mismatches: 'jsonb',
    created_at: 'timestamptz',
    reconciled_by: 'text',
  },
  ledger: {
    id: 'int4',
    code: 'text',
    name: 'text',
    currency: 'bpchar',
    parent_id: 'int4?',
    taxpayer_id: 'text',
    first_period: 'period_code',
    active: 'bool',
    created_at: 'timestamptz',
    path: '_int4',
  },
  month_end_run: {
    id: 'text',
    workflow_id: 'text',
    period: 'period_code',
    scope: 'jsonb',
    initiated_by: 'text',
    state: 'text',
    ledger_count: 'int4?',
    started_at: 'timestamptz',
    ended_at: 'timestamptz?',
  },
  period: {
    ledger_id: 'int4',
    period: 'period_code',
    state: 'text',
    frozen_at: 'timestamptz?',
    close_id: 'text?',
    closed_by: 'text?',
    closed_at: 'timestamptz?',
  },
  period_account_total: {
    ledger_id: 'int4',
    period: 'period_code',
    account_code: 'text',
    lines: 'int8',
    debit: 'minor_units',
    credit: 'minor_units',
    line_hash: 'numeric',
  },
  period_snapshot: {
    id: 'int8',
    close_id: 'text',
    ledger_id: 'int4',
    period: 'period_code',
    line_count: 'int8',
    debit_total: 'minor_units',
    credit_total: 'minor_units',
    checksum: 'text',
    accounts: 'jsonb',
    taken_at: 'timestamptz',
  },
  permission: { name: 'text', description: 'text' },
  reimbursement: {
    id: 'int8',
    ledger_id: 'int4',
    period: 'period_code',
    number: 'text',
    claimant: 'text',
    description: 'text',
    amount: 'minor_units',
    expense_account: 'text',
    state: 'text',
    deferred_to: 'period_code?',
    deferred_reason: 'text?',
    voucher_id: 'int8?',
  },
  role: { name: 'text', description: 'text' },
  role_permission: { role: 'text', permission: 'text' },
  user_session: {
    id: 'int4',
    user_id: 'int4',
    token_hash: 'text',
    csrf_hash: 'text',
    created_at: 'timestamptz',
    expires_at: 'timestamptz',
    revoked_at: 'timestamptz?',
  },
  subledger_entry: { id: 'int8', ledger_id: 'int4', period: 'period_code', subledger: 'text', reference: 'text', counterparty: 'text', amount: 'minor_units' },
  subledger_total: { ledger_id: 'int4', period: 'period_code', subledger: 'text', entries: 'int8', amount: 'minor_units' },
  voucher: {
    id: 'int8',
    ledger_id: 'int4',
    period: 'period_code',
    number: 'int4',
    voucher_date: 'date',
    description: 'text',
    preparer: 'text',
    approver: 'text?',
    state: 'text',
    source_type: 'text?',
    source_id: 'int8?',
    approved_at: 'timestamptz?',
    posted_at: 'timestamptz?',
    created_at: 'timestamptz',
  },
  voucher_line: {
    id: 'int8',
    voucher_id: 'int8',
    ledger_id: 'int4',
    period: 'period_code',
    line_no: 'int2',
    account_code: 'text',
    debit: 'minor_units',
    credit: 'minor_units',
    memo: 'text',
  },
} as const;

/** The closed sets of values some columns take: `table.column` → values (CHECK ... IN (...)). */
export const COLUMN_VALUES = {
  'account.class': ['asset', 'liability', 'net_asset', 'income', 'expenditure'],
  'account.control_of': ['receivables', 'payables', 'invoices', 'reimbursements'],
  'period.state': ['open', 'closing', 'closed'],
  'voucher.state': ['draft', 'submitted', 'approved', 'rejected', 'posted'],
  'voucher.source_type': ['reimbursement', 'transfer', 'invoice', 'carry_forward'],
  'reimbursement.state': ['submitted', 'approved', 'paid', 'posted', 'deferred'],
  'fund_transfer.state': ['in_transit', 'settled', 'failed', 'returned', 'posted', 'written_off'],
  'invoice_reconciliation.source': ['close', 'ahead'],
  'invoice_accepted_difference.field': ['buyerName', 'buyerTaxId', 'sellerTaxId', 'amount', 'tax', 'date'],
  'invoice.sync_state': ['pending', 'uploaded', 'matched', 'mismatched'],
  'subledger_entry.subledger': ['receivables', 'payables', 'invoices', 'reimbursements'],
  'month_end_run.state': ['running', 'completed', 'failed', 'cancelled'],
  'close_run.state': ['running', 'blocked', 'failed', 'cancelled', 'closed'],
  'close_operation.operation': ['backup', 'carry_forward', 'lock'],
  'invoice_sync_report.reconciled_by': ['digest', 'listing'],
} as const;

type Values<K extends keyof typeof COLUMN_VALUES> = (typeof COLUMN_VALUES)[K][number];
export type AccountClass = Values<'account.class'>;
export type Subledger = Values<'account.control_of'>;
export type PeriodState = Values<'period.state'>;
export type VoucherState = Values<'voucher.state'>;
export type ReimbursementState = Values<'reimbursement.state'>;
export type FundTransferState = Values<'fund_transfer.state'>;
export type InvoiceSyncState = Values<'invoice.sync_state'>;

/** What node-postgres hands back for each type: bigint and numeric as exact text, never a float. */
interface PgValue {
  int2: number;
  int4: number;
  int8: string;
  numeric: string;
  minor_units: string;
  text: string;
  bpchar: string;
  period_code: string;
  bool: boolean;
  date: string;
  timestamptz: Date;
  jsonb: unknown;
}
type ColumnValue<T> = T extends `${infer Base extends keyof PgValue}?` ? PgValue[Base] | null : T extends keyof PgValue ? PgValue[T] : never;

/** A row of `table` as a `SELECT *` returns it. */
export type Row<T extends keyof typeof TABLES> = { -readonly [C in keyof (typeof TABLES)[T]]: ColumnValue<(typeof TABLES)[T][C]> };
