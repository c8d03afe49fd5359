import type { DataSource, EntityManager } from 'typeorm';
import { formatMinor } from '../../lib/money';
import { rows } from '../../db/sql';
import { MAX_BLOCKER_ITEMS, type BlockerCode } from '../../close';
import type { NewBlocker } from '../../close';
import { groupBlockers } from './blockers';

const codeOfState: Record<string, BlockerCode> = {
  draft: 'VOUCHER_DRAFT',
  submitted: 'VOUCHER_SUBMITTED',
  rejected: 'VOUCHER_REJECTED',
  approved: 'VOUCHER_NOT_POSTED',
};

const describe: Record<string, { message: (n: number) => string; owner: string }> = {
  VOUCHER_DRAFT: { owner: 'accountant', message: (n) => `${n} voucher(s) are drafts: finish and submit them, or delete them.` },
  VOUCHER_SUBMITTED: { owner: 'finance_manager', message: (n) => `${n} voucher(s) await approval (未审核凭证): approve or reject them.` },
  VOUCHER_REJECTED: { owner: 'accountant', message: (n) => `${n} voucher(s) were rejected: correct and resubmit them, or delete them.` },
  VOUCHER_NOT_POSTED: { owner: 'finance_manager', message: (n) => `${n} approved voucher(s) are not posted (未记账): post them.` },
};

/** Every voucher of the period is approved and posted; the others are listed by state with who must act. */
export async function checkPendingApprovals(db: DataSource | EntityManager, ledgerId: number, period: string): Promise<NewBlocker[]> {
  const found = await rows<{
    id: string;
    number: number;
    state: string;
    date: string;
    preparer: string;
    approver: string | null;
    amount: string;
    total: string;
  }>(
    db,
    `SELECT * FROM (
       SELECT v.id, v.number, v.state, to_char(v.voucher_date, 'YYYY-MM-DD') AS date, v.preparer, v.approver,
              (SELECT coalesce(sum(l.debit), 0) FROM voucher_line l WHERE l.voucher_id = v.id) AS amount,
              count(*) OVER (PARTITION BY v.state) AS total,
              row_number() OVER (PARTITION BY v.state ORDER BY v.number) AS rn
       FROM voucher v WHERE v.ledger_id = $1 AND v.period = $2 AND v.state <> 'posted') x
     WHERE rn <= ${MAX_BLOCKER_ITEMS} ORDER BY state, number`,
    [ledgerId, period],
  );
  return groupBlockers(
    found.map((r) => ({ ...r, code: codeOfState[r.state] })),
    (code, total) => ({ owner: describe[code].owner, message: describe[code].message(total) }),
    (r) => ({
      voucherId: r.id,
      number: r.number,
      date: r.date,
      amount: formatMinor(r.amount),
      preparer: r.preparer,
      approver: r.approver,
      // Who must act on it: its preparer (a draft, a rejected voucher), its approver (to post it); any other manager approves.
      owner: r.state === 'draft' || r.state === 'rejected' ? r.preparer : r.state === 'approved' ? r.approver : null,
    }),
  );
}
