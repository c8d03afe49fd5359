import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Least privilege for the two roles that do not keep books. The administrator manages users and
 * schedules and reads no books; the scheduler (the identity of automatic month-ends) starts closes
 * and month-ends and follows its month-ends, and reads no books either. Following a month-end is a
 * permission of its own, `month_end:read`, which every role that reads closes also has.
 */
export class LeastPrivilegeRoles1763900000900 implements MigrationInterface {
  name = 'LeastPrivilegeRoles1763900000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO permission (name, description) VALUES ('month_end:read', 'follow month-end runs: their ledgers and how each close ended');
      INSERT INTO role_permission (role, permission)
        SELECT role, 'month_end:read' FROM role_permission WHERE permission = 'close:read' AND role NOT IN ('administrator', 'scheduler')
        UNION SELECT 'scheduler', 'month_end:read';
      DELETE FROM role_permission WHERE role IN ('administrator', 'scheduler') AND permission = 'close:read';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO role_permission (role, permission) VALUES ('administrator', 'close:read'), ('scheduler', 'close:read');
      DELETE FROM role_permission WHERE permission = 'month_end:read';
      DELETE FROM permission WHERE name = 'month_end:read';
    `);
  }
}
