import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../lib/errors';
import { one } from '../db/sql';
import type { Blocker, NewBlocker, StepName } from '../close';
import { checkInvoices } from './checks/invoices';
import { checkPendingApprovals } from './checks/pending-approvals';
import { checkPreviousPeriod } from './checks/previous-period';
import { checkReconciliation } from './checks/reconciliation';
import { checkReimbursements } from './checks/reimbursements';
import { checkTransfers } from './checks/transfers';
import { checkTrialBalance } from './checks/trial-balance';
import { findLedger } from './ledgers';
import type { LedgerScope } from './scope';

type Db = DataSource | EntityManager;

/** A pre-close check (结账检查) of one ledger's period: every check's blockers at once. */
export interface Readiness {
  ledger: string;
  period: string;
  /** The period's own state: open, closing (a close runs) or closed. */
  state: string;
  /** Nothing blocks: a close started now would not wait (external systems as last known). */
  ready: boolean;
  checkedAt: string;
  blockers: Blocker[];
  /** How old what is known of the external systems is: when the bank and the tax platform were last asked (null: never). */
  knownAt: { fund_transfers: string | null; invoice_sync: string | null };
}

const mark = (step: StepName, blockers: NewBlocker[]): Blocker[] => blockers.map((b) => ({ ...b, step }));

/**
 * Runs every check of the close at once, read-only, from what the books know: the same checks the
 * close runs (books/checks/), with the bank's and the tax platform's last answers instead of asking
 * them (`?refresh=true` asks them first, through acts that keep their answers). A ledger outside
 * `scope` is not found.
 */
export async function readinessOf(db: Db, ledgerCode: string, period: string, scope: LedgerScope = null, now = new Date()): Promise<Readiness> {
  const l = await findLedger(db, ledgerCode, scope);
  if (period < l.firstPeriod) throw new AppError('PERIOD_NOT_FOUND', `Ledger ${l.code} starts in ${l.firstPeriod}; it has no period ${period}.`);
  const [p, previous, approvals, claims, transfers, invoices, reconciliation, trial, asked] = await Promise.all([
    one<{ state: string }>(db, `SELECT state FROM period WHERE ledger_id = $1 AND period = $2`, [l.id, period]),
    checkPreviousPeriod(db, l.id, period, l.firstPeriod),
    checkPendingApprovals(db, l.id, period),
    checkReimbursements(db, l.id, period),
    checkTransfers(db, l.id, period),
    checkInvoices(db, l.id, period),
    checkReconciliation(db, l.id, period),
    checkTrialBalance(db, l.id, period),
    one<{ at: Date | null }>(
      db,
      `SELECT min(bank_checked_at) AS at FROM fund_transfer WHERE ledger_id = $1 AND period = $2 AND state NOT IN ('posted', 'written_off')`,
      [l.id, period],
    ),
  ]);
  const blockers = [
    ...mark('previous_period', previous),
    ...mark('pending_approvals', approvals),
    ...mark('reimbursements', claims),
    ...mark('fund_transfers', transfers),
    ...mark('invoice_sync', invoices.blockers),
    ...mark('reconciliation', reconciliation),
    ...mark('trial_balance', trial),
  ];
  const state = p?.state ?? 'open';
  return {
    ledger: l.code,
    period,
    state,
    ready: state !== 'closed' && blockers.length === 0,
    checkedAt: now.toISOString(),
    blockers,
    knownAt: { fund_transfers: asked?.at ? asked.at.toISOString() : null, invoice_sync: invoices.knownAt },
  };
}
