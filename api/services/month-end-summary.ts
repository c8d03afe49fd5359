import type { DataSource } from 'typeorm';
import { rows } from '../../db/sql';
import { ledgerInStoredScope, scopeSql, type MonthEndScope } from '../../books/month-end-scope';

export interface MonthEndCounts {
  total: number;
  closed: number;
  blocked: number;
  running: number;
  failed: number;
  cancelled: number;
  notStarted: number;
}
/** The contract's shape: the counts, then the ledgers that need someone (blocked, with their codes; failed, with theirs). */
export interface MonthEndSummary extends MonthEndCounts {
  blockedLedgers: Array<{ ledger: string; closeId: string; codes: string[] }>;
  failedLedgers: Array<{ ledger: string; closeId: string; code: string | null }>;
}

/** Where a ledger stands in a month-end: its period's state (`p`), else its latest close's (`c`); one reading for a run and for a list of runs. */
const CATEGORY = `CASE WHEN p.state = 'closed' THEN 'closed'
                   WHEN c.state IN ('running', 'blocked', 'failed', 'cancelled') THEN c.state
                   ELSE 'notStarted' END`;

/** The most blocked and failed ledgers a summary names; the counts are always complete. */
const LISTED = 200;

/**
 * Where every ledger of a month-end stands, from the database alone (a month-end of thousands of
 * ledgers is never asked of Temporal ledger by ledger): the period's state, else its latest close's.
 */
export async function monthEndSummary(db: DataSource, scope: MonthEndScope, period: string): Promise<MonthEndSummary> {
  const s = scopeSql(scope, 2);
  const found = await rows<{
    category: keyof MonthEndCounts;
    ledger: string;
    close_id: string | null;
    blockers: string[] | null;
    error_code: string | null;
    n: number;
  }>(
    db,
    `WITH scoped AS (SELECT l.id, l.code FROM ledger l WHERE l.active AND l.first_period <= $1 AND ${s.where}),
     standing AS (
       SELECT sc.code, c.id AS close_id, c.blockers, c.errors, ${CATEGORY} AS category
       FROM scoped sc
       LEFT JOIN period p ON p.ledger_id = sc.id AND p.period = $1
       -- one pass over the period's runs (close_run has no index by ledger and period for a per-ledger lookup)
       LEFT JOIN (SELECT DISTINCT ON (r.ledger_id) r.ledger_id, r.id, r.state, r.blockers, r.errors FROM close_run r
                  WHERE r.period = $1 AND r.ledger_id IN (SELECT id FROM scoped)
                  ORDER BY r.ledger_id, r.started_at DESC, r.id DESC) c ON c.ledger_id = sc.id),
     listed AS (
       SELECT category, code, close_id, row_number() OVER (PARTITION BY category ORDER BY code) AS rn,
              (SELECT array_agg(DISTINCT b ->> 'code') FROM jsonb_array_elements(blockers) b) AS blockers,
              errors -> -1 ->> 'code' AS error_code
       FROM standing WHERE category IN ('blocked', 'failed'))
     SELECT category, NULL AS ledger, NULL AS close_id, NULL AS blockers, NULL AS error_code, count(*)::int AS n FROM standing GROUP BY category
     UNION ALL
     SELECT category, code, close_id, blockers, error_code, 0 FROM listed WHERE rn <= ${LISTED}
     ORDER BY category, ledger NULLS FIRST`,
    [period, ...s.params],
  );

  const summary: MonthEndSummary = {
    total: 0,
    closed: 0,
    blocked: 0,
    running: 0,
    failed: 0,
    cancelled: 0,
    notStarted: 0,
    blockedLedgers: [],
    failedLedgers: [],
  };
  const counts: MonthEndCounts = summary;
  for (const r of found) {
    if (r.ledger === null) {
      counts[r.category] = r.n;
      counts.total += r.n;
    } else if (r.category === 'blocked') {
      summary.blockedLedgers.push({ ledger: r.ledger, closeId: r.close_id!, codes: r.blockers ?? [] });
    } else {
      summary.failedLedgers.push({ ledger: r.ledger, closeId: r.close_id!, code: r.error_code });
    }
  }
  return summary;
}

const noCounts = (): MonthEndCounts => ({ total: 0, closed: 0, blocked: 0, running: 0, failed: 0, cancelled: 0, notStarted: 0 });

/**
 * The counts of several month-end runs (a page of the list, the schedules' last runs) in one
 * statement, read exactly as monthEndSummary reads one run: its ledgers now, in the run's period.
 */
export async function monthEndCounts(db: DataSource, runs: Array<{ id: string; period: string; scope: MonthEndScope }>): Promise<Map<string, MonthEndCounts>> {
  const counts = new Map(runs.map((r) => [r.id, noCounts()]));
  if (runs.length === 0) return counts;
  const found = await rows<{ id: string; category: keyof MonthEndCounts; n: number }>(
    db,
    `WITH runs AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id text, period text, scope jsonb)),
     members AS (SELECT runs.id AS run_id, runs.period, l.id AS ledger_id FROM runs
                 JOIN ledger l ON l.active AND l.first_period <= runs.period AND ${ledgerInStoredScope('runs.scope')}),
     -- each ledger's latest close of the period, in one pass as monthEndSummary does
     latest AS (SELECT DISTINCT ON (r.ledger_id, r.period) r.ledger_id, r.period, r.state FROM close_run r
                WHERE (r.ledger_id, r.period::text) IN (SELECT ledger_id, period FROM members)
                ORDER BY r.ledger_id, r.period, r.started_at DESC, r.id DESC)
     SELECT m.run_id AS id, ${CATEGORY} AS category, count(*)::int AS n
     FROM members m
     LEFT JOIN period p ON p.ledger_id = m.ledger_id AND p.period = m.period
     LEFT JOIN latest c ON c.ledger_id = m.ledger_id AND c.period = m.period
     GROUP BY 1, 2`,
    [JSON.stringify(runs.map(({ id, period, scope }) => ({ id, period, scope })))],
  );
  for (const r of found) {
    const c = counts.get(r.id)!;
    c[r.category] = r.n;
    c.total += r.n;
  }
  return counts;
}
