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
  /** open, closing, closed, or reopened: closed once, reopened (反结账), not closed again yet. */
  state: 'open' | 'closing' | 'closed' | 'reopened';
  closeId: string | null;
  frozenAt: string | null;
  closedBy: string | null;
  closedAt: string | null;
  /** Every reopening (反结账) of the period, oldest first: who, when, and the reason they gave. */
  reopenings: Array<{ by: string; at: string; reason: string | null }>;
  /** Every close run of the period, newest first; the one whose close stands `counts`. */
  runs: PeriodRun[];
}
export interface PeriodRun {
  closeId: string;
  state: string;
  initiatedBy: string;
  startedAt: string;
  endedAt: string | null;
  /** Its close is the one that stands: the period is closed, by this run. */
  counts: boolean;
  /** It closed the period once, but a reopen (反结账) undid that close: a later run counts (or will), never this one. */
  superseded: boolean;
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

const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// One statement for every period of the ledger: its reopenings (the reopen act's audit entries) and
// its runs are aggregated per period over their (ledger_id, period) indexes, never queried per row.
// A run counts while its close stands (the period closed by it). It is superseded when a reopen undid
// its close: the reopen act names the close it undid as its audit entry's target. Times are formatted
// in SQL: json_agg would otherwise give PostgreSQL's text form, not the ISO 8601 the API answers.
const periodsWithHistory = `
  WITH reopen AS (
    SELECT a.id, a.period, a.actor, a.at, a.reason, a.target FROM audit_log a WHERE a.ledger_id = $1 AND a.action = 'period.reopen'),
  reopens AS (
    SELECT period, json_agg(json_build_object('by', actor, 'at', ${isoUtc('at')}, 'reason', reason) ORDER BY id) AS reopenings
    FROM reopen GROUP BY period),
  runs AS (
    SELECT c.period, json_agg(json_build_object(
             'closeId', c.id, 'state', c.state, 'initiatedBy', c.initiated_by,
             'startedAt', ${isoUtc('c.started_at')}, 'endedAt', ${isoUtc('c.ended_at')},
             'counts', coalesce(p.state = 'closed' AND p.close_id = c.id, false),
             'superseded', EXISTS (SELECT 1 FROM reopen r WHERE r.target = c.id))
           ORDER BY c.started_at DESC, c.id DESC) AS runs
    FROM close_run c JOIN period p ON p.ledger_id = c.ledger_id AND p.period = c.period
    WHERE c.ledger_id = $1 GROUP BY c.period)
  SELECT p.period, CASE WHEN p.state = 'open' AND r.reopenings IS NOT NULL THEN 'reopened' ELSE p.state END AS state,
         p.close_id AS "closeId", p.frozen_at AS "frozenAt", p.closed_by AS "closedBy", p.closed_at AS "closedAt",
         coalesce(r.reopenings, '[]'::json) AS reopenings, coalesce(c.runs, '[]'::json) AS runs
  FROM period p LEFT JOIN reopens r ON r.period = p.period LEFT JOIN runs c ON c.period = p.period
  WHERE p.ledger_id = $1 ORDER BY p.period DESC`;

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

    /** A ledger's periods with who closed and reopened each, and its runs: as the ledger's page shows them (#16). */
    async listPeriods(scope: LedgerScope, ledgerCode: string): Promise<{ ledger: string; name: string; items: PeriodView[] }> {
      const ledger = await findLedger(dataSource, ledgerCode, scope);
      const items = await rows<PeriodView>(dataSource, periodsWithHistory, [ledger.id]);
      return { ledger: ledger.code, name: ledger.name, items };
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
