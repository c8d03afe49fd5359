import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per ledger, period and account, the database keeps the tally of the period's voucher lines —
 * line count, debit and credit totals, and the sum of each line's hash — in the same statement as
 * the lines change (insert, update, delete, cascades). The close reads the tally instead of the
 * lines: its trial balance, reconciliation and backup cost the number of accounts, not the number
 * of lines (a million-line period closes in the time of an empty one; see README, Benchmarks).
 * The line hash is the one the backup's checksum always used, so a snapshot taken from the tally
 * equals one recomputed from the lines (activities/close/verify-snapshot.ts does exactly that).
 *
 * Only these triggers write the tally (BK006); the cost is one grouped upsert per statement on the
 * lines, and two transactions posting to the same account wait for each other's commit.
 */
export class PeriodAccountTotals1763900000400 implements MigrationInterface {
  name = 'PeriodAccountTotals1763900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION books_line_hash(p_id bigint, p_voucher bigint, p_account text, p_debit bigint, p_credit bigint) RETURNS numeric
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT hashtextextended(p_id::text || ':' || p_voucher::text || ':' || p_account || ':' || p_debit::text || ':' || p_credit::text, 0)::numeric
      $$;

      -- No CHECK (lines >= 0 ...): PostgreSQL checks a row proposed to INSERT ... ON CONFLICT before it
      -- finds the conflict, and the triggers propose negative deltas for rows that leave.
      CREATE TABLE period_account_total (
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        account_code  text NOT NULL,
        lines         bigint NOT NULL,
        debit         minor_units NOT NULL,
        credit        minor_units NOT NULL,
        line_hash     numeric NOT NULL,
        PRIMARY KEY (ledger_id, period, account_code)
      );

      INSERT INTO period_account_total (ledger_id, period, account_code, lines, debit, credit, line_hash)
      SELECT ledger_id, period, account_code, count(*), sum(debit), sum(credit), sum(books_line_hash(id, voucher_id, account_code, debit, credit))
      FROM voucher_line GROUP BY ledger_id, period, account_code;

      -- TG_ARGV[0] is +1 for rows that arrive, -1 for rows that leave. Keys in order, so two
      -- statements that touch the same accounts lock their tallies in the same order.
      CREATE FUNCTION books_tally_lines() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s int := TG_ARGV[0]::int;
      BEGIN
        INSERT INTO period_account_total AS t (ledger_id, period, account_code, lines, debit, credit, line_hash)
        SELECT ledger_id, period, account_code, s * count(*), s * sum(debit), s * sum(credit),
               s * sum(books_line_hash(id, voucher_id, account_code, debit, credit))
        FROM changed_lines GROUP BY ledger_id, period, account_code ORDER BY ledger_id, period, account_code
        ON CONFLICT (ledger_id, period, account_code) DO UPDATE
          SET lines = t.lines + EXCLUDED.lines, debit = t.debit + EXCLUDED.debit, credit = t.credit + EXCLUDED.credit,
              line_hash = t.line_hash + EXCLUDED.line_hash;
        IF s < 0 THEN
          DELETE FROM period_account_total t USING (SELECT DISTINCT ledger_id, period, account_code FROM changed_lines) c
          WHERE t.ledger_id = c.ledger_id AND t.period = c.period AND t.account_code = c.account_code AND t.lines = 0;
        END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER voucher_line_tally_insert AFTER INSERT ON voucher_line REFERENCING NEW TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_lines('1');
      CREATE TRIGGER voucher_line_tally_update_old AFTER UPDATE ON voucher_line REFERENCING OLD TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_lines('-1');
      CREATE TRIGGER voucher_line_tally_update_new AFTER UPDATE ON voucher_line REFERENCING NEW TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_lines('1');
      CREATE TRIGGER voucher_line_tally_delete AFTER DELETE ON voucher_line REFERENCING OLD TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_lines('-1');

      CREATE FUNCTION books_tally_lines_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM period_account_total;
        RETURN NULL;
      END $$;
      CREATE TRIGGER voucher_line_tally_truncate AFTER TRUNCATE ON voucher_line
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_lines_truncate();

      -- The tally is derived: written by the triggers above (depth 2), never by a statement of its own.
      CREATE FUNCTION books_tally_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION '% is kept by the database from the rows it tallies and cannot be written directly', TG_TABLE_NAME
            USING ERRCODE = 'BK006', HINT = 'Write the voucher lines or sub-ledger entries; their tally follows.';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$;
      CREATE TRIGGER period_account_total_guard BEFORE INSERT OR UPDATE OR DELETE ON period_account_total
        FOR EACH ROW EXECUTE FUNCTION books_tally_guard();

      -- The close asks for the vouchers that are not posted yet: few, among a period's many.
      CREATE INDEX voucher_unposted_idx ON voucher (ledger_id, period, state, number) WHERE state <> 'posted';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX voucher_unposted_idx;
      DROP TRIGGER voucher_line_tally_truncate ON voucher_line;
      DROP TRIGGER voucher_line_tally_delete ON voucher_line;
      DROP TRIGGER voucher_line_tally_update_new ON voucher_line;
      DROP TRIGGER voucher_line_tally_update_old ON voucher_line;
      DROP TRIGGER voucher_line_tally_insert ON voucher_line;
      DROP TABLE period_account_total;
      DROP FUNCTION books_tally_guard(), books_tally_lines_truncate(), books_tally_lines(),
        books_line_hash(bigint, bigint, text, bigint, bigint);
    `);
  }
}
