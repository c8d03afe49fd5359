import type { EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { formatMinor, parseDecimal } from '../../lib/money';
import { audit } from '../../db/session';
import { one, rows } from '../../db/sql';
import type { VoucherState } from '../../db/schema';
import type { Actor, ActResult } from './act';
import { lockVoucherNumbering } from '../voucher-numbers';
import { rowInScope, scopeOf } from '../scope';

export interface VoucherView {
  id: string;
  ledger: string;
  period: string;
  number: number;
  state: string;
  description: string;
  preparer: string;
  approver: string | null;
  approvedAt: string | null;
  postedAt: string | null;
  amount: string;
}

const voucherView = `SELECT v.id::text AS id, l.code AS ledger, v.period, v.number, v.state, v.description, v.preparer, v.approver,
    v.approved_at AS "approvedAt", v.posted_at AS "postedAt",
    (SELECT coalesce(sum(x.debit), 0) FROM voucher_line x WHERE x.voucher_id = v.id)::text AS amount
  FROM voucher v JOIN ledger l ON l.id = v.ledger_id WHERE v.id = $1`;

export async function viewVoucher(em: EntityManager, id: string): Promise<VoucherView> {
  const v = (await one<VoucherView>(em, voucherView, [id]))!;
  return { ...v, amount: formatMinor(v.amount) };
}

interface Locked {
  id: string;
  state: VoucherState;
  preparer: string;
  ledger_id: number;
  period: string;
  number: number;
}

/** The voucher, locked for the act, or VOUCHER_NOT_FOUND (also outside the user's scope); its state must be one of `from`. */
async function lockVoucher(em: EntityManager, user: Actor, id: string, from: VoucherState[], act: string): Promise<Locked> {
  const v = await one<Locked>(
    em,
    `SELECT id::text, state, preparer, ledger_id, period, number FROM voucher v WHERE id = $1 AND ${rowInScope('v.ledger_id', 2)} FOR UPDATE`,
    [id, scopeOf(user)],
  );
  if (!v) throw new AppError('VOUCHER_NOT_FOUND', `There is no voucher with id ${id}.`, { voucherId: id });
  if (!from.includes(v.state)) {
    throw new AppError('VOUCHER_STATE_INVALID', `Voucher ${v.number} is ${v.state}; only a ${from.join(' or ')} voucher can be ${act}.`, {
      state: v.state,
      expected: from,
    });
  }
  return v;
}

function mustBePreparer(v: Locked, user: Actor, act: string): void {
  if (v.preparer !== user.name) {
    throw new AppError('NOT_THE_PREPARER', `Only ${v.preparer}, who prepared voucher ${v.number}, may ${act} it.`, { preparer: v.preparer });
  }
}

function mustNotBePreparer(v: Locked, user: Actor): void {
  if (v.preparer === user.name) {
    throw new AppError('SEGREGATION_OF_DUTIES', `You prepared voucher ${v.number}; another user must approve or reject it (不相容职务分离).`, {
      preparer: v.preparer,
    });
  }
}

const done = async (em: EntityManager, v: Locked): Promise<ActResult<VoucherView>> => ({
  ledgerId: v.ledger_id,
  period: v.period,
  result: await viewVoucher(em, v.id),
});

/** The preparer submits a draft, or resubmits a rejected voucher, for approval. */
export async function submitVoucher(em: EntityManager, user: Actor, id: string): Promise<ActResult<VoucherView>> {
  const v = await lockVoucher(em, user, id, ['draft', 'rejected'], 'submitted');
  mustBePreparer(v, user, 'submit');
  const lines = await one<{ n: number }>(em, `SELECT count(*)::int AS n FROM voucher_line WHERE voucher_id = $1`, [id]);
  if (lines!.n < 2) throw new AppError('VOUCHER_UNBALANCED', `Voucher ${v.number} has no lines to submit; add its lines first.`, { lines: lines!.n });
  await em.query(`UPDATE voucher SET state = 'submitted' WHERE id = $1`, [id]);
  return done(em, v);
}

/**
 * The preparer voids a draft or rejected voucher (凭证作废): it is deleted with its lines, and the
 * audit log keeps what it was (number, description, lines) and why. Its number is not reused.
 */
export async function voidVoucher(
  em: EntityManager,
  user: Actor,
  id: string,
  reason: string,
): Promise<ActResult<{ id: string; number: number; voided: true }>> {
  const v = await lockVoucher(em, user, id, ['draft', 'rejected'], 'voided');
  mustBePreparer(v, user, 'void');
  const lines = await rows<{ account: string; debit: string; credit: string; memo: string }>(
    em,
    `SELECT account_code AS account, debit::text, credit::text, memo FROM voucher_line WHERE voucher_id = $1 ORDER BY line_no`,
    [id],
  );
  const description = (await one<{ description: string }>(em, `SELECT description FROM voucher WHERE id = $1`, [id]))!.description;
  await em.query(`DELETE FROM voucher WHERE id = $1`, [id]);
  await audit(em, {
    actor: user.name,
    action: 'voucher.voided',
    ledgerId: v.ledger_id,
    period: v.period,
    target: id,
    reason,
    details: { number: v.number, from: v.state, description, lines },
  });
  return { ledgerId: v.ledger_id, period: v.period, result: { id, number: v.number, voided: true } };
}

/** 审核: another user than the preparer approves a submitted voucher. */
export async function approveVoucher(em: EntityManager, user: Actor, id: string): Promise<ActResult<VoucherView>> {
  const v = await lockVoucher(em, user, id, ['submitted'], 'approved');
  mustNotBePreparer(v, user);
  await em.query(`UPDATE voucher SET state = 'approved', approver = $2, approved_at = now() WHERE id = $1`, [id, user.name]);
  return done(em, v);
}

/** Another user than the preparer rejects a submitted voucher, with a reason (the audit entry the database writes carries it). */
export async function rejectVoucher(em: EntityManager, user: Actor, id: string): Promise<ActResult<VoucherView>> {
  const v = await lockVoucher(em, user, id, ['submitted'], 'rejected');
  mustNotBePreparer(v, user);
  await em.query(`UPDATE voucher SET state = 'rejected' WHERE id = $1`, [id]);
  return done(em, v);
}

/** 记账: an approved voucher is posted. */
export async function postVoucher(em: EntityManager, user: Actor, id: string): Promise<ActResult<VoucherView>> {
  const v = await lockVoucher(em, user, id, ['approved'], 'posted');
  await em.query(`UPDATE voucher SET state = 'posted', posted_at = now() WHERE id = $1`, [id]);
  return done(em, v);
}

export interface DraftLine {
  account: string;
  debit?: string;
  credit?: string;
  memo?: string;
}

/**
 * An accountant prepares a voucher (a draft, numbered next in its period): every line one-sided,
 * amounts as decimal yuan strings, debits equal to credits (the database checks that too).
 */
export async function prepareVoucher(
  em: EntityManager,
  user: Actor,
  ledgerId: number,
  period: string,
  spec: { description: string; date?: string; lines: DraftLine[] },
): Promise<ActResult<VoucherView>> {
  const lines = spec.lines.map((l, i) => {
    const debit = l.debit === undefined ? 0n : parseDecimal(l.debit);
    const credit = l.credit === undefined ? 0n : parseDecimal(l.credit);
    if (debit > 0n === credit > 0n || debit < 0n || credit < 0n) {
      throw new AppError('VALIDATION_FAILED', `Line ${i + 1} must have either a debit or a credit above zero.`, { line: i + 1 });
    }
    return { ...l, debit, credit };
  });
  const debits = lines.reduce((s, l) => s + l.debit, 0n);
  const credits = lines.reduce((s, l) => s + l.credit, 0n);
  if (debits !== credits) {
    throw new AppError('VOUCHER_UNBALANCED', `Debits ${formatMinor(debits)} and credits ${formatMinor(credits)} differ; a voucher balances.`, {
      debit: formatMinor(debits),
      credit: formatMinor(credits),
    });
  }
  const unknown = await rows<{ code: string }>(
    em,
    `SELECT x.code FROM unnest($2::text[]) AS x(code) WHERE NOT EXISTS (SELECT 1 FROM account a WHERE a.ledger_id = $1 AND a.code = x.code)`,
    [ledgerId, lines.map((l) => l.account)],
  );
  if (unknown.length > 0) {
    throw new AppError('ACCOUNT_NOT_FOUND', `The ledger has no account ${unknown.map((u) => u.code).join(', ')}.`, { accounts: unknown.map((u) => u.code) });
  }
  const date =
    spec.date ??
    (await one<{ d: string }>(em, `SELECT to_char((to_date($1 || '-01', 'YYYY-MM-DD') + interval '1 month - 1 day')::date, 'YYYY-MM-DD') AS d`, [period]))!.d;
  await lockVoucherNumbering(em, ledgerId, period);
  const v = (await one<{ id: string }>(
    em,
    `WITH v AS (
       INSERT INTO voucher (ledger_id, period, number, voucher_date, description, preparer, state)
       SELECT $1::int, $2::text, coalesce(max(number), 0) + 1, $3::date, $4::text, $5::text, 'draft'
       FROM voucher WHERE ledger_id = $1::int AND period = $2::text
       RETURNING id)
     INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit, memo)
     SELECT v.id, $1::int, $2::text, x.n, x.account, x.debit, x.credit, x.memo
     FROM v, unnest($6::text[], $7::bigint[], $8::bigint[], $9::text[]) WITH ORDINALITY AS x(account, debit, credit, memo, n)
     RETURNING voucher_id::text AS id`,
    [
      ledgerId,
      period,
      date,
      spec.description,
      user.name,
      lines.map((l) => l.account),
      lines.map((l) => String(l.debit)),
      lines.map((l) => String(l.credit)),
      lines.map((l) => l.memo ?? ''),
    ],
  ))!;
  await audit(em, { actor: user.name, action: 'voucher.prepared', ledgerId, period, target: v.id, details: { description: spec.description } });
  return { ledgerId, period, result: await viewVoucher(em, v.id) };
}
