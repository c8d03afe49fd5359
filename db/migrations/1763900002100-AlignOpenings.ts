import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The act that sets a period's opening balances to the previous period's closing balances (期初余额对齐), finance managers'. */
export class AlignOpenings1763900002100 implements MigrationInterface {
  name = 'AlignOpenings1763900002100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO permission (name, description) VALUES ('balance:align', 'set a period''s opening balances to the previous period''s closing balances');
      INSERT INTO role_permission (role, permission) VALUES ('finance_manager', 'balance:align');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM role_permission WHERE permission = 'balance:align'; DELETE FROM permission WHERE name = 'balance:align';`);
  }
}
