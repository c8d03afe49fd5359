import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The federation board's two costly questions kept by the database, as the openings' sum is
 * (period_opening_total): per ledger and period, whether the trial balance balances, and which
 * control accounts differ from their sub-ledger (业财核对). The board recounted both over the whole
 * subtree at every request (period_account_total's rows of 10,000 ledgers, ~100 ms; every control
 * account joined to two tallies, ~120 ms; figure board10k); it now reads these rows.
 *
 * Each table holds only the differences that are not zero — a balanced, reconciled period has no row
 * — kept by statement triggers on the rows they come from, in the same statement:
 * - period_trial_difference: Σ(debit − credit) of the ledger's lines in the period. Every statement
 *   leaves each voucher balanced (BK002), so a statement's change nets to zero and writes nothing:
 *   the write path does not meet a row per ledger.
 * - period_control_difference: per control account (account.control_of), its movement (debit −
 *   credit of its lines) minus its sub-ledger's total (subledger_entry.amount). Lines on a control
 *   account and entries of its sub-ledger add their change; a changed account is recounted from the
 *   tallies.
 *
 * Both are sums of deltas, so concurrent writers never lose one another's (ON CONFLICT waits for the
 * row and adds to what was committed). Their triggers are named to fire before the tallies', so a
 * writer takes the difference row before the tally rows (one lock order with the sub-ledger side).
 * A change of an account (rare: the chart is written once a ledger is made) recounts from the
 * tallies under a lock every writer of lines or entries takes first (below), so no writer's change is
 * read twice or missed. Only these triggers write the tables (BK006).
 */
export class PeriodDifferences1763900007000 implements MigrationInterface {
  name = 'PeriodDifferences1763900007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE period_trial_difference (
        ledger_id   int NOT NULL,
        period      period_code NOT NULL,
        difference  minor_units NOT NULL,
        PRIMARY KEY (ledger_id, period)
      );
      CREATE TABLE period_control_difference (
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        account_code  text NOT NULL,
        difference    minor_units NOT NULL,
        PRIMARY KEY (ledger_id, period, account_code)
      );
      -- The board reads a period's rows across a subtree.
      CREATE INDEX period_control_difference_period_idx ON period_control_difference (period, ledger_id);
      CREATE INDEX period_trial_difference_period_idx ON period_trial_difference (period, ledger_id);

      -- The recount from the tallies: fills the tables here, and lets an operator compare the kept rows with it.
      CREATE FUNCTION books_trial_differences() RETURNS TABLE (ledger_id int, period text, difference bigint)
      LANGUAGE sql STABLE AS $$
        SELECT t.ledger_id, t.period, sum(t.debit - t.credit)::bigint FROM period_account_total t
        GROUP BY t.ledger_id, t.period HAVING sum(t.debit - t.credit) <> 0
      $$;
      CREATE FUNCTION books_control_differences() RETURNS TABLE (ledger_id int, period text, account_code text, difference bigint)
      LANGUAGE sql STABLE AS $$
        SELECT a.ledger_id, x.period, a.code, sum(x.amount)::bigint
        FROM account a
        CROSS JOIN LATERAL (
          SELECT t.period::text AS period, t.debit - t.credit AS amount FROM period_account_total t
          WHERE t.ledger_id = a.ledger_id AND t.account_code = a.code
          UNION ALL
          SELECT s.period, -s.amount FROM subledger_total s WHERE s.ledger_id = a.ledger_id AND s.subledger = a.control_of) x
        WHERE a.control_of IS NOT NULL
        GROUP BY a.ledger_id, x.period, a.code HAVING sum(x.amount) <> 0
      $$;

      INSERT INTO period_trial_difference (ledger_id, period, difference) SELECT * FROM books_trial_differences();
      INSERT INTO period_control_difference (ledger_id, period, account_code, difference) SELECT * FROM books_control_differences();

      -- Lines: TG_ARGV[0] is +1 for rows that arrive, -1 for rows that leave; keys in order, as the
      -- tallies. A group whose change nets to zero writes nothing; a row that comes to zero goes.
      CREATE FUNCTION books_keep_line_differences() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s int := TG_ARGV[0]::int;
      BEGIN
        INSERT INTO period_trial_difference AS t (ledger_id, period, difference)
        SELECT ledger_id, period, s * sum(debit - credit) FROM changed_lines
        GROUP BY ledger_id, period HAVING sum(debit - credit) <> 0 ORDER BY ledger_id, period
        ON CONFLICT (ledger_id, period) DO UPDATE SET difference = t.difference + EXCLUDED.difference;
        IF FOUND THEN
          DELETE FROM period_trial_difference t USING (SELECT DISTINCT ledger_id, period FROM changed_lines) c
          WHERE t.ledger_id = c.ledger_id AND t.period = c.period AND t.difference = 0;
        END IF;

        -- Always run, even when no line is on a control account: it takes the table's ROW EXCLUSIVE
        -- lock, which an account's recount waits for (books_recount_control_differences).
        INSERT INTO period_control_difference AS t (ledger_id, period, account_code, difference)
        SELECT g.ledger_id, g.period, g.account_code, s * g.net
        FROM (SELECT ledger_id, period, account_code, sum(debit - credit) AS net FROM changed_lines
              GROUP BY ledger_id, period, account_code HAVING sum(debit - credit) <> 0) g
        JOIN account a ON a.ledger_id = g.ledger_id AND a.code = g.account_code AND a.control_of IS NOT NULL
        ORDER BY 1, 2, 3
        ON CONFLICT (ledger_id, period, account_code) DO UPDATE SET difference = t.difference + EXCLUDED.difference;
        IF FOUND THEN
          DELETE FROM period_control_difference t USING (SELECT DISTINCT ledger_id, period, account_code FROM changed_lines) c
          WHERE t.ledger_id = c.ledger_id AND t.period = c.period AND t.account_code = c.account_code AND t.difference = 0;
        END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER voucher_line_differences_insert AFTER INSERT ON voucher_line REFERENCING NEW TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_keep_line_differences('1');
      CREATE TRIGGER voucher_line_differences_update_old AFTER UPDATE ON voucher_line REFERENCING OLD TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_keep_line_differences('-1');
      CREATE TRIGGER voucher_line_differences_update_new AFTER UPDATE ON voucher_line REFERENCING NEW TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_keep_line_differences('1');
      CREATE TRIGGER voucher_line_differences_delete AFTER DELETE ON voucher_line REFERENCING OLD TABLE AS changed_lines
        FOR EACH STATEMENT EXECUTE FUNCTION books_keep_line_differences('-1');

      -- Sub-ledger entries: subtracted from their control account's difference (one per sub-ledger
      -- and ledger: account_one_control_per_subledger).
      CREATE FUNCTION books_keep_entry_differences() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s int := TG_ARGV[0]::int;
      BEGIN
        INSERT INTO period_control_difference AS t (ledger_id, period, account_code, difference)
        SELECT g.ledger_id, g.period, a.code, -s * g.amount
        FROM (SELECT ledger_id, period, subledger, sum(amount) AS amount FROM changed_entries
              GROUP BY ledger_id, period, subledger HAVING sum(amount) <> 0) g
        JOIN account a ON a.ledger_id = g.ledger_id AND a.control_of = g.subledger
        ORDER BY 1, 2, 3
        ON CONFLICT (ledger_id, period, account_code) DO UPDATE SET difference = t.difference + EXCLUDED.difference;
        IF FOUND THEN
          DELETE FROM period_control_difference t
          USING (SELECT DISTINCT e.ledger_id, e.period, a.code FROM changed_entries e JOIN account a ON a.ledger_id = e.ledger_id AND a.control_of = e.subledger) c
          WHERE t.ledger_id = c.ledger_id AND t.period = c.period AND t.account_code = c.code AND t.difference = 0;
        END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER subledger_entry_differences_insert AFTER INSERT ON subledger_entry REFERENCING NEW TABLE AS changed_entries
        FOR EACH STATEMENT EXECUTE FUNCTION books_keep_entry_differences('1');
      CREATE TRIGGER subledger_entry_differences_update_old AFTER UPDATE ON subledger_entry REFERENCING OLD TABLE AS changed_entries
        FOR EACH STATEMENT EXECUTE FUNCTION books_keep_entry_differences('-1');
      CREATE TRIGGER subledger_entry_differences_update_new AFTER UPDATE ON subledger_entry REFERENCING NEW TABLE AS changed_entries
        FOR EACH STATEMENT EXECUTE FUNCTION books_keep_entry_differences('1');
      CREATE TRIGGER subledger_entry_differences_delete AFTER DELETE ON subledger_entry REFERENCING OLD TABLE AS changed_entries
        FOR EACH STATEMENT EXECUTE FUNCTION books_keep_entry_differences('-1');

      -- Accounts: a control account added, made or unmade (control_of), renamed (code) or removed has
      -- its rows recounted from the tallies; other changes of the chart (names, plain accounts, which
      -- have no rows) write nothing and take no lock. The lock waits for every writer of lines or
      -- entries that has already taken its difference rows (they hold ROW EXCLUSIVE until they commit)
      -- and holds back the others until this commits; they then read the accounts as changed. So
      -- every change of the tallies is counted exactly once.
      CREATE FUNCTION books_recount_control_differences() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE ledgers int[]; codes text[]; subledgers text[]; arrived boolean[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(ledger_id), array_agg(code), array_agg(control_of), array_agg(true)
          INTO ledgers, codes, subledgers, arrived FROM new_accounts WHERE control_of IS NOT NULL;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT array_agg(ledger_id), array_agg(code), array_agg(control_of), array_agg(false)
          INTO ledgers, codes, subledgers, arrived FROM old_accounts WHERE control_of IS NOT NULL;
        ELSE
          SELECT array_agg(c.ledger_id), array_agg(c.code), array_agg(c.control_of), array_agg(c.arrived)
          INTO ledgers, codes, subledgers, arrived
          FROM ((SELECT ledger_id, code, control_of, false AS arrived FROM old_accounts WHERE control_of IS NOT NULL
                 EXCEPT SELECT ledger_id, code, control_of, false FROM new_accounts WHERE control_of IS NOT NULL)
                UNION ALL
                (SELECT ledger_id, code, control_of, true FROM new_accounts WHERE control_of IS NOT NULL
                 EXCEPT SELECT ledger_id, code, control_of, true FROM old_accounts WHERE control_of IS NOT NULL)) c;
        END IF;
        IF ledgers IS NULL THEN
          RETURN NULL;
        END IF;
        LOCK TABLE period_control_difference IN SHARE ROW EXCLUSIVE MODE;
        DELETE FROM period_control_difference t USING unnest(ledgers, codes) AS c(ledger_id, code)
        WHERE t.ledger_id = c.ledger_id AND t.account_code = c.code;
        INSERT INTO period_control_difference (ledger_id, period, account_code, difference)
        SELECT a.ledger_id, x.period, a.code, sum(x.amount)
        FROM unnest(ledgers, codes, subledgers, arrived) AS a(ledger_id, code, control_of, arrived)
        CROSS JOIN LATERAL (
          SELECT t.period, t.debit - t.credit AS amount FROM period_account_total t
          WHERE t.ledger_id = a.ledger_id AND t.account_code = a.code
          UNION ALL
          SELECT s.period, -s.amount FROM subledger_total s WHERE s.ledger_id = a.ledger_id AND s.subledger = a.control_of) x
        WHERE a.arrived
        GROUP BY a.ledger_id, x.period, a.code HAVING sum(x.amount) <> 0
        ORDER BY 1, 2, 3;
        RETURN NULL;
      END $$;

      CREATE TRIGGER account_differences_insert AFTER INSERT ON account REFERENCING NEW TABLE AS new_accounts
        FOR EACH STATEMENT EXECUTE FUNCTION books_recount_control_differences();
      CREATE TRIGGER account_differences_update AFTER UPDATE ON account REFERENCING OLD TABLE AS old_accounts NEW TABLE AS new_accounts
        FOR EACH STATEMENT EXECUTE FUNCTION books_recount_control_differences();
      CREATE TRIGGER account_differences_delete AFTER DELETE ON account REFERENCING OLD TABLE AS old_accounts
        FOR EACH STATEMENT EXECUTE FUNCTION books_recount_control_differences();

      -- TRUNCATE (refused once a period is closed, BK001) fires no statement trigger with rows: all is
      -- recounted, from the rows themselves (the tallies' own TRUNCATE triggers may not have run yet).
      CREATE FUNCTION books_recount_differences() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        LOCK TABLE period_control_difference IN SHARE ROW EXCLUSIVE MODE;
        DELETE FROM period_trial_difference;
        DELETE FROM period_control_difference;
        INSERT INTO period_trial_difference (ledger_id, period, difference)
        SELECT ledger_id, period, sum(debit - credit) FROM voucher_line GROUP BY 1, 2 HAVING sum(debit - credit) <> 0;
        INSERT INTO period_control_difference (ledger_id, period, account_code, difference)
        SELECT a.ledger_id, x.period, a.code, sum(x.amount)
        FROM account a
        CROSS JOIN LATERAL (
          SELECT l.period, l.debit - l.credit AS amount FROM voucher_line l WHERE l.ledger_id = a.ledger_id AND l.account_code = a.code
          UNION ALL
          SELECT e.period, -e.amount FROM subledger_entry e WHERE e.ledger_id = a.ledger_id AND e.subledger = a.control_of) x
        WHERE a.control_of IS NOT NULL
        GROUP BY a.ledger_id, x.period, a.code HAVING sum(x.amount) <> 0;
        RETURN NULL;
      END $$;
      CREATE TRIGGER voucher_line_differences_truncate AFTER TRUNCATE ON voucher_line
        FOR EACH STATEMENT EXECUTE FUNCTION books_recount_differences();
      CREATE TRIGGER subledger_entry_differences_truncate AFTER TRUNCATE ON subledger_entry
        FOR EACH STATEMENT EXECUTE FUNCTION books_recount_differences();
      CREATE TRIGGER account_differences_truncate AFTER TRUNCATE ON account
        FOR EACH STATEMENT EXECUTE FUNCTION books_recount_differences();

      -- books_tally_guard (period_account_total's) refuses any write not made by a trigger.
      CREATE TRIGGER period_trial_difference_guard BEFORE INSERT OR UPDATE OR DELETE ON period_trial_difference
        FOR EACH ROW EXECUTE FUNCTION books_tally_guard();
      CREATE TRIGGER period_control_difference_guard BEFORE INSERT OR UPDATE OR DELETE ON period_control_difference
        FOR EACH ROW EXECUTE FUNCTION books_tally_guard();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER account_differences_truncate ON account;
      DROP TRIGGER subledger_entry_differences_truncate ON subledger_entry;
      DROP TRIGGER voucher_line_differences_truncate ON voucher_line;
      DROP TRIGGER account_differences_delete ON account;
      DROP TRIGGER account_differences_update ON account;
      DROP TRIGGER account_differences_insert ON account;
      DROP TRIGGER subledger_entry_differences_delete ON subledger_entry;
      DROP TRIGGER subledger_entry_differences_update_new ON subledger_entry;
      DROP TRIGGER subledger_entry_differences_update_old ON subledger_entry;
      DROP TRIGGER subledger_entry_differences_insert ON subledger_entry;
      DROP TRIGGER voucher_line_differences_delete ON voucher_line;
      DROP TRIGGER voucher_line_differences_update_new ON voucher_line;
      DROP TRIGGER voucher_line_differences_update_old ON voucher_line;
      DROP TRIGGER voucher_line_differences_insert ON voucher_line;
      DROP TABLE period_control_difference, period_trial_difference;
      DROP FUNCTION books_recount_differences(), books_recount_control_differences(), books_keep_entry_differences(),
        books_keep_line_differences(), books_control_differences(), books_trial_differences();
    `);
  }
}
