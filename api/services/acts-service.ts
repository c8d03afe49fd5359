import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { runAct, type ActResult } from '../../books/acts/act';
import { acceptDifference, recordPlatformInvoice, takePlatformValues } from '../../books/acts/invoices';
import { alignOpenings } from '../../books/acts/openings';
import { deferClaim, payClaim, postClaim } from '../../books/acts/reimbursements';
import { lockTransfer, markResent, recordBankWords, viewTransfer, writeOffReturned, type TransferView } from '../../books/acts/transfers';
import { approveVoucher, postVoucher, prepareVoucher, rejectVoucher, submitVoucher, voidVoucher, type DraftLine } from '../../books/acts/vouchers';
import type { ReconciledField } from '../../books/invoices/reconcile';
import { findLedger } from '../../books/ledgers';
import { rowInScope } from '../../books/scope';
import { audit } from '../../db/session';
import { one } from '../../db/sql';
import type { BankClient } from '../../integrations/bank';
import type { ApiUser } from '../auth';

export interface ActsServiceDeps {
  dataSource: DataSource;
  bank: BankClient;
  /** Makes a close waiting on the ledger's period re-check now (a resume), if one does. */
  recheck(ledgerId: number, period: string, user: ApiUser): Promise<void>;
}

export interface BulkResult<T> {
  results: Array<{ id: string; ok: true; result: T } | { id: string; ok: false; error: { code: string; message: string } }>;
}

/**
 * The acts that clear a close's blockers, each in its own transaction as the acting user (the
 * database's rules hold: approver ≠ preparer, nothing changes a closed or frozen period), each
 * audited, and each followed by an immediate re-check of the close waiting on that period.
 */
export function createActsService(deps: ActsServiceDeps) {
  const db = deps.dataSource;

  async function act<T>(user: ApiUser, reason: string | undefined, work: (em: EntityManager) => Promise<ActResult<T>>): Promise<T> {
    const done = await runAct(db, user, reason, work);
    await deps.recheck(done.ledgerId, done.period, user).catch(() => undefined);
    return done.result;
  }

  async function bulk<T>(ids: string[], one: (id: string) => Promise<T>): Promise<BulkResult<T>> {
    const results: BulkResult<T>['results'] = [];
    for (const id of ids) {
      try {
        results.push({ id, ok: true, result: await one(id) });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        results.push({ id, ok: false, error: { code: err.code, message: err.message } });
      }
    }
    return { results };
  }

  // A ledger outside the acting user's scope is not found, like one that does not exist.
  const ledgerPeriod = async (user: ApiUser, ledger: string) => (await findLedger(db, ledger, user.scopeLedgerId)).id;

  const vouchers = {
    submit: (user: ApiUser, id: string) => act(user, undefined, (em) => submitVoucher(em, user, id)),
    void: (user: ApiUser, id: string, reason: string) => act(user, reason, (em) => voidVoucher(em, user, id, reason)),
    approve: (user: ApiUser, id: string) => act(user, undefined, (em) => approveVoucher(em, user, id)),
    reject: (user: ApiUser, id: string, reason: string) => act(user, reason, (em) => rejectVoucher(em, user, id)),
    post: (user: ApiUser, id: string) => act(user, undefined, (em) => postVoucher(em, user, id)),
    /** 批量审核 / 批量记账: each voucher on its own, with a result per item. */
    approveMany: (user: ApiUser, ids: string[]) => bulk(ids, (id) => vouchers.approve(user, id)),
    postMany: (user: ApiUser, ids: string[]) => bulk(ids, (id) => vouchers.post(user, id)),
    async prepare(user: ApiUser, ledger: string, period: string, spec: { description: string; date?: string; lines: DraftLine[] }) {
      const ledgerId = await ledgerPeriod(user, ledger);
      return act(user, undefined, (em) => prepareVoucher(em, user, ledgerId, period, spec));
    },
  };

  const reimbursements = {
    defer: (user: ApiUser, id: string, reason: string) => act(user, reason, (em) => deferClaim(em, user, id, reason)),
    pay: (user: ApiUser, id: string) => act(user, undefined, (em) => payClaim(em, user, id)),
    post: (user: ApiUser, id: string) => act(user, undefined, (em) => postClaim(em, user, id)),
  };

  const transfers = {
    /** Asks the bank now and keeps its word (a settled transfer is then posted by the close, once). */
    async askBank(user: ApiUser, id: string): Promise<TransferView> {
      const t = await lockless(user, id);
      const [word] = await deps.bank.transferStatuses([t.reference]);
      return act(user, undefined, async (em) => {
        await recordBankWords(em, t.ledger_id, [word]);
        await audit(em, {
          actor: user.name,
          action: 'transfer.asked',
          ledgerId: t.ledger_id,
          period: t.period,
          target: id,
          details: { bankState: word.state },
        });
        return viewTransfer(em, { id, ledger_id: t.ledger_id, period: t.period });
      });
    },
    /** Re-sends a failed transfer; the bank sends it once however often it is asked (the key counts earlier re-sends). */
    async resend(user: ApiUser, id: string): Promise<TransferView> {
      const t = await lockless(user, id);
      if (t.state !== 'failed') {
        throw new AppError('TRANSFER_STATE_INVALID', `Transfer ${t.reference} is ${t.state}; only a failed transfer can be re-sent.`, { state: t.state });
      }
      const earlier = (await one<{ n: number }>(db, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'transfer.resent' AND target = $1`, [id]))!.n;
      const word = await deps.bank.resendTransfer(t.reference, `${t.reference}:resend:${earlier + 1}`);
      return act(user, undefined, async (em) => {
        const locked = await lockTransfer(em, user, id, ['failed'], 're-sent');
        await markResent(em, user, locked, word);
        return viewTransfer(em, locked);
      });
    },
    writeOff: (user: ApiUser, id: string, reason: string) => act(user, reason, (em) => writeOffReturned(em, user, id, reason)),
  };

  async function lockless(user: ApiUser, id: string) {
    const t = await one<{ reference: string; state: string; ledger_id: number; period: string }>(
      db,
      `SELECT reference, state, ledger_id, period FROM fund_transfer t WHERE id = $1 AND ${rowInScope('t.ledger_id', 2)}`,
      [id, user.scopeLedgerId],
    );
    if (!t) throw new AppError('TRANSFER_NOT_FOUND', `There is no fund transfer with id ${id}.`, { transferId: id });
    return t;
  }

  const invoices = {
    takePlatformValues: (user: ApiUser, id: string) => act(user, undefined, (em) => takePlatformValues(em, user, id)),
    async recordFromPlatform(user: ApiUser, ledger: string, period: string, number: string) {
      const ledgerId = await ledgerPeriod(user, ledger);
      return act(user, undefined, (em) => recordPlatformInvoice(em, user, ledgerId, period, number));
    },
    async acceptDifference(user: ApiUser, ledger: string, period: string, spec: { number: string; field: ReconciledField | null; reason: string }) {
      const ledgerId = await ledgerPeriod(user, ledger);
      return act(user, spec.reason, (em) => acceptDifference(em, user, ledgerId, period, spec));
    },
  };

  async function alignOpeningBalances(user: ApiUser, ledger: string, period: string, reason: string) {
    const ledgerId = await ledgerPeriod(user, ledger);
    return act(user, reason, (em) => alignOpenings(em, user, ledgerId, period, reason));
  }

  return { vouchers, reimbursements, transfers, invoices, alignOpenings: alignOpeningBalances };
}

export type ActsService = ReturnType<typeof createActsService>;
