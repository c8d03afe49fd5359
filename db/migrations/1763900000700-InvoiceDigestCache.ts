import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's invoice digest of a period (activities/invoices/sync-invoices.ts), kept until the
 * invoices change: `version` is raised by the database in the same statement as any change to an
 * invoice's digested fields (a new sync state is not one), and a digest is stored with the version
 * it was computed at, in one snapshot. Equal versions: the stored digest is the digest, exactly.
 * A sync ahead of the close leaves it stored, so the close compares without reading the invoices.
 */
export class InvoiceDigestCache1763900000700 implements MigrationInterface {
  name = 'InvoiceDigestCache1763900000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invoice_digest (
        ledger_id       int NOT NULL,
        period          period_code NOT NULL,
        version         bigint NOT NULL DEFAULT 1,
        digest          text,
        digest_count    int,
        digest_version  bigint,
        PRIMARY KEY (ledger_id, period)
      );
      INSERT INTO invoice_digest (ledger_id, period) SELECT DISTINCT ledger_id, period FROM invoice;

      CREATE FUNCTION books_invoice_digest_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          INSERT INTO invoice_digest AS d (ledger_id, period)
          SELECT DISTINCT x.ledger_id, x.period FROM (
            SELECT o.ledger_id, o.period FROM old_invoices o JOIN new_invoices n ON n.id = o.id
            WHERE (o.ledger_id, o.period, o.number, o.seller_tax_id, o.buyer_name, o.buyer_tax_id, o.amount, o.tax, o.invoice_date)
                  IS DISTINCT FROM (n.ledger_id, n.period, n.number, n.seller_tax_id, n.buyer_name, n.buyer_tax_id, n.amount, n.tax, n.invoice_date)
            UNION
            SELECT n.ledger_id, n.period FROM old_invoices o JOIN new_invoices n ON n.id = o.id
            WHERE (o.ledger_id, o.period, o.number, o.seller_tax_id, o.buyer_name, o.buyer_tax_id, o.amount, o.tax, o.invoice_date)
                  IS DISTINCT FROM (n.ledger_id, n.period, n.number, n.seller_tax_id, n.buyer_name, n.buyer_tax_id, n.amount, n.tax, n.invoice_date)) x
          ORDER BY 1, 2
          ON CONFLICT (ledger_id, period) DO UPDATE SET version = d.version + 1;
        ELSE
          INSERT INTO invoice_digest AS d (ledger_id, period)
          SELECT DISTINCT ledger_id, period FROM changed_invoices ORDER BY 1, 2
          ON CONFLICT (ledger_id, period) DO UPDATE SET version = d.version + 1;
        END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER invoice_digest_insert AFTER INSERT ON invoice REFERENCING NEW TABLE AS changed_invoices
        FOR EACH STATEMENT EXECUTE FUNCTION books_invoice_digest_bump();
      CREATE TRIGGER invoice_digest_delete AFTER DELETE ON invoice REFERENCING OLD TABLE AS changed_invoices
        FOR EACH STATEMENT EXECUTE FUNCTION books_invoice_digest_bump();
      CREATE TRIGGER invoice_digest_update AFTER UPDATE ON invoice REFERENCING OLD TABLE AS old_invoices NEW TABLE AS new_invoices
        FOR EACH STATEMENT EXECUTE FUNCTION books_invoice_digest_bump();
      CREATE FUNCTION books_invoice_digest_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM invoice_digest;
        RETURN NULL;
      END $$;
      CREATE TRIGGER invoice_digest_truncate AFTER TRUNCATE ON invoice
        FOR EACH STATEMENT EXECUTE FUNCTION books_invoice_digest_truncate();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER invoice_digest_truncate ON invoice;
      DROP TRIGGER invoice_digest_update ON invoice;
      DROP TRIGGER invoice_digest_delete ON invoice;
      DROP TRIGGER invoice_digest_insert ON invoice;
      DROP TABLE invoice_digest;
      DROP FUNCTION books_invoice_digest_truncate(), books_invoice_digest_bump();
    `);
  }
}
