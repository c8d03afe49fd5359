import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Writing lines was quadratic in a period's vouchers (issue #19, §5): each line's foreign-key check
 * (`SELECT 1 FROM voucher WHERE id = $1 AND ledger_id = $2 AND period = $3 FOR KEY SHARE`) is planned
 * once per session, and on a freshly written voucher table without statistics the planner costed
 * `voucher_period_state_idx (ledger_id, period, state)` level with the unique (id, ledger_id, period)
 * index and took it — so every line scanned all its period's vouchers (40,000 lines: 146 s; without
 * the index: 14 s). Nothing reads vouchers by (ledger, period, state) that the partial index of
 * unposted vouchers and the (ledger, period, number) key do not serve, so the index goes.
 */
export class LinesCheckTheirVoucherById1763900002200 implements MigrationInterface {
  name = 'LinesCheckTheirVoucherById1763900002200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX voucher_period_state_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX voucher_period_state_idx ON voucher (ledger_id, period, state)`);
  }
}
