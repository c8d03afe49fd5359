import type { EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { formatMinor } from '../../lib/money';
import { nextPeriod } from '../../lib/period';
import { audit } from '../../db/session';
import { one } from '../../db/sql';
import type { ReimbursementState } from '../../db/schema';
import { accounts } from '../../db/seed/chart';
import type { Actor, ActResult } from './act';
import { rowInScope, scopeOf } from '../scope';
import { lockVoucherNumbering } from '../voucher-numbers';

export interface ReimbursementView {
  id: string;
  ledger: string;
  period: string;
  number: string;
  claimant: string;
  amount: string;
  state: string;
  deferredTo: string | null;
  deferredReason: string | null;
  voucherId: string | null;
}

interface Locked {
  id: string;
  state: ReimbursementState;
  ledger_id: number;
  period: string;
  number: string;
  claimant: string;
  amount: string;
  expense_account: string;
  description: string;
}

/** The claim, locked for the act; outside the user's scope it is not found, like one that does not exist. */
async function lockClaim(em: EntityManager, user: Actor, id: string, from: ReimbursementState[], act: string): Promise<Locked> {
  const r = await one<Locked>(
    em,
    `SELECT id::text, state, ledger_id, period, number, claimant, amount::text, expense_account, description FROM reimbursement r
     WHERE id = $1 AND ${rowInScope('r.ledger_id', 2)} FOR UPDATE`,
    [id, scopeOf(user)],
  );
  if (!r) throw new AppError('REIMBURSEMENT_NOT_FOUND', `There is no reimbursement with id ${id}.`, { reimbursementId: id });
  if (!from.includes(r.state)) {
    throw new AppError('REIMBURSEMENT_STATE_INVALID', `Claim ${r.number} is ${r.state}; only a ${from.join(' or ')} claim can be ${act}.`, {
      state: r.state,
      expected: from,
    });
  }
  return r;
}

async function view(em: EntityManager, r: Locked): Promise<ActResult<ReimbursementView>> {
  const found = (await one<ReimbursementView>(
    em,
    `SELECT r.id::text AS id, l.code AS ledger, r.period, r.number, r.claimant, r.amount::text AS amount, r.state,
            r.deferred_to AS "deferredTo", r.deferred_reason AS "deferredReason", r.voucher_id::text AS "voucherId"
     FROM reimbursement r JOIN ledger l ON l.id = r.ledger_id WHERE r.id = $1`,
    [r.id],
  ))!;
  return { ledgerId: r.ledger_id, period: r.period, result: { ...found, amount: formatMinor(found.amount) } };
}

/** An unpaid claim moves to the next period, with a reason. */
export async function deferClaim(em: EntityManager, user: Actor, id: string, reason: string): Promise<ActResult<ReimbursementView>> {
  const r = await lockClaim(em, user, id, ['submitted', 'approved'], 'deferred');
  const to = nextPeriod(r.period);
  await em.query(`UPDATE reimbursement SET state = 'deferred', deferred_to = $2, deferred_reason = $3 WHERE id = $1`, [id, to, reason]);
  await audit(em, {
    actor: user.name,
    action: 'reimbursement.deferred',
    ledgerId: r.ledger_id,
    period: r.period,
    target: id,
    reason,
    details: { number: r.number, from: r.state, deferredTo: to },
  });
  return view(em, r);
}

/** The claim has been paid to the claimant (出纳付款): recorded, ready to be posted. */
export async function payClaim(em: EntityManager, user: Actor, id: string): Promise<ActResult<ReimbursementView>> {
  const r = await lockClaim(em, user, id, ['submitted', 'approved'], 'paid');
  await em.query(`UPDATE reimbursement SET state = 'paid' WHERE id = $1`, [id]);
  await audit(em, {
    actor: user.name,
    action: 'reimbursement.paid',
    ledgerId: r.ledger_id,
    period: r.period,
    target: id,
    details: { number: r.number, from: r.state },
  });
  return view(em, r);
}

/**
 * A paid claim is posted: the product writes its voucher — the expense against the bank it was paid
 * from — balanced, posted by the acting user (the system prepares it, so approver ≠ preparer), and
 * the claim points at it; a claim is posted once (the voucher's source is unique).
 */
export async function postClaim(em: EntityManager, user: Actor, id: string): Promise<ActResult<ReimbursementView>> {
  const r = await lockClaim(em, user, id, ['paid'], 'posted');
  await lockVoucherNumbering(em, r.ledger_id, r.period);
  const voucher = (await one<{ id: string }>(
    em,
    `WITH v AS (
       INSERT INTO voucher (ledger_id, period, number, voucher_date, description, preparer, approver, state, source_type, source_id, approved_at, posted_at)
       SELECT $1::int, $2::text, coalesce(max(number), 0) + 1, (to_date($2::text || '-01', 'YYYY-MM-DD') + interval '1 month - 1 day')::date,
              $3::text, 'system:reimbursement', $4::text, 'posted', 'reimbursement', $5::bigint, now(), now()
       FROM voucher WHERE ledger_id = $1::int AND period = $2::text
       RETURNING id),
     lines AS (
       INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit, memo)
       SELECT v.id, $1::int, $2::text, x.n, x.account, x.debit, x.credit, $7::text
       FROM v, (VALUES (1, $6::text, $8::bigint, 0::bigint), (2, $9::text, 0::bigint, $8::bigint)) AS x(n, account, debit, credit))
     SELECT id::text FROM v`,
    [r.ledger_id, r.period, `${r.claimant}${r.description} ${r.number}`, user.name, id, r.expense_account, r.claimant, r.amount, accounts.bank],
  ))!;
  await em.query(`UPDATE reimbursement SET state = 'posted', voucher_id = $2 WHERE id = $1`, [id, voucher.id]);
  await audit(em, {
    actor: user.name,
    action: 'reimbursement.posted',
    ledgerId: r.ledger_id,
    period: r.period,
    target: id,
    details: { number: r.number, voucherId: voucher.id, amount: formatMinor(r.amount) },
  });
  return view(em, r);
}
