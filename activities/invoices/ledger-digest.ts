import type { DataSource } from 'typeorm';
import { one } from '../../db/sql';

/**
 * The ledger's side of the platform's summary (simulators/tax-platform/store.ts, InvoiceSummary):
 * the same fields, separators and order, so equal digests mean equal invoices, field for field.
 */
const ledgerSummarySql = `
  SELECT count(*)::int AS count,
         encode(sha256(convert_to(coalesce(string_agg(
           number || chr(31) || seller_tax_id || chr(31) || buyer_name || chr(31) || buyer_tax_id || chr(31)
             || amount::text || chr(31) || tax::text || chr(31) || to_char(invoice_date, 'YYYY-MM-DD'),
           chr(30) ORDER BY number COLLATE "C"), ''), 'UTF8')), 'hex') AS digest
  FROM invoice WHERE ledger_id = $1 AND period = $2`;

/**
 * The ledger's count and digest of a period: the stored one while the invoices have not changed
 * since it was computed (invoice_digest, kept by the database), else computed now together with the
 * version it belongs to, in one snapshot, and stored if no invoice changed meanwhile.
 */
export async function ledgerSummary(db: DataSource, ledgerId: number, period: string): Promise<{ count: number; digest: string }> {
  const stored = await one<{ version: string; digest: string | null; count: number | null; digestVersion: string | null }>(
    db,
    `SELECT version::text, digest, digest_count AS count, digest_version::text AS "digestVersion" FROM invoice_digest WHERE ledger_id = $1 AND period = $2`,
    [ledgerId, period],
  );
  if (stored?.digest != null && stored.count !== null && stored.digestVersion === stored.version) return { count: stored.count, digest: stored.digest };
  const { version, summary } = await db.transaction('REPEATABLE READ', async (em) => ({
    version: (await one<{ version: string }>(em, `SELECT version::text FROM invoice_digest WHERE ledger_id = $1 AND period = $2`, [ledgerId, period]))?.version,
    summary: (await one<{ count: number; digest: string }>(em, ledgerSummarySql, [ledgerId, period]))!,
  }));
  if (version !== undefined) {
    await db.query(`UPDATE invoice_digest SET digest = $3, digest_count = $4, digest_version = version WHERE ledger_id = $1 AND period = $2 AND version = $5`, [
      ledgerId,
      period,
      summary.digest,
      summary.count,
      version,
    ]);
  }
  return summary;
}
