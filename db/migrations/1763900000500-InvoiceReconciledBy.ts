import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How an invoice sync reconciled: 'digest' when the platform's count and digest of the period
 * equalled the ledger's (nothing listed), 'listing' when it compared invoice by invoice.
 */
export class InvoiceReconciledBy1763900000500 implements MigrationInterface {
  name = 'InvoiceReconciledBy1763900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoice_sync_report ADD COLUMN reconciled_by text NOT NULL DEFAULT 'listing' CHECK (reconciled_by IN ('digest', 'listing'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoice_sync_report DROP COLUMN reconciled_by`);
  }
}
