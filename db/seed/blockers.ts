import type { VoucherState } from '../schema';
import type { InvoiceDraft } from './book';
import { invoiceNumber, transferReference, transferSpec, writeInvoice, writeOpenReimbursement } from './documents';
import { companyName, personName, unifiedSocialCreditCode } from './identities';
import type { LedgerActivity } from './ledger-activity';
import { writeSpending } from './ordinary-vouchers';
import type { BankTransferState, InvoiceMismatch, LedgerBlockers, PlatformInvoiceState } from './summary';

const UNFINISHED_STATES: Array<Exclude<VoucherState, 'posted'>> = ['draft', 'submitted', 'rejected', 'approved'];
const BANK_OUTCOMES: Array<Pick<BankTransferState, 'state' | 'reason'>> = [
  { state: 'settled' },
  { state: 'settled' },
  { state: 'failed', reason: '收款账户已冻结，划款失败' },
  { state: 'returned', reason: '收款行退汇：户名与账号不符' },
];

/**
 * A handful of every kind of blocker a close meets: unfinished (but balanced) vouchers, unpaid and
 * unposted claims, transfers in transit, invoices the tax platform sees differently or only it has,
 * and one sub-ledger entry the general ledger lacks. None of the vouchers touches a control account,
 * so only the deliberate entry breaks the sub-ledger reconciliation.
 */
export function writeBlockers(ctx: LedgerActivity, federationName: string): LedgerBlockers {
  const blockers: LedgerBlockers = {
    ledgerId: ctx.ledger.id,
    ledgerCode: ctx.ledger.code,
    vouchers: [],
    reimbursements: [],
    transfers: [],
    invoiceMismatches: [],
    platformOnlyInvoices: [],
    platformInvoices: [],
    subledgerBreak: { subledger: 'receivables', reference: '', amount: 0 },
  };

  for (const state of UNFINISHED_STATES) {
    for (let i = ctx.rng.int(1, 3); i > 0; i--) {
      const index = writeSpending(ctx, ctx.rng.int(2, 4), state);
      blockers.vouchers.push({ number: ctx.book.vouchers[index]!.number, state });
    }
  }
  for (const state of ['approved', 'paid'] as const) {
    for (let i = ctx.rng.int(1, 3); i > 0; i--) blockers.reimbursements.push({ number: writeOpenReimbursement(ctx, state), state });
  }
  for (const outcome of BANK_OUTCOMES) blockers.transfers.push(writeTransferInTransit(ctx, outcome, federationName));

  for (const field of ['buyerName', 'buyerTaxId', 'amount', 'date'] as const) {
    const invoice = writeInvoice(ctx);
    const platform = platformVersion(invoice);
    const mismatch = alter(ctx, invoice, platform, field);
    blockers.invoiceMismatches.push(mismatch);
    blockers.platformInvoices.push(platform);
  }
  for (let serial = 900_001; serial <= 900_002; serial++) {
    const amount = ctx.rng.fen(500, 20_000);
    const invoice: PlatformInvoiceState = {
      number: invoiceNumber(ctx, serial),
      sellerTaxId: ctx.ledger.taxpayerId,
      buyerName: companyName(ctx.rng),
      buyerTaxId: unifiedSocialCreditCode(ctx.rng, 'enterprise'),
      amount,
      tax: 0,
      date: ctx.randomDate(),
    };
    blockers.platformOnlyInvoices.push(invoice.number);
    blockers.platformInvoices.push(invoice);
  }

  const reference = ctx.nextDocumentNumber('TZ');
  const amount = ctx.rng.int(1, 999);
  ctx.subledger('receivables', reference, companyName(ctx.rng), amount);
  blockers.subledgerBreak = { subledger: 'receivables', reference, amount };
  return blockers;
}

function writeTransferInTransit(ctx: LedgerActivity, outcome: Pick<BankTransferState, 'state' | 'reason'>, counterparty: string): BankTransferState {
  const spec = transferSpec(ctx);
  const reference = transferReference(ctx);
  ctx.book.transfers.push({
    ledgerId: ctx.ledger.id,
    reference,
    amount: spec.amount,
    debitAccount: spec.debitAccount,
    creditAccount: spec.creditAccount,
    counterparty,
    state: 'in_transit',
    settledAt: null,
    voucher: null,
    sentBy: ctx.staff.preparers[0]!,
  });
  return {
    reference,
    amount: spec.amount,
    ...outcome,
    ...(outcome.state === 'settled' ? { settledAt: `${ctx.lastDate()}T16:00:00+08:00` } : {}),
  };
}

function platformVersion(invoice: InvoiceDraft): PlatformInvoiceState {
  const { number, sellerTaxId, buyerName, buyerTaxId, amount, tax, date } = invoice;
  return { number, sellerTaxId, buyerName, buyerTaxId, amount, tax, date };
}

/** Changes one field of the platform's copy the way such errors happen: a typo, another id, a wrong day. */
function alter(ctx: LedgerActivity, invoice: InvoiceDraft, platform: PlatformInvoiceState, field: InvoiceMismatch['field']): InvoiceMismatch {
  switch (field) {
    case 'buyerName':
      platform.buyerName = invoice.buyerName.endsWith('有限公司')
        ? invoice.buyerName.replace(/有限公司$/, '有限责任公司')
        : `${invoice.buyerName}${personName(ctx.rng).slice(0, 1)}`;
      break;
    case 'buyerTaxId':
      do platform.buyerTaxId = unifiedSocialCreditCode(ctx.rng, 'enterprise');
      while (platform.buyerTaxId === invoice.buyerTaxId);
      break;
    case 'amount':
      platform.amount = invoice.amount + ctx.rng.int(1, 999) * 100;
      break;
    case 'date': {
      const day = Number(invoice.date.slice(8));
      platform.date = ctx.dateOnDay(day === 1 ? 2 : day - 1);
      break;
    }
  }
  return { ledgerCode: ctx.ledger.code, number: invoice.number, field, ledger: invoice[field], platform: platform[field] };
}
