import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per ledger and period, the database keeps the sum of the balances' openings (and how many
 * accounts have one), in the same statement as the balances change. The federation's pre-close
 * check asks whether each ledger's openings sum to zero (OPENING_BALANCE_UNBALANCED): summing every
 * account's opening of 10,000 ledgers (350,000 rows) was 200 ms of its ~450 ms; the tally is one row
 * a ledger (issue #19, figure board10k). Balances change rarely (a period opens, openings are aligned,
 * a close carries forward), so the upsert costs little; only these triggers write the tally (BK006).
 */
export class PeriodOpeningTotals1763900006200 implements MigrationInterface {
  name = 'PeriodOpeningTotals1763900006200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE period_opening_total (
        ledger_id  int NOT NULL,
        period     period_code NOT NULL,
        accounts   bigint NOT NULL,
        opening    minor_units NOT NULL,
        PRIMARY KEY (ledger_id, period)
      );

      INSERT INTO period_opening_total (ledger_id, period, accounts, opening)
      SELECT ledger_id, period, count(*), sum(opening) FROM balance GROUP BY ledger_id, period;

      -- TG_ARGV[0] is +1 for rows that arrive, -1 for rows that leave; keys in order, as the other tallies.
      CREATE FUNCTION books_tally_openings() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s int := TG_ARGV[0]::int;
      BEGIN
        INSERT INTO period_opening_total AS t (ledger_id, period, accounts, opening)
        SELECT ledger_id, period, s * count(*), s * sum(opening)
        FROM changed_balances GROUP BY ledger_id, period ORDER BY ledger_id, period
        ON CONFLICT (ledger_id, period) DO UPDATE SET accounts = t.accounts + EXCLUDED.accounts, opening = t.opening + EXCLUDED.opening;
        IF s < 0 THEN
          DELETE FROM period_opening_total t USING (SELECT DISTINCT ledger_id, period FROM changed_balances) c
          WHERE t.ledger_id = c.ledger_id AND t.period = c.period AND t.accounts = 0;
        END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER balance_tally_insert AFTER INSERT ON balance REFERENCING NEW TABLE AS changed_balances
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_openings('1');
      CREATE TRIGGER balance_tally_update_old AFTER UPDATE ON balance REFERENCING OLD TABLE AS changed_balances
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_openings('-1');
      CREATE TRIGGER balance_tally_update_new AFTER UPDATE ON balance REFERENCING NEW TABLE AS changed_balances
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_openings('1');
      CREATE TRIGGER balance_tally_delete AFTER DELETE ON balance REFERENCING OLD TABLE AS changed_balances
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_openings('-1');

      CREATE FUNCTION books_tally_openings_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM period_opening_total;
        RETURN NULL;
      END $$;
      CREATE TRIGGER balance_tally_truncate AFTER TRUNCATE ON balance
        FOR EACH STATEMENT EXECUTE FUNCTION books_tally_openings_truncate();

      CREATE TRIGGER period_opening_total_guard BEFORE INSERT OR UPDATE OR DELETE ON period_opening_total
        FOR EACH ROW EXECUTE FUNCTION books_tally_guard();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER balance_tally_truncate ON balance;
      DROP TRIGGER balance_tally_delete ON balance;
      DROP TRIGGER balance_tally_update_new ON balance;
      DROP TRIGGER balance_tally_update_old ON balance;
      DROP TRIGGER balance_tally_insert ON balance;
      DROP TABLE period_opening_total;
      DROP FUNCTION books_tally_openings_truncate(), books_tally_openings();
    `);
  }
}
