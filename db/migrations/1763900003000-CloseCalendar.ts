import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The close calendar (#18): each federation (a ledger whose subtree inherits it through parent_id)
 * says by which working day of the next month a period must be closed, which days are holidays and
 * which weekend days are worked (调休). The due date is computed in SQL, so a list of closes gets its
 * deadlines in the same query (`close_due_at(ledger_id, period)`), set-based.
 */
export class CloseCalendar1763900003000 implements MigrationInterface {
  name = 'CloseCalendar1763900003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE close_calendar (
        ledger_id    int PRIMARY KEY REFERENCES ledger(id),
        working_day  int NOT NULL CHECK (working_day BETWEEN 1 AND 23),
        time_zone    text NOT NULL DEFAULT 'Asia/Shanghai',
        updated_by   text NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now()
      );
      -- A holiday is not worked even on a weekday; a workday is worked even on a weekend (调休).
      CREATE TABLE calendar_day (
        ledger_id  int NOT NULL REFERENCES close_calendar(ledger_id) ON DELETE CASCADE,
        day        date NOT NULL,
        kind       text NOT NULL CHECK (kind IN ('holiday', 'workday')),
        PRIMARY KEY (ledger_id, day)
      );

      -- The calendar a ledger follows: its own, else its nearest ancestor's (NULL: none, no deadline).
      CREATE FUNCTION calendar_owner(p_ledger int) RETURNS int LANGUAGE sql STABLE AS $$
        WITH RECURSIVE up AS (
          SELECT id, parent_id, 0 AS depth FROM ledger WHERE id = p_ledger
          UNION ALL
          SELECT l.id, l.parent_id, up.depth + 1 FROM ledger l JOIN up ON l.id = up.parent_id WHERE up.depth < 64
        )
        SELECT up.id FROM up JOIN close_calendar c ON c.ledger_id = up.id ORDER BY up.depth LIMIT 1
      $$;

      CREATE FUNCTION is_working_day(p_owner int, p_day date) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT coalesce((SELECT kind = 'workday' FROM calendar_day WHERE ledger_id = p_owner AND day = p_day),
                        extract(isodow FROM p_day) < 6)
      $$;

      -- The Nth working day of the month after the period (it may spill into the month after that).
      CREATE FUNCTION close_due_date(p_ledger int, p_period period_code) RETURNS date LANGUAGE sql STABLE AS $$
        WITH cal AS (SELECT c.ledger_id AS owner, c.working_day FROM close_calendar c WHERE c.ledger_id = calendar_owner(p_ledger))
        SELECT d::date FROM cal,
          generate_series((to_date(p_period, 'YYYY-MM') + interval '1 month')::date, (to_date(p_period, 'YYYY-MM') + interval '3 months')::date, interval '1 day') d
        WHERE is_working_day(cal.owner, d::date)
        ORDER BY d OFFSET (SELECT working_day - 1 FROM cal) LIMIT 1
      $$;

      -- The moment the due date ends in the calendar's time zone: a close still open after it is late.
      CREATE FUNCTION close_due_at(p_ledger int, p_period period_code) RETURNS timestamptz LANGUAGE sql STABLE AS $$
        SELECT (close_due_date(p_ledger, p_period) + 1)::timestamp AT TIME ZONE c.time_zone
        FROM close_calendar c WHERE c.ledger_id = calendar_owner(p_ledger)
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION close_due_at(int, period_code);
      DROP FUNCTION close_due_date(int, period_code);
      DROP FUNCTION is_working_day(int, date);
      DROP FUNCTION calendar_owner(int);
      DROP TABLE calendar_day;
      DROP TABLE close_calendar;
    `);
  }
}
