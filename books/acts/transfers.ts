import type { EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { formatMinor } from '../../lib/money';
import { audit } from '../../db/session';
import { one } from '../../db/sql';
import type { FundTransferState } from '../../db/schema';
import type { Actor, ActResult } from './act';
import { rowInScope, scopeOf } from '../scope';
import { lockVoucherNumbering } from '../voucher-numbers';

/** What the bank said of one transfer (integrations/bank.ts speaks the same words). */
export interface BankWord {
  reference: string;
  state: 'in_transit' | 'settled' | 'failed' | 'returned' | 'unknown';
  reason?: string;
}

export interface TransferView {
  id: string;
  ledger: string;
  period: string;
  reference: string;
  amount: string;
  state: string;
  bankState: string | null;
  bankReason: string | null;
  bankCheckedAt: string | null;
  voucherId: string | null;
}

export interface LockedTransfer {
  id: string;
  state: FundTransferState;
  ledger_id: number;
  period: string;
  reference: string;
  amount: string;
  debit_account: string;
  credit_account: string;
  counterparty: string;
}

/** The transfer, locked for the act; outside the user's scope it is not found, like one that does not exist. */
export async function lockTransfer(em: EntityManager, user: Actor, id: string, from: FundTransferState[], act: string): Promise<LockedTransfer> {
  const t = await one<LockedTransfer>(
    em,
    `SELECT id::text, state, ledger_id, period, reference, amount::text, debit_account, credit_account, counterparty FROM fund_transfer t
     WHERE id = $1 AND ${rowInScope('t.ledger_id', 2)} FOR UPDATE`,
    [id, scopeOf(user)],
  );
  if (!t) throw new AppError('TRANSFER_NOT_FOUND', `There is no fund transfer with id ${id}.`, { transferId: id });
  if (!from.includes(t.state)) {
    throw new AppError('TRANSFER_STATE_INVALID', `Transfer ${t.reference} is ${t.state}; only a ${from.join(' or ')} transfer can be ${act}.`, {
      state: t.state,
      expected: from,
    });
  }
  return t;
}

export async function viewTransfer(em: EntityManager, t: { id: string; ledger_id: number; period: string }): Promise<ActResult<TransferView>> {
  const found = (await one<TransferView>(
    em,
    `SELECT t.id::text AS id, l.code AS ledger, t.period, t.reference, t.amount::text AS amount, t.state, t.bank_state AS "bankState",
            t.bank_reason AS "bankReason", t.bank_checked_at AS "bankCheckedAt", t.voucher_id::text AS "voucherId"
     FROM fund_transfer t JOIN ledger l ON l.id = t.ledger_id WHERE t.id = $1`,
    [t.id],
  ))!;
  return { ledgerId: t.ledger_id, period: t.period, result: { ...found, amount: formatMinor(found.amount) } };
}

/**
 * Keeps what the bank said of transfers not yet posted: its word and when it was asked; a transfer
 * the bank failed or returned takes that state with the bank's reason. Nothing is posted here:
 * posting a settled transfer is the close's (exactly once, activities/close/steps/fund-transfers.ts).
 */
export async function recordBankWords(em: EntityManager, ledgerId: number, words: BankWord[]): Promise<void> {
  if (words.length === 0) return;
  await em.query(
    `UPDATE fund_transfer t SET bank_state = x.state, bank_checked_at = now(),
       state = CASE WHEN x.state IN ('failed', 'returned') THEN x.state ELSE t.state END,
       bank_reason = CASE WHEN x.state IN ('failed', 'returned') THEN nullif(x.reason, '') ELSE t.bank_reason END
     FROM unnest($2::text[], $3::text[], $4::text[]) AS x(reference, state, reason)
     WHERE t.ledger_id = $1 AND t.reference = x.reference AND t.state NOT IN ('posted', 'written_off')
       AND (t.bank_state IS DISTINCT FROM x.state OR t.bank_checked_at IS NULL OR t.bank_checked_at < now() - interval '1 second'
            OR (x.state IN ('failed', 'returned') AND t.state <> x.state))`,
    [ledgerId, words.map((w) => w.reference), words.map((w) => w.state), words.map((w) => w.reason ?? '')],
  );
}

/** A failed transfer the bank accepted again: in transit once more (the close posts it once the bank settles it). */
export async function markResent(em: EntityManager, user: Actor, t: LockedTransfer, word: BankWord): Promise<void> {
  await em.query(`UPDATE fund_transfer SET state = 'in_transit', bank_reason = NULL WHERE id = $1`, [t.id]);
  await recordBankWords(em, t.ledger_id, [word]);
  await audit(em, {
    actor: user.name,
    action: 'transfer.resent',
    ledgerId: t.ledger_id,
    period: t.period,
    target: t.id,
    details: { reference: t.reference, bankState: word.state },
  });
}

/**
 * 退汇: a transfer the bank returned is written off. Its posting (as if it had settled) and the
 * reversal (红字冲销) are both booked, so the accounts show the money went and came back and net to
 * nothing; the transfer is `written_off`, pointing at its posting; the reason is audited.
 */
export async function writeOffReturned(em: EntityManager, user: Actor, id: string, reason: string): Promise<ActResult<TransferView>> {
  const t = await lockTransfer(em, user, id, ['returned'], 'written off');
  await lockVoucherNumbering(em, t.ledger_id, t.period);
  const posted = (await one<{ posting: string }>(
    em,
    `WITH base AS (SELECT coalesce(max(number), 0) AS n FROM voucher WHERE ledger_id = $1::int AND period = $2::text),
     v AS (
       INSERT INTO voucher (ledger_id, period, number, voucher_date, description, preparer, approver, state, source_type, source_id, approved_at, posted_at)
       SELECT $1::int, $2::text, base.n + x.k, (to_date($2::text || '-01', 'YYYY-MM-DD') + interval '1 month - 1 day')::date, x.description,
              'system:bank', $3::text, 'posted', x.source_type, x.source_id, now(), now()
       FROM base, (VALUES (1, '资金划拨 ' || $4::text, 'transfer', $5::bigint), (2, '退汇冲销 ' || $4::text || '：' || $6::text, NULL, NULL)) AS x(k, description, source_type, source_id)
       RETURNING id, source_type),
     lines AS (
       INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit, memo)
       SELECT v.id, $1::int, $2::text, l.n, l.account, l.debit, l.credit, $4::text
       FROM v CROSS JOIN LATERAL (VALUES
         (1, CASE WHEN v.source_type IS NULL THEN $8::text ELSE $7::text END, $9::bigint, 0::bigint),
         (2, CASE WHEN v.source_type IS NULL THEN $7::text ELSE $8::text END, 0::bigint, $9::bigint)) AS l(n, account, debit, credit))
     SELECT (SELECT id::text FROM v WHERE source_type = 'transfer') AS posting`,
    [t.ledger_id, t.period, user.name, t.reference, id, reason, t.debit_account, t.credit_account, t.amount],
  ))!;
  await em.query(`UPDATE fund_transfer SET state = 'written_off', voucher_id = $2 WHERE id = $1`, [id, posted.posting]);
  await audit(em, {
    actor: user.name,
    action: 'transfer.written_off',
    ledgerId: t.ledger_id,
    period: t.period,
    target: id,
    reason,
    details: { reference: t.reference, amount: formatMinor(t.amount), voucherId: posted.posting },
  });
  return viewTransfer(em, t);
}
