import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { formatMinor } from '../../lib/money';
import { one, rows } from '../../db/sql';
import { findLedger } from '../../books/ledgers';
import type { LedgerScope } from '../../books/scope';

/** 结账报告: what a closed period's close did and who did what, as the API answers it. */
export interface CloseReport {
  ledger: { code: string; name: string };
  period: string;
  state: 'closed';
  closed: { by: string | null; at: string | null; closeId: string | null };
  /** Every reopening (反结账) of the period before it was closed again, oldest first. */
  reopenings: Array<{ by: string; at: string; reason: string | null }>;
  /** Who started the close that counts (the one that closed the period), and when. */
  started: { by: string; at: string } | null;
  /** Sums over every account's stored balance of the period (试算平衡), decimal strings in yuan. */
  trialBalance: { accounts: number; opening: string; debit: string; credit: string; closing: string };
  carryForward: {
    voucherId: string;
    number: number;
    date: string;
    lines: Array<{ lineNo: number; account: string; name: string; debit: string; credit: string }>;
    /** Credited to the net-asset account, less what was debited to it: the period's surplus (negative: deficit). */
    toNetAssets: { account: string; name: string; amount: string };
  } | null;
  backup: { snapshotId: string; checksum: string; lines: number; debit: string; credit: string; takenAt: string } | null;
  acceptedDifferences: Array<{ number: string; field: string | null; reason: string; acceptedBy: string; acceptedAt: string }>;
  /** What people did to the period's books while its closes ran: the acts on blockers, from the audit log. */
  blockerActs: Array<{ at: string; actor: string; action: string; target: string | null; reason: string | null }>;
  runs: Array<{ closeId: string; state: string; initiatedBy: string; startedAt: string; endedAt: string | null; counts: boolean }>;
}

type Db = DataSource | EntityManager;
const iso = (v: Date | string | null): string | null => (v instanceof Date ? v.toISOString() : v);

/** Reads each part of the report with one set-based query, all in one snapshot of the books. */
export function createCloseReportService(dataSource: DataSource) {
  return {
    /** `scope`: the caller's organisation unit; a ledger outside it reads as missing (#17). */
    async report(ledgerCode: string, period: string, scope: LedgerScope = null): Promise<CloseReport> {
      const ledger = await findLedger(dataSource, ledgerCode, scope);
      if (period < ledger.firstPeriod)
        throw new AppError('PERIOD_NOT_FOUND', `Ledger ${ledger.code} starts in ${ledger.firstPeriod}; it has no period ${period}.`, {
          firstPeriod: ledger.firstPeriod,
        });
      // REPEATABLE READ: a reopen committing half-way through cannot mix two versions of the period.
      return dataSource.transaction('REPEATABLE READ', async (em) => {
        const p = await one<{ state: string; close_id: string | null; closed_by: string | null; closed_at: Date | null }>(
          em,
          `SELECT state, close_id, closed_by, closed_at FROM period WHERE ledger_id = $1 AND period = $2`,
          [ledger.id, period],
        );
        if (p?.state !== 'closed') {
          const running = await one<{ id: string }>(
            em,
            `SELECT id FROM close_run WHERE ledger_id = $1 AND period = $2 AND state IN ('running', 'blocked') LIMIT 1`,
            [ledger.id, period],
          );
          throw new AppError(
            'REPORT_PERIOD_NOT_CLOSED',
            running
              ? `Period ${period} of ledger ${ledger.code} is being closed (close ${running.id}); follow it (closectl follow ${running.id}) and ask for the report once it is closed.`
              : `Period ${period} of ledger ${ledger.code} is not closed; close it first (closectl start ${ledger.code} ${period}), then ask for its report.`,
            { state: p?.state ?? 'open', closeId: running?.id ?? null },
          );
        }
        const ids = [ledger.id, period];
        return {
          ledger: { code: ledger.code, name: ledger.name },
          period,
          state: 'closed',
          closed: { by: p.closed_by, at: iso(p.closed_at), closeId: p.close_id },
          reopenings: await reopenings(em, ids),
          started: await startedBy(em, p.close_id),
          trialBalance: await trialBalanceTotals(em, ids),
          carryForward: await carryForward(em, ids),
          backup: await backup(em, ids, p.close_id),
          acceptedDifferences: await acceptedDifferences(em, ids),
          blockerActs: await blockerActs(em, ids),
          runs: await runs(em, ids, p.close_id),
        };
      });
    },
  };
}

export type CloseReportService = ReturnType<typeof createCloseReportService>;

async function reopenings(db: Db, ids: unknown[]): Promise<CloseReport['reopenings']> {
  const found = await rows<{ by: string; at: Date; reason: string | null }>(
    db,
    `SELECT actor AS by, at, reason FROM audit_log WHERE ledger_id = $1 AND period = $2 AND action = 'period.reopen' ORDER BY id`,
    ids,
  );
  return found.map((r) => ({ ...r, at: iso(r.at)! }));
}

async function startedBy(db: Db, closeId: string | null): Promise<CloseReport['started']> {
  const run = await one<{ by: string; at: Date }>(db, `SELECT initiated_by AS by, started_at AS at FROM close_run WHERE id = $1`, [closeId]);
  return run ? { by: run.by, at: iso(run.at)! } : null;
}

async function trialBalanceTotals(db: Db, ids: unknown[]): Promise<CloseReport['trialBalance']> {
  // Sums leave SQL as text: bigint fen never pass through a float.
  const t = await one<{ accounts: number; opening: string; debit: string; credit: string; closing: string }>(
    db,
    `SELECT count(*)::int AS accounts, coalesce(sum(opening), 0)::text AS opening, coalesce(sum(debit), 0)::text AS debit,
            coalesce(sum(credit), 0)::text AS credit, coalesce(sum(coalesce(closing, opening)), 0)::text AS closing
     FROM balance WHERE ledger_id = $1 AND period = $2`,
    ids,
  );
  return {
    accounts: t!.accounts,
    opening: formatMinor(t!.opening),
    debit: formatMinor(t!.debit),
    credit: formatMinor(t!.credit),
    closing: formatMinor(t!.closing),
  };
}

async function carryForward(db: Db, ids: unknown[]): Promise<CloseReport['carryForward']> {
  const v = await one<{
    id: string;
    number: number;
    date: string;
    lines: Array<{ lineNo: number; account: string; name: string; debit: string; credit: string; target: boolean }>;
  }>(
    db,
    `SELECT v.id::text, v.number, to_char(v.voucher_date, 'YYYY-MM-DD') AS date,
            json_agg(json_build_object('lineNo', l.line_no, 'account', l.account_code, 'name', a.name,
                     'debit', l.debit::text, 'credit', l.credit::text, 'target', a.carry_forward_target) ORDER BY l.line_no) AS lines
     FROM voucher v JOIN voucher_line l ON l.voucher_id = v.id
     JOIN account a ON a.ledger_id = v.ledger_id AND a.code = l.account_code
     WHERE v.ledger_id = $1 AND v.period = $2 AND v.source_type = 'carry_forward'
     GROUP BY v.id`,
    ids,
  );
  if (!v) return null;
  const toTarget = v.lines.filter((l) => l.target);
  const amount = toTarget.reduce((sum, l) => sum + BigInt(l.credit) - BigInt(l.debit), 0n);
  return {
    voucherId: v.id,
    number: v.number,
    date: v.date,
    lines: v.lines.map((l) => ({ lineNo: l.lineNo, account: l.account, name: l.name, debit: formatMinor(l.debit), credit: formatMinor(l.credit) })),
    toNetAssets: { account: toTarget[0]?.account ?? '', name: toTarget[0]?.name ?? '', amount: formatMinor(amount) },
  };
}

async function backup(db: Db, ids: unknown[], closeId: string | null): Promise<CloseReport['backup']> {
  const s = await one<{ id: string; checksum: string; lines: string; debit: string; credit: string; taken_at: Date }>(
    db,
    `SELECT id::text, checksum, line_count::text AS lines, debit_total::text AS debit, credit_total::text AS credit, taken_at
     FROM period_snapshot WHERE ledger_id = $1 AND period = $2 AND close_id = $3 ORDER BY id DESC LIMIT 1`,
    [...ids, closeId],
  );
  if (!s) return null;
  return {
    snapshotId: s.id,
    checksum: s.checksum,
    lines: Number(s.lines),
    debit: formatMinor(s.debit),
    credit: formatMinor(s.credit),
    takenAt: iso(s.taken_at)!,
  };
}

async function acceptedDifferences(db: Db, ids: unknown[]): Promise<CloseReport['acceptedDifferences']> {
  const found = await rows<{ number: string; field: string | null; reason: string; acceptedBy: string; acceptedAt: Date }>(
    db,
    `SELECT number, field, reason, accepted_by AS "acceptedBy", accepted_at AS "acceptedAt"
     FROM invoice_accepted_difference WHERE ledger_id = $1 AND period = $2 ORDER BY accepted_at, id`,
    ids,
  );
  return found.map((r) => ({ ...r, acceptedAt: iso(r.acceptedAt)! }));
}

/**
 * The audit entries of the period from its first close's start to its closing, without the close's
 * own bookkeeping (period and close entries; the carry-forward voucher is inserted posted, so it
 * leaves none): what people did to clear blockers — approvals, postings, deferrals, invoice
 * corrections, accepted differences, write-offs.
 */
async function blockerActs(db: Db, ids: unknown[]): Promise<CloseReport['blockerActs']> {
  const found = await rows<{ at: Date; actor: string; action: string; target: string | null; reason: string | null }>(
    db,
    `SELECT a.at, a.actor, a.action, a.target, a.reason
     FROM audit_log a JOIN period p ON p.ledger_id = a.ledger_id AND p.period = a.period
     WHERE a.ledger_id = $1 AND a.period = $2
       AND a.at >= (SELECT min(started_at) FROM close_run WHERE ledger_id = $1 AND period = $2) AND a.at <= p.closed_at
       AND a.action NOT LIKE 'period.%' AND a.action NOT LIKE 'close.%'
     ORDER BY a.id`,
    ids,
  );
  return found.map((r) => ({ ...r, at: iso(r.at)! }));
}

async function runs(db: Db, ids: unknown[], closeId: string | null): Promise<CloseReport['runs']> {
  const found = await rows<{ closeId: string; state: string; initiatedBy: string; startedAt: Date; endedAt: Date | null }>(
    db,
    `SELECT id AS "closeId", state, initiated_by AS "initiatedBy", started_at AS "startedAt", ended_at AS "endedAt"
     FROM close_run WHERE ledger_id = $1 AND period = $2 ORDER BY started_at, id`,
    ids,
  );
  return found.map((r) => ({ ...r, startedAt: iso(r.startedAt)!, endedAt: iso(r.endedAt), counts: r.closeId === closeId }));
}
