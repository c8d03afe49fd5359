import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Concurrent writers and the close's freeze, and the balance rule on every statement.
 *
 * Every row guard of the books takes its period's row FOR SHARE (books_check_period_writable), so
 * the close's freeze (`SELECT … FOR UPDATE` on the same row, then `frozen_at`) waits for the commit
 * of every writer that came first, and a writer that comes after waits for the freeze to commit and
 * is then refused (BK003). The statement guard of the voucher lines read the period's state without
 * that lock, so an UPDATE of an existing voucher's lines held open across a close committed after
 * the period was closed. It now locks the periods of the changed lines FOR SHARE, in key order
 * (so two writers never lock them in opposite orders), before the tally triggers lock any tally row
 * (triggers of one event fire in name order: guard before tally).
 *
 * The balance rule (BK002) also holds after a DELETE, and after an UPDATE for the vouchers the
 * lines left: every voucher that still exists balances, and one that is past its draft keeps its
 * lines (delete the voucher, not its last lines). TRUNCATE, which fires no row or statement
 * trigger, is refused while any period is closed or frozen.
 *
 * An invoice whose reported fields change after the tax platform confirmed it (matched) is awaiting
 * confirmation again (uploaded), so the backup's re-check, which cannot ask the platform, sees it and
 * the close reconciles it once more instead of locking a period whose invoices no longer agree with
 * the platform.
 */
export class WritersMeetTheFreeze1763900000800 implements MigrationInterface {
  name = 'WritersMeetTheFreeze1763900000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION books_assert_writable(p_ledger int, p_period text, p_state text, p_frozen timestamptz) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        IF p_state = 'closed' THEN
          RAISE EXCEPTION 'period % of ledger % is closed and cannot change', p_period, p_ledger
            USING ERRCODE = 'BK001', HINT = 'Reopen the period (反结账) with a reason first.';
        END IF;
        IF p_frozen IS NOT NULL AND coalesce(current_setting('books.close_writer', true), '') <> 'on' THEN
          RAISE EXCEPTION 'period % of ledger % is frozen by its close', p_period, p_ledger
            USING ERRCODE = 'BK003', HINT = 'Cancel the running close to change the period.';
        END IF;
      END $$;

      CREATE OR REPLACE FUNCTION books_check_period_writable(p_ledger int, p_period text) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE st text; fz timestamptz;
      BEGIN
        -- FOR SHARE waits for a close that is freezing or locking the period, then sees its decision;
        -- held to commit, it makes a later freeze wait for this writer.
        SELECT state, frozen_at INTO st, fz FROM period WHERE ledger_id = p_ledger AND period = p_period FOR SHARE;
        PERFORM books_assert_writable(p_ledger, p_period, st, fz);
      END $$;

      -- The vouchers given must balance as they stand now; those past their draft must keep lines.
      CREATE FUNCTION books_assert_vouchers_balance(p_vouchers bigint[], p_what text) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE bad record;
      BEGIN
        SELECT v.id, v.state, coalesce(sum(l.debit), 0) AS debit, coalesce(sum(l.credit), 0) AS credit, count(l.id) AS lines INTO bad
        FROM voucher v LEFT JOIN voucher_line l ON l.voucher_id = v.id
        WHERE v.id = ANY (p_vouchers)
        GROUP BY v.id
        HAVING coalesce(sum(l.debit), 0) <> coalesce(sum(l.credit), 0) OR (count(l.id) = 0 AND v.state <> 'draft')
        LIMIT 1;
        IF NOT FOUND THEN RETURN; END IF;
        IF bad.lines = 0 THEN
          RAISE EXCEPTION 'voucher % is % and would be left without lines after the %', bad.id, bad.state, p_what
            USING ERRCODE = 'BK002', HINT = 'Delete or void the voucher itself instead of its last lines.';
        END IF;
        RAISE EXCEPTION 'voucher % does not balance after the %: debits % and credits %', bad.id, p_what, bad.debit, bad.credit
          USING ERRCODE = 'BK002', HINT = 'Change all lines of a voucher in one statement, keeping debits equal to credits.';
      END $$;

      CREATE OR REPLACE FUNCTION books_guard_lines() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE p record; bad record; removed bigint[];
      BEGIN
        FOR p IN SELECT pr.ledger_id, pr.period, pr.state, pr.frozen_at FROM period pr
                 WHERE (pr.ledger_id, pr.period) IN (SELECT DISTINCT ledger_id, period FROM changed_lines)
                 ORDER BY pr.ledger_id, pr.period FOR SHARE OF pr
        LOOP
          PERFORM books_assert_writable(p.ledger_id, p.period, p.state, p.frozen_at);
        END LOOP;
        IF TG_OP = 'DELETE' THEN
          SELECT array_agg(DISTINCT voucher_id) INTO removed FROM changed_lines;
          PERFORM books_assert_vouchers_balance(removed, 'delete');
          RETURN NULL;
        END IF;
        SELECT l.voucher_id, sum(l.debit) AS debit, sum(l.credit) AS credit INTO bad
        FROM voucher_line l WHERE l.voucher_id IN (SELECT DISTINCT voucher_id FROM changed_lines)
        GROUP BY l.voucher_id HAVING sum(l.debit) <> sum(l.credit) LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'voucher % does not balance: debits % and credits %', bad.voucher_id, bad.debit, bad.credit
            USING ERRCODE = 'BK002', HINT = 'Write all lines of a voucher in one statement, with debits equal to credits.';
        END IF;
        RETURN NULL;
      END $$;

      -- An update must also be allowed for the rows' old period, and leave their old vouchers whole.
      CREATE OR REPLACE FUNCTION books_guard_lines_old() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE p record; left_behind bigint[];
      BEGIN
        FOR p IN SELECT pr.ledger_id, pr.period, pr.state, pr.frozen_at FROM period pr
                 WHERE (pr.ledger_id, pr.period) IN (SELECT DISTINCT ledger_id, period FROM changed_lines)
                 ORDER BY pr.ledger_id, pr.period FOR SHARE OF pr
        LOOP
          PERFORM books_assert_writable(p.ledger_id, p.period, p.state, p.frozen_at);
        END LOOP;
        SELECT array_agg(DISTINCT voucher_id) INTO left_behind FROM changed_lines;
        PERFORM books_assert_vouchers_balance(left_behind, 'update');
        RETURN NULL;
      END $$;

      CREATE FUNCTION books_guard_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM period WHERE state = 'closed' OR frozen_at IS NOT NULL) THEN
          RAISE EXCEPTION '% cannot be emptied while a period is closed or frozen', TG_TABLE_NAME
            USING ERRCODE = 'BK001', HINT = 'Closed periods keep their data; delete the rows of open periods instead.';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER voucher_guard_truncate BEFORE TRUNCATE ON voucher FOR EACH STATEMENT EXECUTE FUNCTION books_guard_truncate();
      CREATE TRIGGER voucher_line_guard_truncate BEFORE TRUNCATE ON voucher_line FOR EACH STATEMENT EXECUTE FUNCTION books_guard_truncate();
      CREATE TRIGGER reimbursement_guard_truncate BEFORE TRUNCATE ON reimbursement FOR EACH STATEMENT EXECUTE FUNCTION books_guard_truncate();
      CREATE TRIGGER fund_transfer_guard_truncate BEFORE TRUNCATE ON fund_transfer FOR EACH STATEMENT EXECUTE FUNCTION books_guard_truncate();
      CREATE TRIGGER invoice_guard_truncate BEFORE TRUNCATE ON invoice FOR EACH STATEMENT EXECUTE FUNCTION books_guard_truncate();
      CREATE TRIGGER subledger_entry_guard_truncate BEFORE TRUNCATE ON subledger_entry FOR EACH STATEMENT EXECUTE FUNCTION books_guard_truncate();
      CREATE TRIGGER balance_guard_truncate BEFORE TRUNCATE ON balance FOR EACH STATEMENT EXECUTE FUNCTION books_guard_truncate();

      CREATE FUNCTION books_invoice_resync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.sync_state := 'uploaded';
        RETURN NEW;
      END $$;
      CREATE TRIGGER invoice_resync_on_change BEFORE UPDATE ON invoice FOR EACH ROW
        WHEN (OLD.sync_state = 'matched' AND NEW.sync_state = 'matched'
              AND (OLD.number, OLD.seller_tax_id, OLD.buyer_name, OLD.buyer_tax_id, OLD.amount, OLD.tax, OLD.invoice_date)
                  IS DISTINCT FROM (NEW.number, NEW.seller_tax_id, NEW.buyer_name, NEW.buyer_tax_id, NEW.amount, NEW.tax, NEW.invoice_date))
        EXECUTE FUNCTION books_invoice_resync();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER invoice_resync_on_change ON invoice;
      DROP FUNCTION books_invoice_resync();
      DROP TRIGGER balance_guard_truncate ON balance;
      DROP TRIGGER subledger_entry_guard_truncate ON subledger_entry;
      DROP TRIGGER invoice_guard_truncate ON invoice;
      DROP TRIGGER fund_transfer_guard_truncate ON fund_transfer;
      DROP TRIGGER reimbursement_guard_truncate ON reimbursement;
      DROP TRIGGER voucher_line_guard_truncate ON voucher_line;
      DROP TRIGGER voucher_guard_truncate ON voucher;
      DROP FUNCTION books_guard_truncate();

      CREATE OR REPLACE FUNCTION books_guard_lines() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE bad record;
      BEGIN
        SELECT p.ledger_id, p.period, p.state, p.frozen_at INTO bad
        FROM (SELECT DISTINCT ledger_id, period FROM changed_lines) c
        JOIN period p USING (ledger_id, period)
        WHERE p.state = 'closed' OR (p.frozen_at IS NOT NULL AND coalesce(current_setting('books.close_writer', true), '') <> 'on')
        LIMIT 1;
        IF FOUND THEN PERFORM books_check_period_writable(bad.ledger_id, bad.period); END IF;
        IF TG_OP <> 'DELETE' THEN
          SELECT l.voucher_id, sum(l.debit) AS debit, sum(l.credit) AS credit INTO bad
          FROM voucher_line l WHERE l.voucher_id IN (SELECT DISTINCT voucher_id FROM changed_lines)
          GROUP BY l.voucher_id HAVING sum(l.debit) <> sum(l.credit) LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION 'voucher % does not balance: debits % and credits %', bad.voucher_id, bad.debit, bad.credit
              USING ERRCODE = 'BK002', HINT = 'Write all lines of a voucher in one statement, with debits equal to credits.';
          END IF;
        END IF;
        RETURN NULL;
      END $$;

      CREATE OR REPLACE FUNCTION books_guard_lines_old() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE bad record;
      BEGIN
        SELECT DISTINCT ledger_id, period INTO bad FROM changed_lines c JOIN period p USING (ledger_id, period)
        WHERE p.state = 'closed' OR (p.frozen_at IS NOT NULL AND coalesce(current_setting('books.close_writer', true), '') <> 'on') LIMIT 1;
        IF FOUND THEN PERFORM books_check_period_writable(bad.ledger_id, bad.period); END IF;
        SELECT l.voucher_id INTO bad FROM voucher_line l WHERE l.voucher_id IN (SELECT DISTINCT voucher_id FROM changed_lines)
        GROUP BY l.voucher_id HAVING sum(l.debit) <> sum(l.credit) LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'voucher % does not balance after the update', bad.voucher_id USING ERRCODE = 'BK002';
        END IF;
        RETURN NULL;
      END $$;

      CREATE OR REPLACE FUNCTION books_check_period_writable(p_ledger int, p_period text) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE st text; fz timestamptz;
      BEGIN
        SELECT state, frozen_at INTO st, fz FROM period WHERE ledger_id = p_ledger AND period = p_period FOR SHARE;
        IF st = 'closed' THEN
          RAISE EXCEPTION 'period % of ledger % is closed and cannot change', p_period, p_ledger
            USING ERRCODE = 'BK001', HINT = 'Reopen the period (反结账) with a reason first.';
        END IF;
        IF fz IS NOT NULL AND coalesce(current_setting('books.close_writer', true), '') <> 'on' THEN
          RAISE EXCEPTION 'period % of ledger % is frozen by its close', p_period, p_ledger
            USING ERRCODE = 'BK003', HINT = 'Cancel the running close to change the period.';
        END IF;
      END $$;

      DROP FUNCTION books_assert_vouchers_balance(bigint[], text), books_assert_writable(int, text, text, timestamptz);
    `);
  }
}
