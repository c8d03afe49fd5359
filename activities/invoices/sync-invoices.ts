import { createHash } from 'node:crypto';
import { toMinor } from '../../lib/money';
import type { EntityManager } from 'typeorm';
import { rows } from '../../db/sql';
import type { ActivityDeps } from '../close/deps';
import type { Progress } from '../heartbeat';
import { ledgerSummary } from './ledger-digest';
import { reconcileInvoices, type InvoiceReconciliation, type LedgerInvoice } from '../../books/invoices/reconcile';
import { acceptedDifferences, saveReconciliation, withoutAccepted } from '../../books/invoices/reconciliation-store';
import { MAX_UPLOAD_BATCH, type PlatformInvoice } from '../../integrations/tax-platform';

interface Checkpoint {
  lastConfirmedId: string;
  uploaded: number;
}

const invoiceColumns = `id::text AS id, number, seller_tax_id AS "sellerTaxId", buyer_name AS "buyerName", buyer_tax_id AS "buyerTaxId",
  amount::text AS amount, tax::text AS tax, to_char(invoice_date, 'YYYY-MM-DD') AS date`;

/** The platform speaks integer fen as JSON numbers: exact up to 2^53 fen, and refused beyond. */
function fen(text: unknown): number {
  const n = Number(toMinor(String(text)));
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${String(text)} fen is too large for the tax platform`);
  return n;
}

async function ledgerInvoices(deps: ActivityDeps, where: string, params: unknown[]): Promise<LedgerInvoice[]> {
  const found = await rows<LedgerInvoice>(deps.dataSource, `SELECT ${invoiceColumns} FROM invoice WHERE ${where}`, params);
  return found.map((i) => ({ ...i, amount: fen(i.amount), tax: fen(i.tax) }));
}

/** Upload batches in flight at once: the platform answers each in a few milliseconds, the round trips add up. */
const UPLOADS_IN_FLIGHT = 4;

export interface LedgerToSync {
  id: number;
  code: string;
  taxpayerId: string;
}

/** What a sync found: by digest (all matched, nothing listed) or invoice by invoice. */
export type SyncOutcome =
  | { uploaded: number; reconciledBy: 'digest'; matched: number; platform: number }
  | { uploaded: number; reconciledBy: 'listing'; ours: LedgerInvoice[]; result: InvoiceReconciliation; platform: number };

/**
 * 发票同步 of one ledger's period, shared by the close's step and the sync ahead of the close: pushes
 * the invoices the platform lacks in batches (each with an idempotency key derived from its content,
 * so a batch sent twice is stored once), a few batches in flight at once, each marked uploaded when
 * confirmed, checkpointing the last confirmed run on the heartbeat. Then compares: when the
 * platform's count and digest of the period equal the ledger's, every invoice matches and nothing is
 * listed; otherwise it pulls the platform's records and reconciles them field by field.
 */
export async function syncPeriodInvoices(deps: ActivityDeps, l: LedgerToSync, period: string, ctx: Progress): Promise<SyncOutcome> {
  const db = deps.dataSource;
  const resumed = ctx.checkpoint as Checkpoint | undefined;
  let after = resumed?.lastConfirmedId ?? '0';
  let uploaded = resumed?.uploaded ?? 0;
  for (;;) {
    const pending = await ledgerInvoices(
      deps,
      `ledger_id = $1 AND period = $2 AND sync_state = 'pending' AND invoice.id > $3::bigint ORDER BY invoice.id LIMIT ${MAX_UPLOAD_BATCH * UPLOADS_IN_FLIGHT}`,
      [l.id, period, after],
    );
    if (pending.length === 0) break;
    // Each batch is marked as soon as the platform confirms it, so a retry re-sends only those still in flight.
    await Promise.all(
      chunks(pending, MAX_UPLOAD_BATCH).map(async (batch) => {
        const invoices = batch.map(toPlatform);
        await deps.taxPlatform.uploadBatch(batchKey(l.code, period, invoices), invoices);
        await db.query(`UPDATE invoice SET sync_state = 'uploaded', synced_at = now() WHERE id = ANY($1::bigint[]) AND sync_state = 'pending'`, [
          batch.map((i) => i.id),
        ]);
      }),
    );
    after = pending[pending.length - 1].id;
    uploaded += pending.length;
    ctx.progress({ lastConfirmedId: after, uploaded } satisfies Checkpoint);
  }

  if (deps.taxPlatform.summarize) {
    const [ours, theirs] = await Promise.all([ledgerSummary(db, l.id, period), deps.taxPlatform.summarize(l.taxpayerId, period)]);
    if (theirs.count === ours.count && theirs.digest === ours.digest) {
      return { uploaded, reconciledBy: 'digest', matched: ours.count, platform: theirs.count };
    }
  }

  const platform: PlatformInvoice[] = [];
  for await (const page of deps.taxPlatform.listInvoices(l.taxpayerId, period)) {
    platform.push(...page);
    ctx.progress({ lastConfirmedId: after, uploaded } satisfies Checkpoint);
  }
  const ours = await ledgerInvoices(deps, `ledger_id = $1 AND period = $2`, [l.id, period]);
  return { uploaded, reconciledBy: 'listing', ours, result: reconcileInvoices(ours, platform), platform: platform.length };
}

/**
 * What a sync found, kept: the reconciliation as found (for acts that take the platform's values)
 * and, less the differences accepted with a reason, each invoice's sync state — an accepted
 * difference counts as matched. Returns the reconciliation the close blocks on. In `em`'s transaction.
 */
export async function keepReconciliation(
  em: EntityManager,
  ledgerId: number,
  period: string,
  outcome: SyncOutcome,
  source: 'close' | 'ahead',
): Promise<InvoiceReconciliation> {
  const found = reconciliationOf(outcome);
  await saveReconciliation(em, ledgerId, period, source, found);
  const r = withoutAccepted(found, await acceptedDifferences(em, ledgerId, period));
  if (outcome.reconciledBy === 'digest') {
    await em.query(`UPDATE invoice SET sync_state = 'matched', synced_at = now() WHERE ledger_id = $1 AND period = $2 AND sync_state <> 'matched'`, [
      ledgerId,
      period,
    ]);
    return r;
  }
  const mismatched = new Set(r.mismatches.map((m) => m.invoiceId));
  const missing = new Set(r.missingOnPlatform.map((i) => i.id));
  // Missing on the platform goes back to pending, so the next re-check uploads it again.
  const states = outcome.ours.map((i) => (missing.has(i.id) ? 'pending' : mismatched.has(i.id) ? 'mismatched' : 'matched'));
  await em.query(
    `UPDATE invoice SET sync_state = x.state, synced_at = now() FROM unnest($1::bigint[], $2::text[]) AS x(id, state)
     WHERE invoice.id = x.id AND invoice.sync_state <> x.state`,
    [outcome.ours.map((i) => i.id), states],
  );
  return r;
}

function reconciliationOf(outcome: SyncOutcome): InvoiceReconciliation {
  return outcome.reconciledBy === 'digest' ? { matched: outcome.matched, missingOnPlatform: [], missingInLedger: [], mismatches: [] } : outcome.result;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function toPlatform(i: LedgerInvoice): PlatformInvoice {
  return { number: i.number, sellerTaxId: i.sellerTaxId, buyerName: i.buyerName, buyerTaxId: i.buyerTaxId, amount: i.amount, tax: i.tax, date: i.date };
}

/** Same batch, same key — also from another worker after a crash. */
function batchKey(ledger: string, period: string, invoices: PlatformInvoice[]): string {
  const digest = createHash('sha256').update(JSON.stringify(invoices)).digest('hex').slice(0, 32);
  return `${ledger}:${period}:${digest}`;
}
