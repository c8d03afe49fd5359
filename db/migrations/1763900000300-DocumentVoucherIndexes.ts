import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents point at the voucher that posts them; without these indexes every voucher deleted
 * (a cancelled close's carry forward, a reopen) scans the three document tables.
 */
export class DocumentVoucherIndexes1763900000300 implements MigrationInterface {
  name = 'DocumentVoucherIndexes1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX reimbursement_voucher_idx ON reimbursement (voucher_id) WHERE voucher_id IS NOT NULL;
      CREATE INDEX fund_transfer_voucher_idx ON fund_transfer (voucher_id) WHERE voucher_id IS NOT NULL;
      CREATE INDEX invoice_voucher_idx ON invoice (voucher_id) WHERE voucher_id IS NOT NULL;
      CREATE INDEX close_run_ledger_period_idx ON close_run (ledger_id, period, started_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX close_run_ledger_period_idx, invoice_voucher_idx, fund_transfer_voucher_idx, reimbursement_voucher_idx;`);
  }
}
