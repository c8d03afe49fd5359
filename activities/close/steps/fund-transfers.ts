import { rows } from '../../../db/sql';
import { formatMinor } from '../../../lib/money';
import { MAX_BLOCKER_ITEMS, type BlockerCode } from '../../../close';
import type { NewBlocker } from '../../../close';
import type { ActivityDeps, StepInput } from '../deps';
import { findLedger } from '../../../books/ledgers';
import { recordedStep } from '../record-step';
import { MAX_REFERENCES_PER_QUERY, type TransferStatus } from '../../../integrations/bank';

interface OpenTransfer {
  id: string;
  reference: string;
  amount: string;
  state: string;
}

/**
 * 5. Fund transfers (资金划拨): asks the bank for every transfer of the period not yet posted. Settled ones are posted by
 * one voucher each, exactly once (the voucher's source is unique, in the same transaction as the
 * transfer's state); failed or returned ones block with the bank's reason; ones still in transit
 * keep the close waiting and are asked again at the next re-check.
 */
export function createFundTransfers(deps: ActivityDeps) {
  const db = deps.dataSource;
  return recordedStep<StepInput>(deps, 'fund_transfers', async ({ ledger, period, initiatedBy }, ctx) => {
    const l = await findLedger(db, ledger);
    const open = await rows<OpenTransfer>(
      db,
      `SELECT id::text, reference, amount::text, state FROM fund_transfer WHERE ledger_id = $1 AND period = $2 AND state <> 'posted' ORDER BY fund_transfer.id`,
      [l.id, period],
    );
    const statuses = new Map<string, TransferStatus>();
    for (let i = 0; i < open.length; i += MAX_REFERENCES_PER_QUERY) {
      for (const s of await deps.bank.transferStatuses(open.slice(i, i + MAX_REFERENCES_PER_QUERY).map((t) => t.reference))) statuses.set(s.reference, s);
      ctx.progress({ asked: Math.min(i + MAX_REFERENCES_PER_QUERY, open.length) });
    }
    const settled = open.filter((t) => statuses.get(t.reference)?.state === 'settled');
    const posted = settled.length > 0 ? await postSettled(deps, l.id, period, initiatedBy, settled, statuses) : 0;
    const bad = open.filter((t) => ['failed', 'returned'].includes(statuses.get(t.reference)?.state ?? ''));
    if (bad.length > 0) {
      await db.query(
        `UPDATE fund_transfer SET state = x.state, bank_reason = x.reason FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(id, state, reason)
         WHERE fund_transfer.id = x.id AND fund_transfer.state <> 'posted' AND (fund_transfer.state, coalesce(fund_transfer.bank_reason, '')) <> (x.state, x.reason)`,
        [bad.map((t) => t.id), bad.map((t) => statuses.get(t.reference)!.state), bad.map((t) => statuses.get(t.reference)!.reason ?? '')],
      );
    }
    return { blockers: transferBlockers(open, statuses), details: { asked: open.length, posted } };
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
  const result = await rows(
    deps.dataSource,
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
  return result.length;
}

const transferCodes: Record<string, { code: BlockerCode; owner: string; message: (n: number) => string }> = {
  in_transit: {
    code: 'TRANSFER_IN_TRANSIT',
    owner: 'finance_manager',
    message: (n) => `${n} fund transfer(s) are still in transit at the bank; the close asks again at the next re-check.`,
  },
  failed: {
    code: 'TRANSFER_FAILED',
    owner: 'finance_manager',
    message: (n) => `${n} fund transfer(s) failed or were returned by the bank: resolve them with the bank (see each reason).`,
  },
  unknown: { code: 'TRANSFER_UNKNOWN_AT_BANK', owner: 'operations', message: (n) => `${n} fund transfer(s) are unknown to the bank: check their references.` },
};

function transferBlockers(open: OpenTransfer[], statuses: Map<string, TransferStatus>): NewBlocker[] {
  const groups = new Map<string, Array<{ t: OpenTransfer; s: TransferStatus | undefined }>>();
  for (const t of open) {
    const s = statuses.get(t.reference);
    const kind =
      s?.state === 'settled' ? null : s?.state === 'returned' || s?.state === 'failed' ? 'failed' : s?.state === 'in_transit' ? 'in_transit' : 'unknown';
    if (kind) groups.set(kind, [...(groups.get(kind) ?? []), { t, s }]);
  }
  return [...groups.entries()].map(([kind, list]) => ({
    code: transferCodes[kind].code,
    owner: transferCodes[kind].owner,
    total: list.length,
    message: transferCodes[kind].message(list.length),
    items: list
      .slice(0, MAX_BLOCKER_ITEMS)
      .map(({ t, s }) => ({
        transferId: t.id,
        reference: t.reference,
        amount: formatMinor(t.amount),
        bankState: s?.state ?? 'unknown',
        bankReason: s?.reason ?? null,
      })),
  }));
}
