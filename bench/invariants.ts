import type { DataSource, EntityManager } from 'typeorm';

/**
 * Checks the books by independent recomputation from the raw voucher lines, never trusting what the
 * close wrote about itself. Used after every benchmark and chaos scenario; `scope` limits the check
 * to some ledgers (by id) so a run on a shared database looks at its own books only.
 */
export interface InvariantScope {
  ledgerIds?: number[];
}
export interface Violation {
  invariant: string;
  detail: string;
}
export interface InvariantReport {
  checks: number;
  violations: Violation[];
  byInvariant: Record<string, { checks: number; violations: number }>;
}

type Db = DataSource | EntityManager;

const NEXT = (col: string) => `to_char(to_date(${col} || '-01', 'YYYY-MM-DD') + interval '1 month', 'YYYY-MM')`;

interface Check {
  invariant: string;
  /** How many items the check looked at. */
  countSql: string;
  /** One row per violation, with a `detail` column. */
  violationSql: string;
}

/** `$1` is the ledger id array (null: every ledger). */
const inScope = (alias: string) => `($1::int[] IS NULL OR ${alias}.ledger_id = ANY($1::int[]))`;

const CHECKS: Check[] = [
  {
    invariant: 'voucher_balanced',
    countSql: `SELECT count(*)::int AS n FROM voucher v WHERE ${inScope('v')}`,
    violationSql: `
      SELECT 'voucher ' || l.voucher_id || ': debits ' || sum(l.debit) || ' <> credits ' || sum(l.credit) AS detail
      FROM voucher_line l WHERE ${inScope('l')} GROUP BY l.voucher_id HAVING sum(l.debit) <> sum(l.credit)`,
  },
  {
    invariant: 'period_balanced',
    countSql: `SELECT count(*)::int AS n FROM period p WHERE ${inScope('p')}`,
    violationSql: `
      SELECT 'ledger ' || l.ledger_id || ' period ' || l.period || ': posted debits ' || sum(l.debit) || ' <> credits ' || sum(l.credit) AS detail
      FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id AND v.state = 'posted'
      WHERE ${inScope('l')} GROUP BY l.ledger_id, l.period HAVING sum(l.debit) <> sum(l.credit)
      UNION ALL
      SELECT 'ledger ' || b.ledger_id || ' period ' || b.period || ': openings sum to ' || sum(b.opening) || ', closings to ' || coalesce(sum(b.closing), 0)
      FROM balance b WHERE ${inScope('b')} GROUP BY b.ledger_id, b.period HAVING sum(b.opening) <> 0 OR coalesce(sum(b.closing), 0) <> 0`,
  },
  {
    // The tally the close reads (period_account_total) equals the raw lines, account by account.
    invariant: 'tally_equals_lines',
    countSql: `SELECT count(*)::int AS n FROM (SELECT DISTINCT ledger_id, period, account_code FROM voucher_line l WHERE ${inScope('l')}) x`,
    violationSql: `
      WITH raw AS (
        SELECT l.ledger_id, l.period, l.account_code, count(*) AS lines, sum(l.debit) AS debit, sum(l.credit) AS credit
        FROM voucher_line l WHERE ${inScope('l')} GROUP BY l.ledger_id, l.period, l.account_code)
      SELECT 'ledger ' || coalesce(r.ledger_id, t.ledger_id) || ' period ' || coalesce(r.period, t.period) || ' account ' || coalesce(r.account_code, t.account_code)
             || ': tally ' || coalesce(t.lines::text, '-') || ' lines ' || coalesce(t.debit::text, '-') || '/' || coalesce(t.credit::text, '-')
             || ', raw ' || coalesce(r.lines::text, '-') || ' lines ' || coalesce(r.debit::text, '-') || '/' || coalesce(r.credit::text, '-') AS detail
      FROM raw r FULL JOIN (SELECT * FROM period_account_total t WHERE ${inScope('t')}) t
        ON t.ledger_id = r.ledger_id AND t.period = r.period AND t.account_code = r.account_code
      WHERE r.lines IS DISTINCT FROM t.lines OR r.debit IS DISTINCT FROM t.debit OR r.credit IS DISTINCT FROM t.credit`,
  },
  {
    invariant: 'subledger_tally_equals_entries',
    countSql: `SELECT count(*)::int AS n FROM (SELECT DISTINCT ledger_id, period, subledger FROM subledger_entry e WHERE ${inScope('e')}) x`,
    violationSql: `
      WITH raw AS (SELECT e.ledger_id, e.period, e.subledger, count(*) AS entries, sum(e.amount) AS amount
                   FROM subledger_entry e WHERE ${inScope('e')} GROUP BY e.ledger_id, e.period, e.subledger)
      SELECT 'ledger ' || coalesce(r.ledger_id, t.ledger_id) || ' period ' || coalesce(r.period, t.period) || ' sub-ledger ' || coalesce(r.subledger, t.subledger)
             || ': tally ' || coalesce(t.entries::text, '-') || ' entries ' || coalesce(t.amount::text, '-')
             || ', raw ' || coalesce(r.entries::text, '-') || ' entries ' || coalesce(r.amount::text, '-') AS detail
      FROM raw r FULL JOIN (SELECT * FROM subledger_total t WHERE ${inScope('t')}) t
        ON t.ledger_id = r.ledger_id AND t.period = r.period AND t.subledger = r.subledger
      WHERE r.entries IS DISTINCT FROM t.entries OR r.amount IS DISTINCT FROM t.amount`,
  },
  {
    invariant: 'opening_tally_equals_balances',
    countSql: `SELECT count(*)::int AS n FROM (SELECT DISTINCT ledger_id, period FROM balance b WHERE ${inScope('b')}) x`,
    violationSql: `
      WITH raw AS (SELECT b.ledger_id, b.period, count(*) AS accounts, sum(b.opening) AS opening FROM balance b WHERE ${inScope('b')} GROUP BY b.ledger_id, b.period)
      SELECT 'ledger ' || coalesce(r.ledger_id, t.ledger_id) || ' period ' || coalesce(r.period, t.period)
             || ': tally ' || coalesce(t.accounts::text, '-') || ' accounts ' || coalesce(t.opening::text, '-')
             || ', raw ' || coalesce(r.accounts::text, '-') || ' accounts ' || coalesce(r.opening::text, '-') AS detail
      FROM raw r FULL JOIN (SELECT * FROM period_opening_total t WHERE ${inScope('t')}) t ON t.ledger_id = r.ledger_id AND t.period = r.period
      WHERE r.accounts IS DISTINCT FROM t.accounts OR r.opening IS DISTINCT FROM t.opening`,
  },
  {
    // The board's kept trial-balance differences (period_trial_difference) equal Σ(debit − credit) of the raw lines.
    invariant: 'trial_difference_equals_lines',
    countSql: `SELECT count(*)::int AS n FROM (SELECT DISTINCT ledger_id, period FROM voucher_line l WHERE ${inScope('l')}) x`,
    violationSql: `
      WITH raw AS (SELECT l.ledger_id, l.period, sum(l.debit - l.credit) AS difference FROM voucher_line l WHERE ${inScope('l')}
                   GROUP BY l.ledger_id, l.period HAVING sum(l.debit - l.credit) <> 0)
      SELECT 'ledger ' || coalesce(r.ledger_id, t.ledger_id) || ' period ' || coalesce(r.period, t.period)
             || ': kept difference ' || coalesce(t.difference::text, '0') || ', raw lines ' || coalesce(r.difference::text, '0') AS detail
      FROM raw r FULL JOIN (SELECT * FROM period_trial_difference t WHERE ${inScope('t')}) t ON t.ledger_id = r.ledger_id AND t.period = r.period
      WHERE r.difference IS DISTINCT FROM t.difference`,
  },
  {
    // The board's kept reconciliation differences (period_control_difference): each control account's
    // movement in the raw lines minus its sub-ledger's raw entries.
    invariant: 'control_difference_equals_raw',
    countSql: `SELECT count(*)::int AS n FROM account a WHERE a.control_of IS NOT NULL AND ${inScope('a')}`,
    violationSql: `
      WITH raw AS (
        SELECT a.ledger_id, x.period, a.code AS account_code, sum(x.amount) AS difference
        FROM account a CROSS JOIN LATERAL (
          SELECT l.period::text AS period, l.debit - l.credit AS amount FROM voucher_line l WHERE l.ledger_id = a.ledger_id AND l.account_code = a.code
          UNION ALL
          SELECT e.period::text, -e.amount FROM subledger_entry e WHERE e.ledger_id = a.ledger_id AND e.subledger = a.control_of) x
        WHERE a.control_of IS NOT NULL AND ${inScope('a')}
        GROUP BY a.ledger_id, x.period, a.code HAVING sum(x.amount) <> 0)
      SELECT 'ledger ' || coalesce(r.ledger_id, t.ledger_id) || ' period ' || coalesce(r.period, t.period) || ' account ' || coalesce(r.account_code, t.account_code)
             || ': kept difference ' || coalesce(t.difference::text, '0') || ', raw ' || coalesce(r.difference::text, '0') AS detail
      FROM raw r FULL JOIN (SELECT * FROM period_control_difference t WHERE ${inScope('t')}) t
        ON t.ledger_id = r.ledger_id AND t.period = r.period AND t.account_code = r.account_code
      WHERE r.difference IS DISTINCT FROM t.difference`,
  },
  {
    // closing = opening + posted movements, per account of every closed period, from the raw lines.
    invariant: 'closing_equals_opening_plus_movements',
    countSql: `SELECT count(*)::int AS n FROM period p JOIN account a ON a.ledger_id = p.ledger_id WHERE p.state = 'closed' AND ${inScope('p')}`,
    violationSql: `
      WITH raw AS (
        SELECT l.ledger_id, l.period, l.account_code, sum(l.debit)::bigint AS debit, sum(l.credit)::bigint AS credit
        FROM voucher_line l
        JOIN voucher v ON v.id = l.voucher_id AND v.state = 'posted'
        JOIN period p ON p.ledger_id = l.ledger_id AND p.period = l.period AND p.state = 'closed'
        WHERE ${inScope('l')}
        GROUP BY l.ledger_id, l.period, l.account_code)
      SELECT 'ledger ' || p.ledger_id || ' period ' || p.period || ' account ' || a.code || ': balance row '
             || coalesce(b.opening::text, '-') || ' + ' || coalesce(b.debit::text, '-') || ' - ' || coalesce(b.credit::text, '-') || ' = ' || coalesce(b.closing::text, '-')
             || ', raw lines debit ' || coalesce(r.debit, 0) || ' credit ' || coalesce(r.credit, 0)
             || ' give closing ' || (coalesce(b.opening, 0) + coalesce(r.debit, 0) - coalesce(r.credit, 0)) AS detail
      FROM period p
      JOIN account a ON a.ledger_id = p.ledger_id
      LEFT JOIN balance b ON b.ledger_id = p.ledger_id AND b.period = p.period AND b.account_code = a.code
      LEFT JOIN raw r ON r.ledger_id = p.ledger_id AND r.period = p.period AND r.account_code = a.code
      WHERE p.state = 'closed' AND ${inScope('p')}
        AND (b.closing IS NULL
             OR b.closing <> coalesce(b.opening, 0) + coalesce(r.debit, 0) - coalesce(r.credit, 0)
             OR coalesce(b.debit, 0) <> coalesce(r.debit, 0) OR coalesce(b.credit, 0) <> coalesce(r.credit, 0))`,
  },
  {
    // The backup the close took (and carried forward from) equals the period's raw lines: nothing
    // was written into the period after its freeze, or before it without being backed up.
    invariant: 'backup_equals_lines',
    countSql: `SELECT count(*)::int AS n FROM period p WHERE p.state = 'closed' AND ${inScope('p')}`,
    violationSql: `
      WITH raw AS (
        SELECT l.ledger_id, l.period, count(*) AS lines, sum(l.debit) AS debit, sum(l.credit) AS credit
        FROM voucher_line l
        JOIN voucher v ON v.id = l.voucher_id AND v.source_type IS DISTINCT FROM 'carry_forward'
        JOIN period p ON p.ledger_id = l.ledger_id AND p.period = l.period AND p.state = 'closed'
        WHERE ${inScope('l')}
        GROUP BY l.ledger_id, l.period)
      SELECT 'ledger ' || p.ledger_id || ' period ' || p.period || ': backup of close ' || coalesce(p.close_id, '-') || ' '
             || coalesce(s.line_count::text, 'missing') || ' lines ' || coalesce(s.debit_total::text, '-') || '/' || coalesce(s.credit_total::text, '-')
             || ', raw ' || coalesce(r.lines, 0) || ' lines ' || coalesce(r.debit, 0) || '/' || coalesce(r.credit, 0) AS detail
      FROM period p
      LEFT JOIN LATERAL (SELECT * FROM period_snapshot s WHERE s.close_id = p.close_id AND s.ledger_id = p.ledger_id AND s.period = p.period
                         ORDER BY s.id DESC LIMIT 1) s ON true
      LEFT JOIN raw r ON r.ledger_id = p.ledger_id AND r.period = p.period
      WHERE p.state = 'closed' AND ${inScope('p')}
        AND (s.id IS NULL OR s.line_count <> coalesce(r.lines, 0) OR s.debit_total <> coalesce(r.debit, 0) OR s.credit_total <> coalesce(r.credit, 0))`,
  },
  {
    invariant: 'next_opening_equals_closing',
    countSql: `SELECT count(*)::int AS n FROM balance b JOIN period p USING (ledger_id, period) WHERE p.state = 'closed' AND ${inScope('b')}`,
    violationSql: `
      SELECT 'ledger ' || b.ledger_id || ' account ' || b.account_code || ': closing of ' || b.period || ' is ' || coalesce(b.closing::text, 'null')
             || ', opening of ' || ${NEXT('b.period')} || ' is ' || coalesce(n.opening::text, 'missing') AS detail
      FROM balance b
      JOIN period p ON p.ledger_id = b.ledger_id AND p.period = b.period AND p.state = 'closed'
      LEFT JOIN balance n ON n.ledger_id = b.ledger_id AND n.period = ${NEXT('b.period')} AND n.account_code = b.account_code
      WHERE ${inScope('b')} AND n.opening IS DISTINCT FROM b.closing AND NOT (coalesce(b.closing, 0) = 0 AND n.opening IS NULL)`,
  },
  {
    invariant: 'income_expenditure_zero_after_carry_forward',
    countSql: `SELECT count(*)::int AS n FROM period p JOIN account a ON a.ledger_id = p.ledger_id AND a.class IN ('income', 'expenditure')
               WHERE p.state = 'closed' AND ${inScope('p')}`,
    violationSql: `
      SELECT 'ledger ' || b.ledger_id || ' period ' || b.period || ' ' || a.class || ' account ' || b.account_code || ' closes at ' || b.closing AS detail
      FROM balance b
      JOIN period p ON p.ledger_id = b.ledger_id AND p.period = b.period AND p.state = 'closed'
      JOIN account a ON a.ledger_id = b.ledger_id AND a.code = b.account_code AND a.class IN ('income', 'expenditure')
      WHERE ${inScope('b')} AND coalesce(b.closing, 0) <> 0
      UNION ALL
      SELECT 'ledger ' || l.ledger_id || ' period ' || l.period || ' account ' || l.account_code || ': raw ' || a.class || ' lines net ' || sum(l.debit - l.credit) || ' after carry forward'
      FROM voucher_line l
      JOIN voucher v ON v.id = l.voucher_id AND v.state = 'posted'
      JOIN period p ON p.ledger_id = l.ledger_id AND p.period = l.period AND p.state = 'closed'
      JOIN account a ON a.ledger_id = l.ledger_id AND a.code = l.account_code AND a.class IN ('income', 'expenditure')
      LEFT JOIN balance b ON b.ledger_id = l.ledger_id AND b.period = l.period AND b.account_code = l.account_code
      WHERE ${inScope('l')}
      GROUP BY l.ledger_id, l.period, l.account_code, a.class, b.opening HAVING coalesce(b.opening, 0) + sum(l.debit - l.credit) <> 0`,
  },
  {
    invariant: 'one_carry_forward_per_period',
    countSql: `SELECT count(*)::int AS n FROM period p WHERE p.state = 'closed' AND ${inScope('p')}`,
    violationSql: `
      SELECT 'ledger ' || p.ledger_id || ' period ' || p.period || ': ' || (SELECT count(*) FROM close_operation o WHERE o.ledger_id = p.ledger_id AND o.period = p.period AND o.operation = 'carry_forward')
             || ' carry_forward operations, ' || (SELECT count(*) FROM voucher v WHERE v.ledger_id = p.ledger_id AND v.period = p.period AND v.source_type = 'carry_forward')
             || ' carry-forward vouchers' AS detail
      FROM period p
      LEFT JOIN close_operation o ON o.ledger_id = p.ledger_id AND o.period = p.period AND o.operation = 'carry_forward'
      WHERE p.state = 'closed' AND ${inScope('p')}
        AND (o.ledger_id IS NULL
             OR (SELECT count(*) FROM voucher v WHERE v.ledger_id = p.ledger_id AND v.period = p.period AND v.source_type = 'carry_forward')
                <> CASE WHEN o.result ->> 'voucherId' IS NULL THEN 0 ELSE 1 END
             OR (o.result ->> 'voucherId' IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM voucher v WHERE v.id = (o.result ->> 'voucherId')::bigint AND v.source_type = 'carry_forward' AND v.state = 'posted')))
      UNION ALL
      SELECT 'ledger ' || v.ledger_id || ' period ' || v.period || ': ' || count(*) || ' carry-forward vouchers'
      FROM voucher v WHERE v.source_type = 'carry_forward' AND ${inScope('v')} GROUP BY v.ledger_id, v.period HAVING count(*) > 1`,
  },
  {
    invariant: 'posted_once',
    countSql: `SELECT ((SELECT count(*) FROM voucher v WHERE v.source_type IS NOT NULL AND ${inScope('v')})
                     + (SELECT count(*) FROM fund_transfer v WHERE v.voucher_id IS NOT NULL AND ${inScope('v')})
                     + (SELECT count(*) FROM invoice v WHERE v.voucher_id IS NOT NULL AND ${inScope('v')})
                     + (SELECT count(*) FROM reimbursement v WHERE v.voucher_id IS NOT NULL AND ${inScope('v')}))::int AS n`,
    violationSql: `
      SELECT 'source ' || v.source_type || ' ' || v.source_id || ' posted by ' || count(*) || ' vouchers' AS detail
      FROM voucher v WHERE v.source_type IS NOT NULL AND ${inScope('v')} GROUP BY v.source_type, v.source_id HAVING count(*) > 1
      UNION ALL
      SELECT 'voucher ' || t.voucher_id || ' posts ' || count(*) || ' transfers' FROM fund_transfer t
      WHERE t.voucher_id IS NOT NULL AND ${inScope('t')} GROUP BY t.voucher_id HAVING count(*) > 1
      UNION ALL
      SELECT 'voucher ' || i.voucher_id || ' posts ' || count(*) || ' invoices' FROM invoice i
      WHERE i.voucher_id IS NOT NULL AND ${inScope('i')} GROUP BY i.voucher_id HAVING count(*) > 1
      UNION ALL
      SELECT 'voucher ' || r.voucher_id || ' posts ' || count(*) || ' reimbursements' FROM reimbursement r
      WHERE r.voucher_id IS NOT NULL AND ${inScope('r')} GROUP BY r.voucher_id HAVING count(*) > 1
      UNION ALL
      SELECT 'transfer ' || t.id || ' posted, voucher ' || t.voucher_id || ' of another ledger or missing' FROM fund_transfer t
      LEFT JOIN voucher v ON v.id = t.voucher_id WHERE t.voucher_id IS NOT NULL AND ${inScope('t')} AND (v.id IS NULL OR v.ledger_id <> t.ledger_id)`,
  },
  {
    // Every closed period: a period.closed entry (one more than its reopenings) and a close.closed entry for its close.
    invariant: 'audit_of_period_state_changes',
    countSql: `SELECT count(*)::int AS n FROM period p WHERE p.state = 'closed' AND ${inScope('p')}`,
    violationSql: `
      WITH a AS (
        SELECT ledger_id, period, count(*) FILTER (WHERE action = 'period.closed') AS closed,
               count(*) FILTER (WHERE action = 'period.reopened') AS reopened
        FROM audit_log WHERE ${inScope('audit_log')} GROUP BY ledger_id, period)
      SELECT 'ledger ' || p.ledger_id || ' period ' || p.period || ' closed by ' || coalesce(p.close_id, '?') || ': '
             || coalesce(a.closed, 0) || ' period.closed and ' || coalesce(a.reopened, 0) || ' period.reopened audit entries, close.closed '
             || CASE WHEN EXISTS (SELECT 1 FROM audit_log c WHERE c.ledger_id = p.ledger_id AND c.period = p.period AND c.action = 'close.closed' AND c.target = p.close_id)
                     THEN 'present' ELSE 'missing' END AS detail
      FROM period p LEFT JOIN a ON a.ledger_id = p.ledger_id AND a.period = p.period
      WHERE p.state = 'closed' AND ${inScope('p')}
        AND (coalesce(a.closed, 0) <> coalesce(a.reopened, 0) + 1
             OR NOT EXISTS (SELECT 1 FROM audit_log c WHERE c.ledger_id = p.ledger_id AND c.period = p.period AND c.action = 'close.closed' AND c.target = p.close_id))`,
  },
  {
    // A close_run that says closed owns a closed period, and a closed period names a closed run.
    invariant: 'close_run_matches_period',
    countSql: `SELECT count(*)::int AS n FROM close_run r WHERE ${inScope('r')}`,
    violationSql: `
      SELECT 'close ' || r.id || ' is closed but period ' || r.period || ' of ledger ' || r.ledger_id || ' is ' || p.state || ' by ' || coalesce(p.close_id, '-') AS detail
      FROM close_run r JOIN period p ON p.ledger_id = r.ledger_id AND p.period = r.period
      WHERE r.state = 'closed' AND ${inScope('r')} AND (p.state <> 'closed' OR p.close_id IS DISTINCT FROM r.id)
        -- A close of a period later reopened (反结账) stays closed in its own record.
        AND NOT EXISTS (SELECT 1 FROM audit_log reopened WHERE reopened.action = 'period.reopened'
                          AND reopened.ledger_id = r.ledger_id AND reopened.period = r.period
                          AND reopened.id > (SELECT max(c.id) FROM audit_log c WHERE c.action = 'close.closed' AND c.target = r.id))
      UNION ALL
      SELECT 'period ' || p.period || ' of ledger ' || p.ledger_id || ' is closed but close ' || coalesce(p.close_id, '-') || ' is ' || coalesce(r.state, 'missing')
      FROM period p LEFT JOIN close_run r ON r.id = p.close_id
      WHERE p.state = 'closed' AND ${inScope('p')} AND (r.id IS NULL OR r.state <> 'closed')`,
  },
];

export const INVARIANTS = CHECKS.map((c) => c.invariant);

export async function checkInvariants(db: Db, scope: InvariantScope = {}): Promise<InvariantReport> {
  const params = [scope.ledgerIds ?? null];
  const violations: Violation[] = [];
  const byInvariant: InvariantReport['byInvariant'] = {};
  let checks = 0;
  for (const check of CHECKS) {
    const [{ n }] = (await db.query(check.countSql, params)) as Array<{ n: number }>;
    const rows = (await db.query(check.violationSql, params)) as Array<{ detail: string }>;
    checks += n;
    byInvariant[check.invariant] = { checks: n, violations: rows.length };
    for (const row of rows) violations.push({ invariant: check.invariant, detail: row.detail });
  }
  return { checks, violations, byInvariant };
}
