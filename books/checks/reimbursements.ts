import type { DataSource, EntityManager } from 'typeorm';
import { formatMinor } from '../../lib/money';
import { rows } from '../../db/sql';
import { MAX_BLOCKER_ITEMS, type BlockerCode } from '../../close';
import type { NewBlocker } from '../../close';
import { groupBlockers } from './blockers';

/** Expense claims of the period are paid and posted, or deferred to the next period with a reason. */
export async function checkReimbursements(db: DataSource | EntityManager, ledgerId: number, period: string): Promise<NewBlocker[]> {
  const found = await rows<{ id: string; number: string; claimant: string; amount: string; state: string; code: BlockerCode; total: string }>(
    db,
    `SELECT * FROM (
       SELECT id, number, claimant, amount, state,
              CASE WHEN state = 'paid' THEN 'REIMBURSEMENT_NOT_POSTED' ELSE 'REIMBURSEMENT_UNPAID' END AS code,
              count(*) OVER (PARTITION BY state = 'paid') AS total,
              row_number() OVER (PARTITION BY state = 'paid' ORDER BY number) AS rn
       FROM reimbursement WHERE ledger_id = $1 AND period = $2 AND state IN ('submitted', 'approved', 'paid')) x
     WHERE rn <= ${MAX_BLOCKER_ITEMS} ORDER BY code, number`,
    [ledgerId, period],
  );
  return groupBlockers(
    found,
    (code, n) =>
      code === 'REIMBURSEMENT_NOT_POSTED'
        ? { owner: 'finance_manager', message: `${n} paid reimbursement(s) are not posted: post them.` }
        : {
            owner: 'finance_manager',
            message: `${n} reimbursement(s) (费用报销) are unpaid: pay and post them, or defer them to the next period with a reason.`,
          },
    (r) => ({ reimbursementId: r.id, number: r.number, claimant: r.claimant, amount: formatMinor(r.amount), state: r.state, owner: r.claimant }),
  );
}
