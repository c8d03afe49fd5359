import type { DataSource, EntityManager } from 'typeorm';
import { one, rows } from '../../db/sql';
import type { InvoiceReconciliation, ReconciledField } from './reconcile';

type Db = DataSource | EntityManager;

/** A difference someone accepted with a reason (a red-letter invoice pending, say): it no longer blocks. */
export interface AcceptedDifference {
  number: string;
  /** null: the whole invoice, on one side only. */
  field: ReconciledField | null;
  reason: string;
  acceptedBy: string;
  acceptedAt: string;
}

export async function acceptedDifferences(db: Db, ledgerId: number, period: string): Promise<AcceptedDifference[]> {
  return rows<AcceptedDifference>(
    db,
    `SELECT number, field, reason, accepted_by AS "acceptedBy", accepted_at AS "acceptedAt"
     FROM invoice_accepted_difference WHERE ledger_id = $1 AND period = $2 ORDER BY number, field NULLS FIRST`,
    [ledgerId, period],
  );
}

/** The reconciliation less what was accepted: an accepted mismatch counts as matched. */
export function withoutAccepted(r: InvoiceReconciliation, accepted: AcceptedDifference[]): InvoiceReconciliation {
  if (accepted.length === 0) return r;
  const whole = new Set(accepted.filter((a) => a.field === null).map((a) => a.number));
  const fields = new Set(accepted.filter((a) => a.field !== null).map((a) => `${a.number}:${a.field}`));
  const mismatches = r.mismatches.filter((m) => !whole.has(m.number) && !fields.has(`${m.number}:${m.field}`));
  const acceptedNumbers = new Set(r.mismatches.filter((m) => !mismatches.includes(m)).map((m) => m.number));
  const stillMismatched = new Set(mismatches.map((m) => m.number));
  return {
    missingOnPlatform: r.missingOnPlatform.filter((i) => !whole.has(i.number)),
    missingInLedger: r.missingInLedger.filter((i) => !whole.has(i.number)),
    mismatches,
    matched: r.matched + [...acceptedNumbers].filter((n) => !stillMismatched.has(n)).length,
  };
}

/** Keeps the latest reconciliation of a period (by the close, or by a sync ahead of it), accepted differences included. */
export async function saveReconciliation(
  em: EntityManager,
  ledgerId: number,
  period: string,
  source: 'close' | 'ahead',
  r: InvoiceReconciliation,
): Promise<void> {
  await em.query(
    `INSERT INTO invoice_reconciliation (ledger_id, period, checked_at, source, missing_on_platform, missing_in_ledger, mismatches)
     VALUES ($1, $2, now(), $3, $4, $5, $6)
     ON CONFLICT (ledger_id, period) DO UPDATE SET checked_at = now(), source = EXCLUDED.source, missing_on_platform = EXCLUDED.missing_on_platform,
       missing_in_ledger = EXCLUDED.missing_in_ledger, mismatches = EXCLUDED.mismatches`,
    [ledgerId, period, source, JSON.stringify(r.missingOnPlatform), JSON.stringify(r.missingInLedger), JSON.stringify(r.mismatches)],
  );
}

export interface KnownReconciliation {
  checkedAt: string;
  source: 'close' | 'ahead';
  reconciliation: InvoiceReconciliation;
}

/** The latest reconciliation of a period, as it was found (accepted differences not yet taken out), or null. */
export async function latestReconciliation(db: Db, ledgerId: number, period: string): Promise<KnownReconciliation | null> {
  const found = await one<{ checked_at: Date; source: 'close' | 'ahead'; missing_on_platform: never[]; missing_in_ledger: never[]; mismatches: never[] }>(
    db,
    `SELECT checked_at, source, missing_on_platform, missing_in_ledger, mismatches FROM invoice_reconciliation WHERE ledger_id = $1 AND period = $2`,
    [ledgerId, period],
  );
  if (!found) return null;
  return {
    checkedAt: found.checked_at.toISOString(),
    source: found.source,
    reconciliation: { missingOnPlatform: found.missing_on_platform, missingInLedger: found.missing_in_ledger, mismatches: found.mismatches, matched: 0 },
  };
}
