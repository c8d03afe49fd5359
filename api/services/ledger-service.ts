import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/errors';
import { formatMinor } from '../../lib/money';
import { one, rows } from '../../db/sql';
import { findLedger } from '../../books/ledgers';
import { ledgerInScope, type LedgerScope } from '../../books/scope';
import { decodeCursor, encodeCursor } from '../validation';

export interface LedgerView {
  code: string;
  name: string;
  parent: string | null;
  currency: string;
  firstPeriod: string;
  active: boolean;
  latestClosedPeriod: string | null;
}
export interface PeriodView {
  period: string;
  state: string;
  closeId: string | null;
  frozenAt: string | null;
  closedBy: string | null;
  closedAt: string | null;
}
export interface TrialBalanceLine {
  account: string;
  name: string;
  opening: string;
  debit: string;
  credit: string;
  closing: string;
}
export interface TrialBalance {
  ledger: string;
  period: string;
  periodState: string;
  /** `balance`: the closed period's stored balances; `computed`: openings plus the period's posted (记账) vouchers, now. */
  source: 'balance' | 'computed';
  accounts: TrialBalanceLine[];
  totals: Omit<TrialBalanceLine, 'account' | 'name'>;
}

type MinorRow = { account: string; name: string; opening: string; debit: string; credit: string; closing: string };

// Closing = opening + debit − credit, signed debit-positive; amounts leave SQL as text so bigint never passes through a float.
const storedBalances = `
  SELECT b.account_code AS account, a.name, b.opening::text AS opening, coalesce(b.debit, 0)::text AS debit,
         coalesce(b.credit, 0)::text AS credit, coalesce(b.closing, b.opening)::text AS closing
  FROM balance b JOIN account a ON a.ledger_id = b.ledger_id AND a.code = b.account_code
  WHERE b.ledger_id = $1 AND b.period = $2 ORDER BY b.account_code`;
const computedBalances = `
  WITH movement AS (
    SELECT l.account_code, sum(l.debit) AS debit, sum(l.credit) AS credit
    FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id
    WHERE l.ledger_id = $1 AND l.period = $2 AND v.state = 'posted' GROUP BY l.account_code),
  opening AS (SELECT account_code, opening FROM balance WHERE ledger_id = $1 AND period = $2)
  SELECT a.code AS account, a.name, coalesce(o.opening, 0)::text AS opening, coalesce(m.debit, 0)::text AS debit,
         coalesce(m.credit, 0)::text AS credit, (coalesce(o.opening, 0) + coalesce(m.debit, 0) - coalesce(m.credit, 0))::text AS closing
  FROM account a LEFT JOIN opening o ON o.account_code = a.code LEFT JOIN movement m ON m.account_code = a.code
  WHERE a.ledger_id = $1 AND (o.account_code IS NOT NULL OR m.account_code IS NOT NULL) ORDER BY a.code`;

/** Reading the books: ledgers, their periods, and a period's trial balance (试算平衡表). */
export function createLedgerService(dataSource: DataSource) {
  return {
    /** The ledgers in the caller's scope only (in SQL), optionally the children of one of them. */
    async listLedgers(scope: LedgerScope, f: { parent?: string; limit: number; cursor?: string }): Promise<{ items: LedgerView[]; next: string | null }> {
      const parentId = f.parent === undefined ? null : (await findLedger(dataSource, f.parent, scope)).id;
      const after = decodeCursor(f.cursor, ['string']);
      const found = await rows<LedgerView>(
        dataSource,
        `SELECT l.code, l.name, CASE WHEN ${ledgerInScope('p', 4)} THEN p.code END AS parent, l.currency, l.first_period AS "firstPeriod", l.active,
                (SELECT max(c.period) FROM period c WHERE c.ledger_id = l.id AND c.state = 'closed') AS "latestClosedPeriod"
         FROM ledger l LEFT JOIN ledger p ON p.id = l.parent_id
         WHERE ($1::int IS NULL OR l.parent_id = $1) AND ($2::text IS NULL OR l.code > $2) AND ${ledgerInScope('l', 4)}
         ORDER BY l.code LIMIT $3`,
        [parentId, after?.[0] ?? null, f.limit + 1, scope],
      );
      const page = found.slice(0, f.limit);
      return { items: page, next: found.length > f.limit ? encodeCursor([page[page.length - 1].code]) : null };
    },

    async listPeriods(scope: LedgerScope, ledgerCode: string): Promise<{ ledger: string; items: PeriodView[] }> {
      const ledger = await findLedger(dataSource, ledgerCode, scope);
      const items = await rows<PeriodView>(
        dataSource,
        `SELECT period, state, close_id AS "closeId", frozen_at AS "frozenAt", closed_by AS "closedBy", closed_at AS "closedAt"
         FROM period WHERE ledger_id = $1 ORDER BY period DESC`,
        [ledger.id],
      );
      return { ledger: ledger.code, items };
    },

    async trialBalance(scope: LedgerScope, ledgerCode: string, period: string): Promise<TrialBalance> {
      const ledger = await findLedger(dataSource, ledgerCode, scope);
      if (period < ledger.firstPeriod)
        throw new AppError('PERIOD_NOT_FOUND', `Ledger ${ledger.code} starts in ${ledger.firstPeriod}; it has no period ${period}.`);
      const p = await one<{ state: string }>(dataSource, `SELECT state FROM period WHERE ledger_id = $1 AND period = $2`, [ledger.id, period]);
      const state = p?.state ?? 'open';
      const source = state === 'closed' ? 'balance' : 'computed';
      const found = await rows<MinorRow>(dataSource, source === 'balance' ? storedBalances : computedBalances, [ledger.id, period]);
      const sum = (k: keyof Omit<MinorRow, 'account' | 'name'>) => formatMinor(found.reduce((t, r) => t + BigInt(r[k]), 0n));
      return {
        ledger: ledger.code,
        period,
        periodState: state,
        source,
        accounts: found.map((r) => ({
          account: r.account,
          name: r.name,
          opening: formatMinor(r.opening),
          debit: formatMinor(r.debit),
          credit: formatMinor(r.credit),
          closing: formatMinor(r.closing),
        })),
        totals: { opening: sum('opening'), debit: sum('debit'), credit: sum('credit'), closing: sum('closing') },
      };
    },
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
