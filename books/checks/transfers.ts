import type { DataSource, EntityManager } from 'typeorm';
import { formatMinor } from '../../lib/money';
import { rows } from '../../db/sql';
import { MAX_BLOCKER_ITEMS, type BlockerCode, type NewBlocker } from '../../close';
import { withOwners } from './blockers';

const kinds: Record<string, { code: BlockerCode; owner: string; message: (n: number) => string }> = {
  in_transit: {
    code: 'TRANSFER_IN_TRANSIT',
    owner: 'finance_manager',
    message: (n) => `${n} fund transfer(s) are not settled and posted yet; the close asks the bank again at its next check.`,
  },
  failed: {
    code: 'TRANSFER_FAILED',
    owner: 'finance_manager',
    message: (n) => `${n} fund transfer(s) failed or were returned by the bank: re-send a failed one, or accept a return (退汇) with a reason.`,
  },
  unknown: { code: 'TRANSFER_UNKNOWN_AT_BANK', owner: 'operations', message: (n) => `${n} fund transfer(s) are unknown to the bank: check their references.` },
};

/**
 * 资金划拨 as the books know them: every transfer of the period not posted (or written off), by what
 * the bank last said of it (kept by the close's step and by the acts that ask the bank), with when
 * it was asked. A settled one still blocks until the close posts it.
 */
export async function checkTransfers(db: DataSource | EntityManager, ledgerId: number, period: string): Promise<NewBlocker[]> {
  const found = await rows<{
    id: string;
    reference: string;
    amount: string;
    state: string;
    bank_state: string | null;
    bank_reason: string | null;
    bank_checked_at: Date | null;
    sent_by: string | null;
    kind: string;
    total: string;
  }>(
    db,
    `SELECT * FROM (
       SELECT t.id::text, t.reference, t.amount::text, t.state, t.bank_state, t.bank_reason, t.bank_checked_at, t.sent_by, k.kind,
              count(*) OVER (PARTITION BY k.kind) AS total, row_number() OVER (PARTITION BY k.kind ORDER BY t.reference) AS rn
       FROM fund_transfer t,
            LATERAL (SELECT CASE WHEN t.state IN ('failed', 'returned') THEN 'failed' WHEN t.bank_state = 'unknown' THEN 'unknown' ELSE 'in_transit' END AS kind) k
       WHERE t.ledger_id = $1 AND t.period = $2 AND t.state NOT IN ('posted', 'written_off')) x
     WHERE rn <= ${MAX_BLOCKER_ITEMS} ORDER BY kind, reference`,
    [ledgerId, period],
  );
  const byKind = new Map<string, typeof found>();
  for (const t of found) byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t]);
  return [...byKind.entries()].map(([kind, list]) => {
    const total = Number(list[0].total);
    return withOwners({
      code: kinds[kind].code,
      owner: kinds[kind].owner,
      total,
      params: { count: total },
      message: kinds[kind].message(total),
      items: list.map((t) => ({
        transferId: t.id,
        reference: t.reference,
        amount: formatMinor(t.amount),
        state: t.state,
        bankState: t.bank_state ?? 'unknown',
        bankReason: t.bank_reason,
        bankCheckedAt: t.bank_checked_at ? t.bank_checked_at.toISOString() : null,
        owner: t.sent_by,
      })),
    });
  });
}
