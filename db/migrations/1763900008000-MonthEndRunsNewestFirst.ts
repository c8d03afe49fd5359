import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The month-end list (GET /api/v1/month-ends) pages newest first by keyset on (started_at, id): an
 * index in that order answers each page by reading its 50 rows, where without it every page sorted
 * every run the federation ever had (a province runs one a month per scope, schedules more).
 */
export class MonthEndRunsNewestFirst1763900008000 implements MigrationInterface {
  name = 'MonthEndRunsNewestFirst1763900008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS month_end_run_newest ON month_end_run (started_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS month_end_run_newest`);
  }
}
