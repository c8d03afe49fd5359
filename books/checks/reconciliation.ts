import type { DataSource, EntityManager } from 'typeorm';
import { formatMinor } from '../../lib/money';
import { rows } from '../../db/sql';
import type { NewBlocker } from '../../close';

/**
 * Business sub-systems and the general ledger agree (业财核对): each sub-ledger's movement in the
 * period equals the movement (debit − credit) of its control account.
 */
export async function checkReconciliation(db: DataSource | EntityManager, ledgerId: number, period: string): Promise<NewBlocker[]> {
  const diffs = await rows<{ subledger: string; account: string; general: string; sub: string }>(
    db,
    `WITH control AS (
       SELECT a.control_of, a.code,
              coalesce((SELECT t.debit - t.credit FROM period_account_total t
                        WHERE t.ledger_id = a.ledger_id AND t.period = $2 AND t.account_code = a.code), 0) AS movement
       FROM account a WHERE a.ledger_id = $1 AND a.control_of IS NOT NULL),
     sub AS (SELECT subledger, amount AS total FROM subledger_total WHERE ledger_id = $1 AND period = $2)
     SELECT c.control_of AS subledger, c.code AS account, c.movement AS general, coalesce(s.total, 0) AS sub
     FROM control c LEFT JOIN sub s ON s.subledger = c.control_of
     WHERE c.movement <> coalesce(s.total, 0) ORDER BY 1`,
    [ledgerId, period],
  );
  if (diffs.length === 0) return [];
  return [
    {
      code: 'SUBLEDGER_UNRECONCILED',
      owner: 'accountant',
      total: diffs.length,
      message: `${diffs.length} sub-ledger(s) differ from their control accounts: find the business documents not booked on one side.`,
      items: diffs.map((d) => ({
        subledger: d.subledger,
        account: d.account,
        generalLedger: formatMinor(d.general),
        subledgerTotal: formatMinor(d.sub),
        difference: formatMinor(BigInt(d.general) - BigInt(d.sub)),
      })),
    },
  ];
}
