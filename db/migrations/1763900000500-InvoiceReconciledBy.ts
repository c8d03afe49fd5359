import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How an invoice sync reconciled: 'digest' when the platform's count and digest of the period
 * equalled the ledger's (nothing listed), 'listing' when it compared invoice by invoice. And the
 * two indexes a sync reads by: the invoices still to upload (few, among a period's many), and the
 * period's invoices in the digest's order (byte order of the number) with the digested fields, so
 * the digest reads the index alone and sorts nothing.
 */
export class InvoiceReconciledBy1763900000500 implements MigrationInterface {
  name = 'InvoiceReconciledBy1763900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE invoice_sync_report ADD COLUMN reconciled_by text NOT NULL DEFAULT 'listing' CHECK (reconciled_by IN ('digest', 'listing'));
      CREATE INDEX invoice_pending_idx ON invoice (ledger_id, period, id) WHERE sync_state = 'pending';
      CREATE INDEX invoice_digest_order_idx ON invoice (ledger_id, period, number COLLATE "C")
        INCLUDE (seller_tax_id, buyer_name, buyer_tax_id, amount, tax, invoice_date);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX invoice_digest_order_idx, invoice_pending_idx; ALTER TABLE invoice_sync_report DROP COLUMN reconciled_by;`);
  }
}
