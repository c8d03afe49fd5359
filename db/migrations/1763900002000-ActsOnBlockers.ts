import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the acts that clear a close's blockers need (issue #15):
 * - a fund transfer knows who sent it (its blocker's owner) and what the bank last said of it, and a
 *   returned transfer (退汇) can be written off: posted and reversed by vouchers, then `written_off`;
 * - the latest invoice reconciliation of each period (by the close or by a sync ahead of it), so a
 *   pre-close check can show what the platform said without asking it, and acts can take its values;
 * - differences with the tax platform accepted with a reason (a red-letter invoice pending, say):
 *   listed in the close's record, no longer blocking; part of the period's books (guarded like them);
 * - the permissions of the new acts.
 */
export class ActsOnBlockers1763900002000 implements MigrationInterface {
  name = 'ActsOnBlockers1763900002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- What the bank last said of a transfer (its own words: in_transit, settled, failed, returned, unknown) and when.
      ALTER TABLE fund_transfer ADD COLUMN sent_by text, ADD COLUMN bank_state text, ADD COLUMN bank_checked_at timestamptz;
      ALTER TABLE fund_transfer DROP CONSTRAINT fund_transfer_state_check, DROP CONSTRAINT fund_transfer_check;
      ALTER TABLE fund_transfer ADD CONSTRAINT fund_transfer_state_check
        CHECK (state IN ('in_transit', 'settled', 'failed', 'returned', 'posted', 'written_off'));
      ALTER TABLE fund_transfer ADD CONSTRAINT fund_transfer_check CHECK ((state IN ('posted', 'written_off')) = (voucher_id IS NOT NULL));

      CREATE TABLE invoice_reconciliation (
        ledger_id            int NOT NULL,
        period               period_code NOT NULL,
        checked_at           timestamptz NOT NULL DEFAULT now(),
        source               text NOT NULL CHECK (source IN ('close', 'ahead')),
        missing_on_platform  jsonb NOT NULL DEFAULT '[]',
        missing_in_ledger    jsonb NOT NULL DEFAULT '[]',
        mismatches           jsonb NOT NULL DEFAULT '[]',
        PRIMARY KEY (ledger_id, period),
        FOREIGN KEY (ledger_id, period) REFERENCES period (ledger_id, period)
      );

      CREATE TABLE invoice_accepted_difference (
        id           bigserial PRIMARY KEY,
        ledger_id    int NOT NULL,
        period       period_code NOT NULL,
        number       text NOT NULL,
        -- NULL: the whole invoice (on one side only); else the field that differs.
        field        text CHECK (field IN ('buyerName', 'buyerTaxId', 'sellerTaxId', 'amount', 'tax', 'date')),
        reason       text NOT NULL CHECK (length(reason) > 0),
        accepted_by  text NOT NULL,
        accepted_at  timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (ledger_id, period) REFERENCES period (ledger_id, period)
      );
      CREATE UNIQUE INDEX invoice_accepted_difference_once ON invoice_accepted_difference (ledger_id, period, number, coalesce(field, ''));
      CREATE TRIGGER invoice_accepted_difference_guard BEFORE INSERT OR UPDATE OR DELETE ON invoice_accepted_difference
        FOR EACH ROW EXECUTE FUNCTION books_guard_row();

      INSERT INTO permission (name, description) VALUES
        ('voucher:submit', 'submit (or resubmit) a voucher one prepared'),
        ('voucher:void', 'void a draft or rejected voucher one prepared'),
        ('reimbursement:pay', 'record the payment of a claim'),
        ('reimbursement:post', 'post a paid claim (the product writes its voucher)'),
        ('transfer:query', 'ask the bank about a transfer now'),
        ('transfer:resend', 're-send a failed transfer'),
        ('transfer:write_off', 'accept a returned transfer (退汇) and write it off'),
        ('invoice:correct', 'take the tax platform''s values into the ledger, or record its invoice'),
        ('invoice:accept', 'accept a known difference with the tax platform, with a reason');
      INSERT INTO role_permission (role, permission) VALUES
        ('accountant', 'voucher:submit'), ('accountant', 'voucher:void'), ('accountant', 'invoice:correct'),
        ('finance_manager', 'reimbursement:pay'), ('finance_manager', 'reimbursement:post'), ('finance_manager', 'transfer:query'),
        ('finance_manager', 'transfer:resend'), ('finance_manager', 'transfer:write_off'), ('finance_manager', 'invoice:accept'),
        ('operations', 'transfer:query');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM role_permission WHERE permission IN ('voucher:submit', 'voucher:void', 'reimbursement:pay', 'reimbursement:post', 'transfer:query',
        'transfer:resend', 'transfer:write_off', 'invoice:correct', 'invoice:accept');
      DELETE FROM permission WHERE name IN ('voucher:submit', 'voucher:void', 'reimbursement:pay', 'reimbursement:post', 'transfer:query',
        'transfer:resend', 'transfer:write_off', 'invoice:correct', 'invoice:accept');
      DROP TABLE invoice_accepted_difference, invoice_reconciliation;
      ALTER TABLE fund_transfer DROP CONSTRAINT fund_transfer_state_check, DROP CONSTRAINT fund_transfer_check;
      ALTER TABLE fund_transfer ADD CONSTRAINT fund_transfer_state_check CHECK (state IN ('in_transit', 'settled', 'failed', 'returned', 'posted'));
      ALTER TABLE fund_transfer ADD CONSTRAINT fund_transfer_check CHECK ((state = 'posted') = (voucher_id IS NOT NULL));
      ALTER TABLE fund_transfer DROP COLUMN sent_by, DROP COLUMN bank_state, DROP COLUMN bank_checked_at;
    `);
  }
}
