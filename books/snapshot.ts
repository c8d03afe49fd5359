import type { DataSource, EntityManager } from 'typeorm';
import { one } from '../db/sql';

/**
 * The backup's snapshot of a period (备份): per account, from the tally the database keeps, with a
 * checksum that a recomputation from the lines must equal. `$1` is the ledger id, `$2` the period.
 */
const carryForwardLines = `SELECT * FROM voucher_line
  WHERE voucher_id = (SELECT id FROM voucher WHERE ledger_id = $1 AND period = $2 AND source_type = 'carry_forward')`;

/**
 * Per account: line count, debit and credit totals, and an order-independent hash of its lines (the
 * sum of books_line_hash), the carry-forward voucher excluded: it comes after. Recomputed from the lines.
 */
export const perAccountFromLinesSql = `
  SELECT account_code AS account, count(*) AS lines, sum(debit) AS debit, sum(credit) AS credit,
         sum(books_line_hash(id, voucher_id, account_code, debit, credit)) AS hash
  FROM voucher_line WHERE ledger_id = $1 AND period = $2
    AND voucher_id NOT IN (SELECT id FROM voucher WHERE ledger_id = $1 AND period = $2 AND source_type = 'carry_forward')
  GROUP BY account_code`;

/**
 * The same, from the tally the database keeps of the lines (period_account_total) less the
 * carry-forward voucher's few lines, if a retried close left one: the accounts are read, never the lines.
 */
export const perAccountFromTallySql = `
  SELECT t.account_code AS account, t.lines - coalesce(cf.lines, 0) AS lines, t.debit - coalesce(cf.debit, 0) AS debit,
         t.credit - coalesce(cf.credit, 0) AS credit, t.line_hash - coalesce(cf.hash, 0) AS hash
  FROM period_account_total t
  LEFT JOIN (SELECT account_code, count(*) AS lines, sum(debit) AS debit, sum(credit) AS credit,
                    sum(books_line_hash(id, voucher_id, account_code, debit, credit)) AS hash
             FROM (${carryForwardLines}) l GROUP BY account_code) cf ON cf.account_code = t.account_code
  WHERE t.ledger_id = $1 AND t.period = $2 AND t.lines - coalesce(cf.lines, 0) > 0`;

export const checksumSql = `md5(coalesce(string_agg(account || ':' || lines || ':' || debit || ':' || credit || ':' || hash, ',' ORDER BY account), ''))`;

/** Recomputes a snapshot's checksum from the period's lines now: equal means the close's input is proven. */
export async function verifySnapshot(db: DataSource | EntityManager, snapshotId: string): Promise<{ stored: string; recomputed: string; matches: boolean }> {
  const snap = await one<{ ledger_id: number; period: string; checksum: string }>(db, `SELECT ledger_id, period, checksum FROM period_snapshot WHERE id = $1`, [
    snapshotId,
  ]);
  if (!snap) throw new Error(`no snapshot ${snapshotId}`);
  const now = await one<{ checksum: string }>(db, `WITH per_account AS (${perAccountFromLinesSql}) SELECT ${checksumSql} AS checksum FROM per_account`, [
    snap.ledger_id,
    snap.period,
  ]);
  return { stored: snap.checksum, recomputed: now!.checksum, matches: snap.checksum === now!.checksum };
}
