import type { DataSource, EntityManager } from 'typeorm';
import { one, rows } from '../../db/sql';
import { LIVE_STATES, type Blocker, type CloseState, type CloseStatus, type StepError } from '../../close';
import { decodeCursor, encodeCursor, invalidCursor } from '../validation';
import { ledgerInScope, type LedgerScope } from '../../books/scope';
import { retryOf, type StepView } from './step-retries';

/** A close as the API shows it: read from close_run, which the activities keep equal to the workflow. */
export interface CloseView {
  id: string;
  workflowId: string;
  ledger: string;
  period: string;
  state: CloseState;
  currentStep: string | null;
  /** As close_run keeps them; a step retrying a technical failure by itself also says so (`retrying`). */
  steps: StepView[];
  blockers: Blocker[];
  errors: StepError[];
  initiatedBy: string;
  monthEndId: string | null;
  startedAt: string;
  endedAt: string | null;
  updatedAt: string;
  /** When the period is due by its close calendar (#18); null where no calendar covers the ledger. */
  dueAt: string | null;
  /** Not closed by its due time: still open after it, or closed or cancelled after it. */
  late: boolean;
  /** This run's close stands: the period is closed by it. Of a period's runs, at most one counts. */
  counts: boolean;
  /** It closed the period once, but a reopen (反结账) undid that close: a later run counts, never this one. */
  superseded: boolean;
}

interface CloseRow extends CloseView {
  ledgerId: number;
  sortKey: string;
}

// A close is measured at its end when it has one that settles the period's fate, else now.
const endOrNow = `CASE WHEN c.state IN ('closed', 'cancelled') THEN c.ended_at ELSE now() END`;

const select = `
  SELECT c.id, c.workflow_id AS "workflowId", l.code AS ledger, c.ledger_id AS "ledgerId", c.period, c.state,
         c.current_step AS "currentStep", c.steps, c.blockers, c.errors, c.initiated_by AS "initiatedBy", c.month_end_id AS "monthEndId",
         c.started_at AS "startedAt", c.ended_at AS "endedAt", c.updated_at AS "updatedAt",
         d.due_at AS "dueAt", coalesce(d.due_at < ${endOrNow}, false) AS late,
         coalesce((SELECT p.state = 'closed' AND p.close_id = c.id FROM period p WHERE p.ledger_id = c.ledger_id AND p.period = c.period), false) AS counts,
         -- the reopen act names the close it undid as its audit entry's target (as the ledger's page reads it)
         EXISTS (SELECT 1 FROM audit_log a WHERE a.ledger_id = c.ledger_id AND a.period = c.period
                 AND a.action = 'period.reopen' AND a.target = c.id::text) AS superseded,
         -- microseconds since the epoch: an exact keyset position (a JS Date would drop the microseconds)
         (extract(epoch FROM c.started_at) * 1000000)::bigint::text AS "sortKey"
  FROM close_run c JOIN ledger l ON l.id = c.ledger_id CROSS JOIN LATERAL (SELECT close_due_at(c.ledger_id, c.period) AS due_at) d`;

function toView(row: CloseRow): CloseView {
  const { ledgerId: _ledgerId, sortKey: _sortKey, ...view } = row;
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
  // As the workflow's own status says: an ended close has no current step (lock leaves its name in the row).
  const live = LIVE_STATES.includes(view.state);
  const currentStep = live ? view.currentStep : null;
  return {
    ...view,
    currentStep,
    steps: view.steps.map((step) => {
      const retrying = retryOf(step, live);
      return retrying ? { ...step, retrying } : step;
    }),
    startedAt: iso(view.startedAt)!,
    endedAt: iso(view.endedAt),
    updatedAt: iso(view.updatedAt)!,
    dueAt: iso(view.dueAt),
  };
}

/** The close, if its ledger lies in `scope`: one outside it is not found, like one that does not exist. */
export async function findCloseRow(
  db: DataSource | EntityManager,
  id: string,
  scope: LedgerScope = null,
): Promise<(CloseView & { ledgerId: number }) | undefined> {
  const row = await one<CloseRow>(db, `${select} WHERE c.id = $1 AND ${ledgerInScope('l', 2)}`, [id, scope]);
  return row && { ...toView(row), ledgerId: row.ledgerId };
}

export async function findClose(db: DataSource | EntityManager, id: string): Promise<CloseView | undefined> {
  const row = await one<CloseRow>(db, `${select} WHERE c.id = $1`, [id]);
  return row && toView(row);
}

/** The live close of a ledger's period, if one is registered. */
export async function findLiveClose(db: DataSource | EntityManager, ledgerId: number, period: string): Promise<CloseView | undefined> {
  const row = await one<CloseRow>(db, `${select} WHERE c.ledger_id = $1 AND c.period = $2 AND c.state IN ('running', 'blocked')`, [ledgerId, period]);
  return row && toView(row);
}

export interface CloseFilter {
  state?: CloseState;
  ledger?: string;
  period?: string;
  stalled?: number;
  late?: boolean;
  limit: number;
  cursor?: string;
}

/** Newest first, paged by keyset on (started_at, id) so a page costs the same however deep it is; only ledgers in `scope`. */
export async function listCloses(db: DataSource, scope: LedgerScope, f: CloseFilter): Promise<{ items: CloseView[]; next: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (scope !== null) add((n) => ledgerInScope('l', n), scope);
  if (f.state) add((n) => `c.state = $${n}`, f.state);
  if (f.ledger) add((n) => `l.code = $${n}`, f.ledger);
  if (f.period) add((n) => `c.period = $${n}`, f.period);
  if (f.stalled !== undefined) {
    add((n) => `c.state IN ('running', 'blocked') AND c.updated_at < now() - make_interval(mins => $${n}::int)`, f.stalled);
  }
  if (f.late !== undefined) where.push(`${f.late ? '' : 'NOT '}coalesce(d.due_at < ${endOrNow}, false)`);
  const after = decodeCursor(f.cursor, ['string', 'string']);
  if (after) {
    if (!/^\d{1,18}$/.test(String(after[0]))) invalidCursor();
    params.push(after[0], after[1]);
    where.push(`(c.started_at, c.id) < (timestamptz 'epoch' + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length})`);
  }
  params.push(f.limit + 1);
  const found = await rows<CloseRow>(
    db,
    `${select} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.started_at DESC, c.id DESC LIMIT $${params.length}`,
    params,
  );
  const page = found.slice(0, f.limit);
  const last = page[page.length - 1];
  return { items: page.map(toView), next: found.length > f.limit && last ? encodeCursor([last.sortKey, last.id]) : null };
}

/** A close the workflow knows of but the database does not yet (its first step has not run). */
export function viewFromStatus(status: CloseStatus, monthEndId: string | null = null): CloseView {
  return {
    id: status.closeId,
    workflowId: status.workflowId,
    ledger: status.ledger,
    period: status.period,
    state: status.state,
    currentStep: status.currentStep,
    steps: status.steps,
    blockers: status.blockers,
    errors: status.errors,
    initiatedBy: status.initiatedBy,
    monthEndId,
    startedAt: status.startedAt,
    endedAt: status.endedAt,
    updatedAt: status.startedAt,
    dueAt: null,
    late: false,
    counts: false,
    superseded: false,
  };
}
