import type { EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { formatMinor } from '../../lib/money';
import { audit } from '../../db/session';
import { one } from '../../db/sql';
import { accounts } from '../../db/seed/chart';
import type { ReconciledField } from '../invoices/reconcile';
import { acceptedDifferences, latestReconciliation, withoutAccepted } from '../invoices/reconciliation-store';
import type { Actor, ActResult } from './act';
import { rowInScope, scopeOf } from '../scope';
import { prepareVoucher } from './vouchers';

export interface InvoiceView {
  id: string;
  ledger: string;
  period: string;
  number: string;
  buyerName: string;
  buyerTaxId: string;
  amount: string;
  tax: string;
  date: string;
  syncState: string;
  voucherId: string | null;
}

async function viewInvoice(em: EntityManager, id: string, ledgerId: number, period: string): Promise<ActResult<InvoiceView>> {
  const found = (await one<InvoiceView>(
    em,
    `SELECT i.id::text AS id, l.code AS ledger, i.period, i.number, i.buyer_name AS "buyerName", i.buyer_tax_id AS "buyerTaxId",
            i.amount::text AS amount, i.tax::text AS tax, to_char(i.invoice_date, 'YYYY-MM-DD') AS date, i.sync_state AS "syncState", i.voucher_id::text AS "voucherId"
     FROM invoice i JOIN ledger l ON l.id = i.ledger_id WHERE i.id = $1`,
    [id],
  ))!;
  return { ledgerId, period, result: { ...found, amount: formatMinor(found.amount), tax: formatMinor(found.tax) } };
}

/** Fields the ledger may take from the platform as they are: they carry no money (an amount is corrected by a red-letter invoice). */
const TAKEABLE: Record<string, string> = { buyerName: 'buyer_name', buyerTaxId: 'buyer_tax_id', sellerTaxId: 'seller_tax_id', date: 'invoice_date' };

/**
 * The ledger takes the tax platform's values of an invoice's differing fields (抬头, 纳税人识别号, date),
 * as the last reconciliation found them; it then awaits the platform's confirmation again.
 */
export async function takePlatformValues(em: EntityManager, user: Actor, id: string): Promise<ActResult<InvoiceView>> {
  const inv = await one<{ id: string; ledger_id: number; period: string; number: string }>(
    em,
    `SELECT id::text, ledger_id, period, number FROM invoice i WHERE id = $1 AND ${rowInScope('i.ledger_id', 2)} FOR UPDATE`,
    [id, scopeOf(user)],
  );
  if (!inv) throw new AppError('INVOICE_NOT_FOUND', `There is no invoice with id ${id}.`, { invoiceId: id });
  const known = await latestReconciliation(em, inv.ledger_id, inv.period);
  const differences = (known?.reconciliation.mismatches ?? []).filter((m) => m.number === inv.number && TAKEABLE[m.field]);
  if (differences.length === 0) {
    throw new AppError(
      'INVOICE_DIFFERENCE_NOT_FOUND',
      `The last reconciliation shows no field of invoice ${inv.number} the ledger can take from the platform.`,
      {
        number: inv.number,
      },
    );
  }
  for (const d of differences) {
    await em.query(`UPDATE invoice SET ${TAKEABLE[d.field]} = $2 WHERE id = $1`, [id, d.platform]);
  }
  await em.query(`UPDATE invoice SET sync_state = 'uploaded' WHERE id = $1`, [id]);
  await forgetDifferences(
    em,
    inv.ledger_id,
    inv.period,
    'mismatches',
    inv.number,
    differences.map((d) => d.field),
  );
  await audit(em, {
    actor: user.name,
    action: 'invoice.corrected',
    ledgerId: inv.ledger_id,
    period: inv.period,
    target: id,
    details: { number: inv.number, taken: differences.map((d) => ({ field: d.field, from: d.ledger, to: d.platform })) },
  });
  return viewInvoice(em, id, inv.ledger_id, inv.period);
}

/**
 * An invoice the platform has and the ledger lacks is recorded in the ledger as the platform holds
 * it (confirmed), with its entry in the invoicing sub-ledger and a draft voucher booking it (开票应收
 * against other income and output tax) for the acting accountant to submit.
 */
export async function recordPlatformInvoice(em: EntityManager, user: Actor, ledgerId: number, period: string, number: string): Promise<ActResult<InvoiceView>> {
  const known = await latestReconciliation(em, ledgerId, period);
  const invoice = known?.reconciliation.missingInLedger.find((i) => i.number === number);
  if (!invoice) {
    throw new AppError('INVOICE_DIFFERENCE_NOT_FOUND', `The last reconciliation shows no invoice ${number} on the platform that the ledger lacks.`, { number });
  }
  const total = BigInt(invoice.amount) + BigInt(invoice.tax);
  const draft = await prepareVoucher(em, user, ledgerId, period, {
    description: `开具发票 ${number} ${invoice.buyerName}`,
    lines: [
      { account: accounts.invoiceReceivables, debit: formatMinor(total), memo: invoice.buyerName },
      { account: accounts.otherIncome, credit: formatMinor(invoice.amount), memo: number },
      ...(invoice.tax > 0 ? [{ account: accounts.taxPayable, credit: formatMinor(invoice.tax), memo: number }] : []),
    ],
  });
  const inserted = (await one<{ id: string }>(
    em,
    `INSERT INTO invoice (ledger_id, period, number, buyer_name, buyer_tax_id, seller_tax_id, amount, tax, invoice_date, sync_state, synced_at, voucher_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'matched', now(), $10) RETURNING id::text`,
    [ledgerId, period, number, invoice.buyerName, invoice.buyerTaxId, invoice.sellerTaxId, invoice.amount, invoice.tax, invoice.date, draft.result.id],
  ))!;
  await em.query(`INSERT INTO subledger_entry (ledger_id, period, subledger, reference, counterparty, amount) VALUES ($1, $2, 'invoices', $3, $4, $5)`, [
    ledgerId,
    period,
    number,
    invoice.buyerName,
    String(total),
  ]);
  await forgetDifferences(em, ledgerId, period, 'missing_in_ledger', number);
  await audit(em, {
    actor: user.name,
    action: 'invoice.recorded_from_platform',
    ledgerId,
    period,
    target: inserted.id,
    details: { number, voucherId: draft.result.id },
  });
  return viewInvoice(em, inserted.id, ledgerId, period);
}

/**
 * A known difference with the platform is accepted, with a reason (e.g. a red-letter invoice is
 * pending): it no longer blocks the close, and the close's record lists it. `field` null accepts an
 * invoice found on one side only.
 */
export async function acceptDifference(
  em: EntityManager,
  user: Actor,
  ledgerId: number,
  period: string,
  spec: { number: string; field: ReconciledField | null; reason: string },
): Promise<ActResult<{ number: string; field: ReconciledField | null; reason: string; acceptedBy: string }>> {
  const known = (await latestReconciliation(em, ledgerId, period))?.reconciliation;
  const exists =
    spec.field === null
      ? Boolean(known?.missingInLedger.some((i) => i.number === spec.number) || known?.missingOnPlatform.some((i) => i.number === spec.number))
      : Boolean(known?.mismatches.some((m) => m.number === spec.number && m.field === spec.field));
  if (!known || !exists) {
    throw new AppError('INVOICE_DIFFERENCE_NOT_FOUND', `The last reconciliation shows no such difference for invoice ${spec.number}.`, { ...spec });
  }
  await em.query(
    `INSERT INTO invoice_accepted_difference (ledger_id, period, number, field, reason, accepted_by) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (ledger_id, period, number, coalesce(field, '')) DO NOTHING`,
    [ledgerId, period, spec.number, spec.field, spec.reason, user.name],
  );
  // The invoice is confirmed once none of its differences remains un-accepted.
  const remaining = withoutAccepted(known, await acceptedDifferences(em, ledgerId, period));
  const open = new Set([...remaining.mismatches.map((m) => m.number), ...remaining.missingOnPlatform.map((i) => i.number)]);
  if (!open.has(spec.number)) {
    await em.query(
      `UPDATE invoice SET sync_state = 'matched', synced_at = now() WHERE ledger_id = $1 AND period = $2 AND number = $3 AND sync_state <> 'matched'`,
      [ledgerId, period, spec.number],
    );
  }
  await audit(em, {
    actor: user.name,
    action: 'invoice.difference_accepted',
    ledgerId,
    period,
    target: spec.number,
    reason: spec.reason,
    details: { field: spec.field },
  });
  return { ledgerId, period, result: { number: spec.number, field: spec.field, reason: spec.reason, acceptedBy: user.name } };
}

/**
 * Takes differences an act resolved out of the kept reconciliation, so the pre-close check stops
 * showing them at once (the invoice then awaits the platform's confirmation, shown as such).
 */
async function forgetDifferences(
  em: EntityManager,
  ledgerId: number,
  period: string,
  kind: 'mismatches' | 'missing_in_ledger',
  number: string,
  fields: string[] | null = null,
): Promise<void> {
  await em.query(
    `UPDATE invoice_reconciliation SET ${kind} = coalesce((
       SELECT jsonb_agg(e) FROM jsonb_array_elements(${kind}) e WHERE NOT (e ->> 'number' = $3 AND ($4::text[] IS NULL OR e ->> 'field' = ANY ($4::text[])))), '[]')
     WHERE ledger_id = $1 AND period = $2`,
    [ledgerId, period, number, fields],
  );
}
