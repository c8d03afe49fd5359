import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sub-ledgers' side of 业财核对, kept the way period_account_total keeps the lines' side: per
 * ledger, period and sub-ledger, the entry count and the sum of amounts, changed in the same
 * statement as the entries. The close's reconciliation then compares two tallies, one row per
 * control account, however many entries a period holds. Only these triggers write it (BK006).
 */
export class SubledgerTotals1763900000600 implements MigrationInterface {
  name = 'SubledgerTotals1763900000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE subledger_total (
        ledger_id  int NOT NULL,
        period     period_code NOT NULL,
        subledger  text NOT NULL,
        entries    bigint NOT NULL,
        amount     minor_units NOT NULL,
        PRIMARY KEY (ledger_id, period, subledger)
      );

      INSERT INTO subledger_total (ledger_id, period, subledger, entries, amount)
      SELECT ledger_id, period, subledger, count(*), sum(amount) FROM subledger_entry GROUP BY ledger_id, period, subledger;

      CREATE FUNCTION books_tally_subledger() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s int := TG_ARGV[0]::int;
      BEGIN
        INSERT INTO subledger_total AS t (ledger_id, period, subledger, entries, amount)
        SELECT ledger_id, period, subledger, s * count(*), s * sum(amount)
        FROM changed_entries GROUP BY ledger_id, period, subledger ORDER BY ledger_id, period, subledger
        ON CONFLICT (ledger_id, period, subledger) DO UPDATE
          SET entries = t.entries + EXCLUDED.entries, amount = t.amount + EXCLUDED.amount;
        IF s < 0 THEN
          DELETE FROM subledger_total t USING (SELECT DISTINCT ledger_id, period, subledger FROM changed_entries) c
          WHERE t.ledger_id = c.ledger_id AND t.period = c.period AND t.subledger = c.subledger AND t.entries = 0;
        END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER subledger_entry_tally_insert AFTER INSERT ON subledger_entry REFERENCING NEW TABLE AS changed_entries
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_subledger('1');
      CREATE TRIGGER subledger_entry_tally_update_old AFTER UPDATE ON subledger_entry REFERENCING OLD TABLE AS changed_entries
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_subledger('-1');
      CREATE TRIGGER subledger_entry_tally_update_new AFTER UPDATE ON subledger_entry REFERENCING NEW TABLE AS changed_entries
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_subledger('1');
      CREATE TRIGGER subledger_entry_tally_delete AFTER DELETE ON subledger_entry REFERENCING OLD TABLE AS changed_entries
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_subledger('-1');

      CREATE FUNCTION books_tally_subledger_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM subledger_total;
        RETURN NULL;
      END $$;
      CREATE TRIGGER subledger_entry_tally_truncate AFTER TRUNCATE ON subledger_entry
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_subledger_truncate();

      -- books_tally_guard (period_account_total's) refuses any write not made by a trigger.
      CREATE TRIGGER subledger_total_guard BEFORE INSERT OR UPDATE OR DELETE ON subledger_total
        FOR EACH ROW EXECUTE FUNCTION books_tally_guard();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER subledger_entry_tally_truncate ON subledger_entry;
      DROP TRIGGER subledger_entry_tally_delete ON subledger_entry;
      DROP TRIGGER subledger_entry_tally_update_new ON subledger_entry;
      DROP TRIGGER subledger_entry_tally_update_old ON subledger_entry;
      DROP TRIGGER subledger_entry_tally_insert ON subledger_entry;
      DROP TABLE subledger_total;
      DROP FUNCTION books_tally_subledger_truncate(), books_tally_subledger();
    `);
  }
}
