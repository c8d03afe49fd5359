import { rows } from '../../../db/sql';
import type { ActivityDeps, StepInput } from '../deps';
import { recordBankWords } from '../../../books/acts/transfers';
import { checkTransfers } from '../../../books/checks/transfers';
import { closeLedger } from '../close-ledger';
import { recordedStep } from '../record-step';
import { lockVoucherNumbering } from '../../../books/voucher-numbers';
import { MAX_REFERENCES_PER_QUERY, type TransferStatus } from '../../../integrations/bank';

interface OpenTransfer {
  id: string;
  reference: string;
  amount: string;
  state: string;
}

/**
 * 5. Fund transfers (资金划拨): asks the bank about every transfer of the period not yet posted (or
 * written off) and keeps its answer (books/acts/transfers.ts). Settled ones are posted by one voucher
 * each, exactly once (the voucher's source is unique, in the same transaction as the transfer's
 * state); the rest block as the books now know them (books/checks/transfers.ts): failed or returned
 * with the bank's reason, still in transit (asked again at the next check), or unknown to the bank.
 */
export function createFundTransfers(deps: ActivityDeps) {
  const db = deps.dataSource;
  return recordedStep<StepInput>(deps, 'fund_transfers', async ({ closeId, ledger, period, initiatedBy }, ctx) => {
    const l = await closeLedger(deps, { closeId, ledger });
    const open = await rows<OpenTransfer>(
      db,
      `SELECT id::text, reference, amount::text, state FROM fund_transfer WHERE ledger_id = $1 AND period = $2 AND state NOT IN ('posted', 'written_off') ORDER BY fund_transfer.id`,
      [l.id, period],
    );
    const statuses = new Map<string, TransferStatus>();
    for (let i = 0; i < open.length; i += MAX_REFERENCES_PER_QUERY) {
      for (const s of await deps.bank.transferStatuses(open.slice(i, i + MAX_REFERENCES_PER_QUERY).map((t) => t.reference))) statuses.set(s.reference, s);
      ctx.progress({ asked: Math.min(i + MAX_REFERENCES_PER_QUERY, open.length) });
    }
    const settled = open.filter((t) => statuses.get(t.reference)?.state === 'settled');
    const posted = settled.length > 0 ? await postSettled(deps, l.id, period, initiatedBy, settled, statuses) : 0;
    if (open.length > 0) await db.transaction((em) => recordBankWords(em, l.id, [...statuses.values()]));
    return { blockers: await checkTransfers(db, l.id, period), details: { asked: open.length, posted } };
  });
}

async function postSettled(
  deps: ActivityDeps,
  ledgerId: number,
  period: string,
  approver: string,
  settled: OpenTransfer[],
  statuses: Map<string, TransferStatus>,
): Promise<number> {
  // A finance manager's act may number a voucher of this period at the same moment (a claim posted while the close re-checks).
  const result = await deps.dataSource.transaction(async (em) => {
    await lockVoucherNumbering(em, ledgerId, period);
    return rows(
      em,
      `
    WITH todo AS (
      SELECT t.id, t.reference, t.amount, t.debit_account, t.credit_account, x.settled_at, row_number() OVER (ORDER BY t.id) AS rn
      FROM fund_transfer t JOIN unnest($3::bigint[], $4::timestamptz[]) AS x(id, settled_at) ON x.id = t.id
      WHERE t.state <> 'posted' AND t.voucher_id IS NULL),
    base AS (SELECT coalesce(max(number), 0) AS n FROM voucher WHERE ledger_id = $1::int AND period = $2::text),
    v AS (
      INSERT INTO voucher (ledger_id, period, number, voucher_date, description, preparer, approver, state, source_type, source_id, approved_at, posted_at)
      SELECT $1::int, $2::text, base.n + todo.rn, (to_date($2::text || '-01', 'YYYY-MM-DD') + interval '1 month - 1 day')::date,
             '资金划拨 fund transfer ' || todo.reference, 'system:bank', $5::text, 'posted', 'transfer', todo.id, now(), now()
      FROM todo, base
      ON CONFLICT (source_type, source_id) WHERE source_type IS NOT NULL DO NOTHING
      RETURNING id, source_id),
    lines AS (
      INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit, memo)
      SELECT v.id, $1::int, $2::text, 1, todo.debit_account, todo.amount, 0, todo.reference FROM v JOIN todo ON todo.id = v.source_id
      UNION ALL
      SELECT v.id, $1::int, $2::text, 2, todo.credit_account, 0, todo.amount, todo.reference FROM v JOIN todo ON todo.id = v.source_id
      RETURNING voucher_id)
    UPDATE fund_transfer t SET state = 'posted', voucher_id = v.id, bank_reason = NULL, settled_at = coalesce(todo.settled_at, now())
    FROM v JOIN todo ON todo.id = v.source_id WHERE t.id = v.source_id
    RETURNING t.id`,
      [ledgerId, period, settled.map((t) => t.id), settled.map((t) => statuses.get(t.reference)?.settledAt ?? null), approver],
    );
  });
  return result.length;
}
