import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { nextPeriod } from '../../lib/period';
import { formatMinor } from '../../lib/money';
import { fromDatabaseError } from '../../db/pg-errors';
import { audit, inBooksTransaction } from '../../db/session';
import { one } from '../../db/sql';
import type { ApiUser } from '../auth';

export interface VoucherView {
  id: string;
  ledger: string;
  period: string;
  number: number;
  state: string;
  preparer: string;
  approver: string | null;
  approvedAt: string | null;
  postedAt: string | null;
}

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
}

const voucherColumns = `v.id::text AS id, l.code AS ledger, v.period, v.number, v.state, v.preparer, v.approver,
  v.approved_at AS "approvedAt", v.posted_at AS "postedAt"`;

/**
 * Clearing a close's blockers: approve (never by the preparer), post, and defer an unpaid claim to the
 * next period. Each runs in a books transaction, so the database's triggers know who acted and refuse
 * a closed or frozen period; their refusals come back as the stable codes of db/pg-errors.ts.
 */
export function createVoucherService(dataSource: DataSource) {
  async function act<T>(user: ApiUser, reason: string | undefined, work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await inBooksTransaction(dataSource, { actor: user.name, reason }, work);
    } catch (err) {
      throw fromDatabaseError(err);
    }
  }

  type Update = (em: EntityManager) => Promise<unknown>;
  async function moveVoucher(user: ApiUser, id: string, from: 'submitted' | 'approved', update: Update): Promise<VoucherView> {
    return act(user, undefined, async (em) => {
      const v = await one<{ state: string; preparer: string }>(em, `SELECT state, preparer FROM voucher WHERE id = $1 FOR UPDATE`, [id]);
      if (!v) throw new AppError('VOUCHER_NOT_FOUND', `There is no voucher with id ${id}.`);
      if (v.state !== from)
        throw new AppError(
          'VOUCHER_STATE_INVALID',
          `Voucher ${id} is ${v.state}; only a ${from} voucher can be ${from === 'submitted' ? 'approved' : 'posted'}.`,
          { state: v.state, expected: from },
        );
      if (from === 'submitted' && v.preparer === user.name) {
        throw new AppError('SEGREGATION_OF_DUTIES', `You prepared voucher ${id}; another user must approve it (不相容职务分离).`, { preparer: v.preparer });
      }
      await update(em);
      return (await one<VoucherView>(em, `SELECT ${voucherColumns} FROM voucher v JOIN ledger l ON l.id = v.ledger_id WHERE v.id = $1`, [id]))!;
    });
  }

  return {
    approve: (user: ApiUser, id: string) =>
      moveVoucher(user, id, 'submitted', (em) =>
        em.query(`UPDATE voucher SET state = 'approved', approver = $2, approved_at = now() WHERE id = $1`, [id, user.name]),
      ),
    post: (user: ApiUser, id: string) =>
      moveVoucher(user, id, 'approved', (em) => em.query(`UPDATE voucher SET state = 'posted', posted_at = now() WHERE id = $1`, [id])),

    async deferReimbursement(user: ApiUser, id: string, reason: string): Promise<ReimbursementView> {
      return act(user, reason, async (em) => {
        const r = await one<{ state: string; period: string; ledger_id: number }>(
          em,
          `SELECT state, period, ledger_id FROM reimbursement WHERE id = $1 FOR UPDATE`,
          [id],
        );
        if (!r) throw new AppError('REIMBURSEMENT_NOT_FOUND', `There is no reimbursement with id ${id}.`);
        if (r.state !== 'submitted' && r.state !== 'approved') {
          throw new AppError(
            'REIMBURSEMENT_STATE_INVALID',
            `Reimbursement ${id} is ${r.state}; only an unpaid (submitted or approved) claim can be deferred.`,
            { state: r.state },
          );
        }
        const to = nextPeriod(r.period);
        await em.query(`UPDATE reimbursement SET state = 'deferred', deferred_to = $2, deferred_reason = $3 WHERE id = $1`, [id, to, reason]);
        await audit(em, {
          actor: user.name,
          action: 'reimbursement.deferred',
          ledgerId: r.ledger_id,
          period: r.period,
          target: id,
          reason,
          details: { from: r.state, deferredTo: to },
        });
        const view = (await one<ReimbursementView & { amount: string }>(
          em,
          `SELECT r.id::text AS id, l.code AS ledger, r.period, r.number, r.claimant, r.amount::text AS amount, r.state,
                  r.deferred_to AS "deferredTo", r.deferred_reason AS "deferredReason"
           FROM reimbursement r JOIN ledger l ON l.id = r.ledger_id WHERE r.id = $1`,
          [id],
        ))!;
        return { ...view, amount: formatMinor(view.amount) };
      });
    },
  };
}

export type VoucherService = ReturnType<typeof createVoucherService>;
