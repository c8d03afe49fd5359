import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The administrator manages the month-end schedules, so it follows the runs they start (issue #16):
 * `month_end:read` shows a run's counts and which ledgers wait or failed, by code, never the books
 * (`close:read` stays with the roles that keep them), so "run now" and a schedule's last run lead
 * the administrator to a page it can open.
 */
export class AdministratorFollowsMonthEnds1763900005600 implements MigrationInterface {
  name = 'AdministratorFollowsMonthEnds1763900005600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO role_permission (role, permission) VALUES ('administrator', 'month_end:read') ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM role_permission WHERE role = 'administrator' AND permission = 'month_end:read'`);
  }
}
