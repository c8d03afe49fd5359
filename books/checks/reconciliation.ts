import type { DataSource, EntityManager } from 'typeorm';
import { formatMinor } from '../../lib/money';
import { rows } from '../../db/sql';
import { MAX_BLOCKER_ITEMS, type NewBlocker } from '../../close';

type Db = DataSource | EntityManager;

interface Difference {
  subledger: string;
  account: string;
  accountName: string;
  general: string;
  sub: string;
}

/**
 * Business sub-systems and the general ledger agree (业财核对): each sub-ledger's movement in the
 * period equals the movement (debit − credit) of its control account. Compared by the two tallies
 * the database keeps; only when they differ are the documents read, to name those on one side only.
 */
export async function checkReconciliation(db: Db, ledgerId: number, period: string): Promise<NewBlocker[]> {
  const diffs = await rows<Difference>(
    db,
    `WITH control AS (
       SELECT a.control_of, a.code, a.name,
              coalesce((SELECT t.debit - t.credit FROM period_account_total t
                        WHERE t.ledger_id = a.ledger_id AND t.period = $2 AND t.account_code = a.code), 0) AS movement
       FROM account a WHERE a.ledger_id = $1 AND a.control_of IS NOT NULL),
     sub AS (SELECT subledger, amount AS total FROM subledger_total WHERE ledger_id = $1 AND period = $2)
     SELECT c.control_of AS subledger, c.code AS account, c.name AS "accountName", c.movement AS general, coalesce(s.total, 0) AS sub
     FROM control c LEFT JOIN sub s ON s.subledger = c.control_of
     WHERE c.movement <> coalesce(s.total, 0) ORDER BY 1`,
    [ledgerId, period],
  );
  if (diffs.length === 0) return [];
  const documents = (await Promise.all(diffs.map((d) => unmatchedDocuments(db, ledgerId, period, d)))).flat();
  return [
    {
      code: 'SUBLEDGER_UNRECONCILED',
      owner: 'accountant',
      total: documents.length || diffs.length,
      params: { subledgers: diffs.length, documents: documents.length },
      message: `${diffs.length} sub-ledger(s) differ from their control accounts: find the business documents not booked on one side.`,
      items: (documents.length > 0 ? documents : diffs.map((d) => differenceItem(d))).slice(0, MAX_BLOCKER_ITEMS),
    },
  ];
}

function differenceItem(d: Difference): Record<string, string> {
  return {
    subledger: d.subledger,
    account: d.account,
    accountName: d.accountName,
    generalLedger: formatMinor(d.general),
    subledgerTotal: formatMinor(d.sub),
    difference: formatMinor(BigInt(d.general) - BigInt(d.sub)),
  };
}

/**
 * The documents of one sub-ledger that the other side lacks: entries matched to control-account
 * lines by counterparty (the line's memo) and signed amount, one to one; what is left unmatched on
 * either side is named — its reference, counterparty and amount, and which side holds it.
 */
async function unmatchedDocuments(db: Db, ledgerId: number, period: string, d: Difference): Promise<Array<Record<string, string | null>>> {
  const found = await rows<{ side: string; reference: string; counterparty: string; amount: string; voucher_id: string | null; entry_id: string | null }>(
    db,
    `WITH gl AS (
       SELECT l.memo AS counterparty, l.debit - l.credit AS amount, v.description AS reference, v.id AS voucher_id,
              row_number() OVER (PARTITION BY l.memo, l.debit - l.credit ORDER BY l.id) AS k
       FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id
       WHERE l.ledger_id = $1 AND l.period = $2 AND l.account_code = $3),
     sub AS (
       SELECT e.counterparty, e.amount, e.reference, e.id AS entry_id,
              row_number() OVER (PARTITION BY e.counterparty, e.amount ORDER BY e.id) AS k
       FROM subledger_entry e WHERE e.ledger_id = $1 AND e.period = $2 AND e.subledger = $4)
     SELECT CASE WHEN gl.voucher_id IS NULL THEN 'subledger' ELSE 'general_ledger' END AS side,
            coalesce(sub.reference, gl.reference) AS reference, coalesce(sub.counterparty, gl.counterparty) AS counterparty,
            coalesce(sub.amount, gl.amount)::text AS amount, gl.voucher_id::text AS voucher_id, sub.entry_id::text AS entry_id
     FROM sub FULL JOIN gl ON gl.counterparty = sub.counterparty AND gl.amount = sub.amount AND gl.k = sub.k
     WHERE sub.entry_id IS NULL OR gl.voucher_id IS NULL
     ORDER BY 2 LIMIT ${MAX_BLOCKER_ITEMS}`,
    [ledgerId, period, d.account, d.subledger],
  );
  return found.map((f) => ({
    subledger: d.subledger,
    account: d.account,
    side: f.side,
    reference: f.reference,
    counterparty: f.counterparty,
    amount: formatMinor(f.amount),
    voucherId: f.voucher_id,
    entryId: f.entry_id,
  }));
}
