import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The books: ledgers, chart of accounts, periods, vouchers and lines, the business documents that
 * feed them, and balances. Money is bigint minor units (fen); balances are signed debit-positive.
 * Rules the database itself keeps live in the next migration (BookRules).
 */
export class Books1763900000000 implements MigrationInterface {
  name = 'Books1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE DOMAIN period_code AS text CHECK (VALUE ~ '^[0-9]{4}-(0[1-9]|1[0-2])$');
      CREATE DOMAIN minor_units AS bigint;

      CREATE TABLE ledger (
        id            serial PRIMARY KEY,
        code          text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
        name          text NOT NULL,
        currency      char(3) NOT NULL DEFAULT 'CNY',
        parent_id     int REFERENCES ledger(id),
        taxpayer_id   text NOT NULL,
        first_period  period_code NOT NULL,
        active        boolean NOT NULL DEFAULT true,
        created_at    timestamptz NOT NULL DEFAULT now(),
        CHECK (parent_id IS NULL OR parent_id <> id)
      );
      CREATE INDEX ledger_parent_idx ON ledger (parent_id, code);

      CREATE TABLE account (
        ledger_id      int NOT NULL REFERENCES ledger(id),
        code           text NOT NULL,
        name           text NOT NULL,
        class          text NOT NULL CHECK (class IN ('asset', 'liability', 'net_asset', 'income', 'expenditure')),
        control_of     text CHECK (control_of IN ('receivables', 'payables', 'invoices', 'reimbursements')),
        carry_forward_target boolean NOT NULL DEFAULT false,
        PRIMARY KEY (ledger_id, code),
        CHECK (NOT carry_forward_target OR class = 'net_asset')
      );
      CREATE UNIQUE INDEX account_one_carry_target ON account (ledger_id) WHERE carry_forward_target;
      CREATE UNIQUE INDEX account_one_control_per_subledger ON account (ledger_id, control_of) WHERE control_of IS NOT NULL;

      CREATE TABLE period (
        ledger_id     int NOT NULL REFERENCES ledger(id),
        period        period_code NOT NULL,
        state         text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closing', 'closed')),
        frozen_at     timestamptz,
        close_id      text,
        closed_by     text,
        closed_at     timestamptz,
        PRIMARY KEY (ledger_id, period),
        CHECK ((state = 'closed') = (closed_at IS NOT NULL AND closed_by IS NOT NULL))
      );
      CREATE INDEX period_state_idx ON period (state, ledger_id);

      CREATE TABLE voucher (
        id            bigserial PRIMARY KEY,
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        number        int NOT NULL CHECK (number > 0),
        voucher_date  date NOT NULL,
        description   text NOT NULL DEFAULT '',
        preparer      text NOT NULL,
        approver      text,
        state         text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'approved', 'rejected', 'posted')),
        source_type   text CHECK (source_type IN ('reimbursement', 'transfer', 'invoice', 'carry_forward')),
        source_id     bigint,
        approved_at   timestamptz,
        posted_at     timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (ledger_id, period) REFERENCES period (ledger_id, period),
        UNIQUE (ledger_id, period, number),
        UNIQUE (id, ledger_id, period),
        CONSTRAINT voucher_segregation_of_duties CHECK (approver IS NULL OR approver <> preparer),
        CONSTRAINT voucher_approved_has_approver CHECK (state NOT IN ('approved', 'posted') OR approver IS NOT NULL),
        CONSTRAINT voucher_posted_has_time CHECK ((state = 'posted') = (posted_at IS NOT NULL)),
        CHECK (to_char(voucher_date, 'YYYY-MM') = period),
        CHECK ((source_type IS NULL) = (source_id IS NULL))
      );
      -- A business document is posted once: one voucher per source document.
      CREATE UNIQUE INDEX voucher_posts_source_once ON voucher (source_type, source_id) WHERE source_type IS NOT NULL;
      -- Income and expenditure are carried to net assets once per period.
      CREATE UNIQUE INDEX voucher_one_carry_forward ON voucher (ledger_id, period) WHERE source_type = 'carry_forward';
      CREATE INDEX voucher_period_state_idx ON voucher (ledger_id, period, state);

      CREATE TABLE voucher_line (
        id            bigserial PRIMARY KEY,
        voucher_id    bigint NOT NULL,
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        line_no       smallint NOT NULL CHECK (line_no > 0),
        account_code  text NOT NULL,
        debit         minor_units NOT NULL DEFAULT 0 CHECK (debit >= 0),
        credit        minor_units NOT NULL DEFAULT 0 CHECK (credit >= 0),
        memo          text NOT NULL DEFAULT '',
        CONSTRAINT voucher_line_one_side CHECK ((debit > 0) <> (credit > 0)),
        FOREIGN KEY (voucher_id, ledger_id, period) REFERENCES voucher (id, ledger_id, period) ON DELETE CASCADE,
        FOREIGN KEY (ledger_id, account_code) REFERENCES account (ledger_id, code),
        UNIQUE (voucher_id, line_no)
      );
      -- The close aggregates a period's lines per account: one index-only scan.
      CREATE INDEX voucher_line_period_account_idx ON voucher_line (ledger_id, period, account_code) INCLUDE (debit, credit);

      CREATE TABLE reimbursement (
        id            bigserial PRIMARY KEY,
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        number        text NOT NULL,
        claimant      text NOT NULL,
        description   text NOT NULL DEFAULT '',
        amount        minor_units NOT NULL CHECK (amount > 0),
        expense_account text NOT NULL,
        state         text NOT NULL CHECK (state IN ('submitted', 'approved', 'paid', 'posted', 'deferred')),
        deferred_to   period_code,
        deferred_reason text,
        voucher_id    bigint REFERENCES voucher(id),
        FOREIGN KEY (ledger_id, period) REFERENCES period (ledger_id, period),
        FOREIGN KEY (ledger_id, expense_account) REFERENCES account (ledger_id, code),
        UNIQUE (ledger_id, number),
        CHECK ((state = 'posted') = (voucher_id IS NOT NULL)),
        CHECK ((state = 'deferred') = (deferred_to IS NOT NULL AND deferred_reason IS NOT NULL))
      );
      CREATE INDEX reimbursement_period_idx ON reimbursement (ledger_id, period, state);

      CREATE TABLE fund_transfer (
        id            bigserial PRIMARY KEY,
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        reference     text NOT NULL UNIQUE,
        amount        minor_units NOT NULL CHECK (amount > 0),
        debit_account text NOT NULL,
        credit_account text NOT NULL,
        counterparty  text NOT NULL,
        state         text NOT NULL CHECK (state IN ('in_transit', 'settled', 'failed', 'returned', 'posted')),
        bank_reason   text,
        settled_at    timestamptz,
        voucher_id    bigint REFERENCES voucher(id),
        FOREIGN KEY (ledger_id, period) REFERENCES period (ledger_id, period),
        FOREIGN KEY (ledger_id, debit_account) REFERENCES account (ledger_id, code),
        FOREIGN KEY (ledger_id, credit_account) REFERENCES account (ledger_id, code),
        CHECK ((state = 'posted') = (voucher_id IS NOT NULL))
      );
      CREATE INDEX fund_transfer_period_idx ON fund_transfer (ledger_id, period, state);

      CREATE TABLE invoice (
        id            bigserial PRIMARY KEY,
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        number        text NOT NULL,
        buyer_name    text NOT NULL,
        buyer_tax_id  text NOT NULL,
        seller_tax_id text NOT NULL,
        amount        minor_units NOT NULL CHECK (amount >= 0),
        tax           minor_units NOT NULL CHECK (tax >= 0),
        invoice_date  date NOT NULL,
        lines         jsonb NOT NULL DEFAULT '[]',
        sync_state    text NOT NULL DEFAULT 'pending' CHECK (sync_state IN ('pending', 'uploaded', 'matched', 'mismatched')),
        synced_at     timestamptz,
        voucher_id    bigint REFERENCES voucher(id),
        FOREIGN KEY (ledger_id, period) REFERENCES period (ledger_id, period),
        UNIQUE (ledger_id, number),
        CHECK (to_char(invoice_date, 'YYYY-MM') = period)
      );
      CREATE INDEX invoice_period_idx ON invoice (ledger_id, period, number);

      -- Business sub-systems (receivables, payables, invoicing, reimbursement) book here; the close
      -- reconciles each sub-ledger's movement with its general-ledger control account.
      CREATE TABLE subledger_entry (
        id            bigserial PRIMARY KEY,
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        subledger     text NOT NULL CHECK (subledger IN ('receivables', 'payables', 'invoices', 'reimbursements')),
        reference     text NOT NULL,
        counterparty  text NOT NULL DEFAULT '',
        amount        minor_units NOT NULL CHECK (amount <> 0),
        FOREIGN KEY (ledger_id, period) REFERENCES period (ledger_id, period)
      );
      CREATE INDEX subledger_entry_period_idx ON subledger_entry (ledger_id, period, subledger) INCLUDE (amount);

      -- Opening balance per account and period; debit, credit and closing once the period closes.
      CREATE TABLE balance (
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        account_code  text NOT NULL,
        opening       minor_units NOT NULL DEFAULT 0,
        debit         minor_units,
        credit        minor_units,
        closing       minor_units,
        PRIMARY KEY (ledger_id, period, account_code),
        FOREIGN KEY (ledger_id, period) REFERENCES period (ledger_id, period),
        FOREIGN KEY (ledger_id, account_code) REFERENCES account (ledger_id, code),
        CHECK ((closing IS NULL) OR (closing = opening + debit - credit))
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE balance, subledger_entry, invoice, fund_transfer, reimbursement, voucher_line, voucher, period, account, ledger;
      DROP DOMAIN minor_units; DROP DOMAIN period_code;
    `);
  }
}
