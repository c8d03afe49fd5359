import { previousPeriod } from '../../lib/period';
import type { ReimbursementState } from '../schema';
import { type InvoiceDraft, credit, debit } from './book';
import { accounts as a, controlAccounts } from './chart';
import { companyName, personName, unifiedSocialCreditCode } from './identities';
import type { LedgerActivity } from './ledger-activity';
import { divideRounded } from './random';

const CLAIMS: ReadonlyArray<readonly [string, string]> = [
  ['501', '职工运动会用品采购报销'],
  ['501', '节日慰问品采购报销'],
  ['502', '困难职工走访慰问报销'],
  ['502', '职工培训费报销'],
  ['503', '劳动争议调解差旅费报销'],
  ['504', '工会干部培训差旅费报销'],
  ['507', '办公用品采购报销'],
  ['507', '市内交通费报销'],
];

/** A claim (费用报销) not yet posted: it blocks the close until paid and posted, or deferred. */
export function writeOpenReimbursement(ctx: LedgerActivity, state: Exclude<ReimbursementState, 'posted' | 'deferred'>): string {
  const [expenseAccount, description] = ctx.rng.pick(CLAIMS);
  const number = ctx.nextDocumentNumber('BX');
  ctx.book.reimbursements.push({
    ledgerId: ctx.ledger.id,
    number,
    claimant: personName(ctx.rng),
    description,
    amount: ctx.rng.fen(50, 8_000),
    expenseAccount,
    state,
    voucher: null,
  });
  return number;
}

/**
 * A paid claim, posted: its voucher books the expense against the reimbursement payable, a second
 * voucher pays it from the bank or the cash box; the reimbursement sub-ledger sees both.
 */
export function writePostedReimbursement(ctx: LedgerActivity): void {
  const [expenseAccount, description] = ctx.rng.pick(CLAIMS);
  const number = ctx.nextDocumentNumber('BX');
  const claimant = personName(ctx.rng);
  const amount = ctx.rng.fen(50, 8_000);
  const index = ctx.book.reimbursements.length;
  const date = ctx.randomDate();
  const voucher = ctx.posted(
    `${claimant}${description} ${number}`,
    [debit(expenseAccount, amount, description), credit(controlAccounts.reimbursements, amount, claimant)],
    { type: 'reimbursement', index },
    date,
  );
  ctx.book.reimbursements.push({ ledgerId: ctx.ledger.id, number, claimant, description, amount, expenseAccount, state: 'posted', voucher });
  ctx.subledger('reimbursements', number, claimant, -amount);
  const paidFrom = amount < 100_000 && ctx.rng.chance(30) ? a.cash : a.bank;
  ctx.posted(`支付${claimant}报销款 ${number}`, [debit(controlAccounts.reimbursements, amount, claimant), credit(paidFrom, amount, '支付报销款')], null, date);
  ctx.subledger('reimbursements', number, claimant, amount);
}

/** Pays (part of) what earlier periods' claims left owing: the reimbursement sub-ledger moves too. */
function writeEarlierClaimPayment(ctx: LedgerActivity, amount: number): void {
  const claimant = personName(ctx.rng);
  const reference = `BX${previousPeriod(ctx.period).replace('-', '')}-${String(ctx.rng.int(1, 999)).padStart(5, '0')}`;
  ctx.posted(`支付${claimant}上期报销款`, [debit(controlAccounts.reimbursements, amount, claimant), credit(a.bank, amount, '支付报销款')]);
  ctx.subledger('reimbursements', reference, claimant, amount);
}

const INVOICE_ITEMS = ['*经营租赁*场地租赁费', '*现代服务*会议服务费', '*生活服务*培训服务费', '*现代服务*广告服务费'];

/** A 20-digit e-invoice number (数电票号码), unique per ledger and period through the ledger's id. */
export function invoiceNumber(ctx: LedgerActivity, serial: number): string {
  return `${ctx.period.replace('-', '')}${String(ctx.ledger.id).padStart(8, '0')}${String(serial).padStart(6, '0')}`;
}

/**
 * An invoice the union issued in the period (sync pending), posted: the receivable on invoices
 * against other income and output tax; most are collected within the period. Returns the invoice.
 */
export function writeInvoice(ctx: LedgerActivity): InvoiceDraft {
  const index = ctx.book.invoices.length;
  const toPerson = ctx.rng.chance(10);
  const amount = ctx.rng.fen(300, 100_000);
  const rate = ctx.rng.pick([6, 3, 1]);
  const tax = divideRounded(amount * rate, 100);
  const item = ctx.rng.pick(INVOICE_ITEMS);
  const invoice: InvoiceDraft = {
    ledgerId: ctx.ledger.id,
    number: invoiceNumber(ctx, index + 1),
    buyerName: toPerson ? personName(ctx.rng) : companyName(ctx.rng),
    buyerTaxId: toPerson ? '' : unifiedSocialCreditCode(ctx.rng, 'enterprise'),
    sellerTaxId: ctx.ledger.taxpayerId,
    amount,
    tax,
    date: ctx.randomDate(),
    itemsJson: JSON.stringify([{ name: item, amount, taxRate: `${rate}%`, tax }]),
    voucher: null,
  };
  const total = amount + tax;
  invoice.voucher = ctx.posted(
    `开具发票 ${invoice.number} ${invoice.buyerName}`,
    [
      debit(controlAccounts.invoices, total, invoice.buyerName),
      credit(a.otherIncome, amount, item),
      ...(tax > 0 ? [credit(a.taxPayable, tax, '销项税额')] : []),
    ],
    { type: 'invoice', index },
    invoice.date,
  );
  ctx.book.invoices.push(invoice);
  ctx.subledger('invoices', invoice.number, invoice.buyerName, total);
  if (ctx.rng.chance(60)) {
    ctx.posted(`收到发票款 ${invoice.number}`, [debit(a.bank, total, invoice.buyerName), credit(controlAccounts.invoices, total, invoice.buyerName)]);
    ctx.subledger('invoices', invoice.number, invoice.buyerName, -total);
  }
  return invoice;
}

export interface TransferSpec {
  amount: number;
  debitAccount: string;
  creditAccount: string;
  description: string;
}

/** A subsidy coming in from the federation, or funds remitted up to it; neither touches a control account. */
export function transferSpec(ctx: LedgerActivity): TransferSpec {
  return ctx.rng.chance(50)
    ? { amount: ctx.rng.fen(5_000, 200_000), debitAccount: a.bank, creditAccount: a.parentSubsidyIncome, description: '上级工会补助款到账' }
    : { amount: ctx.rng.fen(1_000, 100_000), debitAccount: a.payableToParent, creditAccount: a.bank, description: '上缴上级工会经费' };
}

/** A fund transfer the bank settled within the period, posted by its voucher. */
export function writePostedTransfer(ctx: LedgerActivity, counterparty: string): void {
  const spec = transferSpec(ctx);
  const index = ctx.book.transfers.length;
  const reference = transferReference(ctx);
  const date = ctx.randomDate();
  const voucher = ctx.posted(
    `${spec.description} ${reference}`,
    [debit(spec.debitAccount, spec.amount, counterparty), credit(spec.creditAccount, spec.amount, counterparty)],
    { type: 'transfer', index },
    date,
  );
  ctx.book.transfers.push({
    ledgerId: ctx.ledger.id,
    reference,
    amount: spec.amount,
    debitAccount: spec.debitAccount,
    creditAccount: spec.creditAccount,
    counterparty,
    state: 'posted',
    settledAt: `${date} 15:00:00+08`,
    voucher,
    sentBy: ctx.staff.preparers[0]!,
  });
}

/** Bank references are unique across all ledgers: they carry the ledger's code. */
export function transferReference(ctx: LedgerActivity): string {
  return ctx.nextDocumentNumber(`HB-${ctx.ledger.code}-`, 4);
}

/**
 * The period's business documents of a ledger, in proportion to its size: about one posted claim
 * and one invoice per 50 lines, a posted fund transfer per 500.
 */
export function writeDocuments(ctx: LedgerActivity, targetLines: number, federationName: string): void {
  const claims = Math.trunc(targetLines / 50);
  const invoices = Math.trunc(targetLines / 50);
  const transfers = targetLines >= 100 ? Math.trunc(targetLines / 500) + 1 : 0;
  for (let i = 0; i < claims; i++) writePostedReimbursement(ctx);
  const owedForEarlierClaims = -(ctx.openingBalances[controlAccounts.reimbursements] ?? 0);
  if (claims > 0 && owedForEarlierClaims > 0) writeEarlierClaimPayment(ctx, ctx.rng.int(1, owedForEarlierClaims));
  for (let i = 0; i < invoices; i++) writeInvoice(ctx);
  for (let i = 0; i < transfers; i++) writePostedTransfer(ctx, federationName);
}
