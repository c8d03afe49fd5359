import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rules the database keeps whoever writes, the service or a direct SQL statement:
 * - nothing changes the vouchers, lines, documents or balances of a closed period (SQLSTATE BK001),
 *   nor of a period frozen by the close's backup except the close itself (BK003);
 * - a voucher's debits equal its credits after every statement on its lines (BK002);
 * - a closed period is reopened only by the reopen act, which names a reason (BK004);
 * - every state change of a period or voucher lands in the audit log, which is append-only (BK005).
 * The acting user and a reopen reason reach the triggers through transaction-local settings
 * `books.actor`, `books.reopen_reason` and `books.close_writer` (see db/session.ts).
 */
export class BookRules1763900000200 implements MigrationInterface {
  name = 'BookRules1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION books_check_period_writable(p_ledger int, p_period text) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE st text; fz timestamptz;
      BEGIN
        -- FOR SHARE waits for a close that is freezing or locking the period, then sees its decision.
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

      CREATE FUNCTION books_guard_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM books_check_period_writable(OLD.ledger_id, OLD.period); END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          IF TG_OP = 'INSERT' OR (NEW.ledger_id, NEW.period) IS DISTINCT FROM (OLD.ledger_id, OLD.period) THEN
            PERFORM books_check_period_writable(NEW.ledger_id, NEW.period);
          END IF;
          RETURN NEW;
        END IF;
        RETURN OLD;
      END $$;

      CREATE TRIGGER voucher_guard BEFORE INSERT OR UPDATE OR DELETE ON voucher FOR EACH ROW EXECUTE FUNCTION books_guard_row();
      CREATE TRIGGER reimbursement_guard BEFORE INSERT OR UPDATE OR DELETE ON reimbursement FOR EACH ROW EXECUTE FUNCTION books_guard_row();
      CREATE TRIGGER fund_transfer_guard BEFORE INSERT OR UPDATE OR DELETE ON fund_transfer FOR EACH ROW EXECUTE FUNCTION books_guard_row();
      CREATE TRIGGER invoice_guard BEFORE INSERT OR UPDATE OR DELETE ON invoice FOR EACH ROW EXECUTE FUNCTION books_guard_row();
      CREATE TRIGGER subledger_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON subledger_entry FOR EACH ROW EXECUTE FUNCTION books_guard_row();
      CREATE TRIGGER balance_guard BEFORE INSERT OR UPDATE OR DELETE ON balance FOR EACH ROW EXECUTE FUNCTION books_guard_row();

      -- Lines come in bulk (a million in one COPY): one set-based check per statement, not per row.
      CREATE FUNCTION books_guard_lines() RETURNS trigger LANGUAGE plpgsql AS $$
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

      CREATE TRIGGER voucher_line_guard_insert AFTER INSERT ON voucher_line REFERENCING NEW TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_guard_lines();
      CREATE TRIGGER voucher_line_guard_update_new AFTER UPDATE ON voucher_line REFERENCING NEW TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_guard_lines();
      CREATE TRIGGER voucher_line_guard_delete AFTER DELETE ON voucher_line REFERENCING OLD TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_guard_lines();
      -- An update must also be allowed for the rows' old period and old voucher.
      CREATE FUNCTION books_guard_lines_old() RETURNS trigger LANGUAGE plpgsql AS $$
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
      CREATE TRIGGER voucher_line_guard_update_old AFTER UPDATE ON voucher_line REFERENCING OLD TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_guard_lines_old();

      CREATE FUNCTION books_audit(p_action text, p_ledger int, p_period text, p_target text, p_details jsonb) RETURNS void
      LANGUAGE sql AS $$
        INSERT INTO audit_log (actor, action, ledger_id, period, target, reason, details)
        VALUES (coalesce(nullif(current_setting('books.actor', true), ''), 'sql:' || current_user), p_action, p_ledger, p_period,
                p_target, nullif(current_setting('books.reason', true), ''), p_details);
      $$;

      CREATE FUNCTION books_period_rules() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.state = 'closed' THEN
            RAISE EXCEPTION 'period % of ledger % is closed and cannot be deleted', OLD.period, OLD.ledger_id USING ERRCODE = 'BK001';
          END IF;
          RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.state = 'closed' AND coalesce(current_setting('books.reopen_reason', true), '') = '' THEN
          RAISE EXCEPTION 'period % of ledger % is closed; only the reopen act may change it', OLD.period, OLD.ledger_id
            USING ERRCODE = 'BK004', HINT = 'Reopen (反结账) with the reopen permission and a reason.';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER period_rules BEFORE UPDATE OR DELETE ON period FOR EACH ROW EXECUTE FUNCTION books_period_rules();

      CREATE FUNCTION books_audit_period() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM books_audit('period.' || NEW.state, NEW.ledger_id, NEW.period, NULL, '{}'::jsonb);
        ELSIF OLD.state IS DISTINCT FROM NEW.state OR (OLD.frozen_at IS NULL) <> (NEW.frozen_at IS NULL) THEN
          PERFORM books_audit(CASE WHEN OLD.state = 'closed' AND NEW.state <> 'closed' THEN 'period.reopened'
                                   WHEN OLD.state = NEW.state THEN CASE WHEN NEW.frozen_at IS NULL THEN 'period.unfrozen' ELSE 'period.frozen' END
                                   ELSE 'period.' || NEW.state END,
                              NEW.ledger_id, NEW.period, NEW.close_id,
                              jsonb_build_object('from', OLD.state, 'to', NEW.state,
                                'reopenReason', nullif(current_setting('books.reopen_reason', true), '')));
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER period_audit AFTER INSERT OR UPDATE ON period FOR EACH ROW EXECUTE FUNCTION books_audit_period();

      CREATE FUNCTION books_audit_voucher() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM books_audit('voucher.' || NEW.state, NEW.ledger_id, NEW.period, NEW.id::text,
                            jsonb_build_object('number', NEW.number, 'from', OLD.state, 'to', NEW.state));
        RETURN NULL;
      END $$;
      CREATE TRIGGER voucher_audit AFTER UPDATE OF state ON voucher FOR EACH ROW
        WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION books_audit_voucher();

      CREATE FUNCTION books_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'BK005';
      END $$;
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION books_audit_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER audit_log_append_only ON audit_log;
      DROP TRIGGER voucher_audit ON voucher;
      DROP TRIGGER period_audit ON period;
      DROP TRIGGER period_rules ON period;
      DROP TRIGGER voucher_line_guard_update_old ON voucher_line;
      DROP TRIGGER voucher_line_guard_delete ON voucher_line;
      DROP TRIGGER voucher_line_guard_update_new ON voucher_line;
      DROP TRIGGER voucher_line_guard_insert ON voucher_line;
      DROP TRIGGER balance_guard ON balance;
      DROP TRIGGER subledger_entry_guard ON subledger_entry;
      DROP TRIGGER invoice_guard ON invoice;
      DROP TRIGGER fund_transfer_guard ON fund_transfer;
      DROP TRIGGER reimbursement_guard ON reimbursement;
      DROP TRIGGER voucher_guard ON voucher;
      DROP FUNCTION books_audit_append_only(), books_audit_voucher(), books_audit_period(), books_period_rules(),
        books_audit(text, int, text, text, jsonb),
        books_guard_lines_old(), books_guard_lines(), books_guard_row(), books_check_period_writable(int, text);
    `);
  }
}
