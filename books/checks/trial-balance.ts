import type { DataSource, EntityManager } from 'typeorm';
import { formatMinor } from '../../lib/money';
import { one } from '../../db/sql';
import type { NewBlocker } from '../../close';

/**
 * 试算平衡: the period's debits equal its credits, and opening plus movements still balance. Each
 * voucher balancing is kept by the database itself (statement trigger), and so is the per-account
 * tally of the lines (period_account_total), so this reads one row per account, never the lines.
 */
export async function checkTrialBalance(db: DataSource | EntityManager, ledgerId: number, period: string): Promise<NewBlocker[]> {
  const t = await one<{ debit: string; credit: string; opening: string }>(
    db,
    `SELECT coalesce(sum(debit), 0) AS debit, coalesce(sum(credit), 0) AS credit,
            (SELECT coalesce(sum(opening), 0) FROM balance WHERE ledger_id = $1 AND period = $2) AS opening
     FROM period_account_total WHERE ledger_id = $1 AND period = $2`,
    [ledgerId, period],
  );
  const debit = BigInt(t!.debit);
  const credit = BigInt(t!.credit);
  const opening = BigInt(t!.opening);
  if (debit === credit && opening === 0n) return [];
  return [
    {
      code: 'TRIAL_BALANCE_UNBALANCED',
      owner: 'operations',
      total: 1,
      params: { difference: formatMinor(debit - credit) },
      message: 'The trial balance does not balance: the books are inconsistent; check the database integrity before closing.',
      items: [{ debit: formatMinor(debit), credit: formatMinor(credit), difference: formatMinor(debit - credit), openingDifference: formatMinor(opening) }],
    },
  ];
}
