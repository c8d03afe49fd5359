import { previousPeriod } from '../../lib/period';
import type { Blocker, BlockerAction, BlockerItem } from '../../close';
import { label, type Language } from '../../i18n/labels';
import { blockerMessage, retryMessage } from '../../i18n/messages';
import type { StepView } from './step-retries';
import type { ApiUser } from '../auth';

/** Where the blocker was met: the acts' paths name the ledger and period. */
export interface BlockerContext {
  ledger: string;
  period: string;
}

type Draft = Omit<BlockerAction, 'label'> & { rule?: (item: BlockerItem, user: ApiUser) => boolean };

const enc = encodeURIComponent;
const post = (id: string, permission: string, path: string, body: Record<string, unknown> = {}, needs: string[] = []): Draft => ({
  id,
  method: 'POST',
  path,
  body,
  needs,
  permission,
});
// The person rules the database and the acts enforce, applied before an act is offered.
const byPreparer = (d: Draft): Draft => ({ ...d, rule: (item, user) => item.preparer === user.name });
const notByPreparer = (d: Draft): Draft => ({ ...d, rule: (item, user) => item.preparer !== user.name });

/** Suggested counter-account of an adjusting voucher, by sub-ledger: what its one-sided documents usually meet. */
const COUNTER_ACCOUNT: Record<string, string> = { receivables: '409', payables: '504', invoices: '409', reimbursements: '507' };

/**
 * The acts that clear an item of a blocker, by the blocker's code: each with the path and body to
 * send, what a person must add (`needs`), and the permission it takes. Every act re-checks the
 * close waiting on the period at once.
 */
function draftsFor(code: Blocker['code'], item: BlockerItem, ctx: BlockerContext): Draft[] {
  const v = (suffix: string) => `/api/v1/vouchers/${enc(String(item.voucherId))}/${suffix}`;
  const r = (suffix: string) => `/api/v1/reimbursements/${enc(String(item.reimbursementId))}/${suffix}`;
  const t = (suffix: string) => `/api/v1/transfers/${enc(String(item.transferId))}/${suffix}`;
  const lp = `/api/v1/ledgers/${enc(ctx.ledger)}/periods/${enc(ctx.period)}`;
  switch (code) {
    case 'VOUCHER_DRAFT':
    case 'VOUCHER_REJECTED':
      return [byPreparer(post('voucher.submit', 'voucher:submit', v('submit'))), byPreparer(post('voucher.void', 'voucher:void', v('void'), {}, ['reason']))];
    case 'VOUCHER_SUBMITTED':
      return [
        notByPreparer(post('voucher.approve', 'voucher:approve', v('approve'))),
        notByPreparer(post('voucher.reject', 'voucher:approve', v('reject'), {}, ['reason'])),
      ];
    case 'VOUCHER_NOT_POSTED':
      return [post('voucher.post', 'voucher:post', v('post'))];
    case 'REIMBURSEMENT_UNPAID':
      return [post('reimbursement.pay', 'reimbursement:pay', r('pay')), post('reimbursement.defer', 'reimbursement:defer', r('defer'), {}, ['reason'])];
    case 'REIMBURSEMENT_NOT_POSTED':
      return [post('reimbursement.post', 'reimbursement:post', r('post'))];
    case 'TRANSFER_IN_TRANSIT':
    case 'TRANSFER_UNKNOWN_AT_BANK':
      return [post('transfer.ask_bank', 'transfer:query', t('ask-bank'))];
    case 'TRANSFER_FAILED':
      // The act that clears it first; asking the bank again only in case its word has changed.
      return [
        ...(item.state === 'failed' ? [post('transfer.resend', 'transfer:resend', t('resend'))] : []),
        ...(item.state === 'returned' ? [post('transfer.write_off', 'transfer:write_off', t('write-off'), {}, ['reason'])] : []),
        post('transfer.ask_bank', 'transfer:query', t('ask-bank')),
      ];
    case 'INVOICE_MISSING_ON_PLATFORM':
      return [
        post('invoice.sync', 'close:start', `${lp}/invoice-sync`),
        post('invoice.accept_difference', 'invoice:accept', `${lp}/invoice-differences`, { number: item.number, field: null }, ['reason']),
      ];
    case 'INVOICE_MISSING_IN_LEDGER':
      return [
        post('invoice.record_from_platform', 'invoice:correct', `${lp}/invoices/from-platform`, { number: item.number }),
        post('invoice.accept_difference', 'invoice:accept', `${lp}/invoice-differences`, { number: item.number, field: null }, ['reason']),
      ];
    case 'INVOICE_FIELD_MISMATCH':
      return [
        ...(['buyerName', 'buyerTaxId', 'sellerTaxId', 'date'].includes(String(item.field))
          ? [post('invoice.take_platform_values', 'invoice:correct', `/api/v1/invoices/${enc(String(item.invoiceId))}/take-platform-values`)]
          : []),
        post('invoice.accept_difference', 'invoice:accept', `${lp}/invoice-differences`, { number: item.number, field: item.field }, ['reason']),
      ];
    case 'SUBLEDGER_UNRECONCILED':
      return item.side ? [post('voucher.prepare_adjustment', 'voucher:prepare', `${lp}/vouchers`, adjustment(item))] : [];
    case 'PREVIOUS_PERIOD_NOT_CLOSED':
      return [post('close.start_previous', 'close:start', '/api/v1/closes', { ledger: ctx.ledger, period: previousPeriod(ctx.period) })];
    case 'OPENING_BALANCE_MISMATCH':
      return [post('balance.align_openings', 'balance:align', `${lp}/openings/align`, {}, ['reason'])];
    case 'OPENING_BALANCE_UNBALANCED':
    case 'VOUCHER_UNBALANCED':
    case 'TRIAL_BALANCE_UNBALANCED':
      return [post('voucher.prepare_adjustment', 'voucher:prepare', `${lp}/vouchers`, {}, ['description', 'lines'])];
    default:
      return [];
  }
}

/**
 * The adjusting voucher a one-sided document calls for (a draft for the preparer to review and
 * submit): the control account moves by the document's amount on the side that lacks it, against
 * the sub-ledger's usual counter-account.
 */
function adjustment(item: BlockerItem): Record<string, unknown> {
  const amount = String(item.amount ?? '0');
  const negative = amount.startsWith('-');
  const abs = negative ? amount.slice(1) : amount;
  // A sub-ledger-only document is booked in the general ledger as it is; a general-ledger-only one is reversed.
  const controlDebit = (item.side === 'subledger') !== negative;
  const control = { account: String(item.account), memo: String(item.counterparty ?? '') };
  const counter = { account: COUNTER_ACCOUNT[String(item.subledger)] ?? '409', memo: String(item.reference ?? '') };
  return {
    description: `调整 ${item.subledger} ${item.reference ?? ''}`.trim(),
    lines: controlDebit
      ? [
          { ...control, debit: abs },
          { ...counter, credit: abs },
        ]
      : [
          { ...counter, debit: abs },
          { ...control, credit: abs },
        ],
  };
}

/**
 * A blocker as the caller reads it: its message in the caller's language, and on each item the acts
 * the caller may perform (by permission, and by who prepared a voucher), labelled in that language.
 */
export function presentBlocker(b: Blocker, ctx: BlockerContext, user: ApiUser, language: Language): Blocker {
  return {
    ...b,
    message: blockerMessage(b, language),
    items: b.items.map((item) => {
      const actions = draftsFor(b.code, item, ctx)
        .filter((d) => user.permissions.has(d.permission) && (!d.rule || d.rule(item, user)))
        .map(({ rule: _rule, ...d }) => ({ ...d, label: label(`action.${d.id}`, language) }));
      return { ...item, actions };
    }),
  };
}

/**
 * A close as the caller reads it: its blockers presented (message in their language, their acts),
 * and a step retrying by itself told so in their language.
 */
export function presentClose<C extends { ledger: string; period: string; blockers: Blocker[]; steps: StepView[] }>(
  close: C,
  user: ApiUser,
  language: Language,
): C {
  return {
    ...close,
    blockers: close.blockers.map((b) => presentBlocker(b, { ledger: close.ledger, period: close.period }, user, language)),
    steps: close.steps.map((s) => (s.retrying ? { ...s, retrying: { ...s.retrying, message: retryMessage(s.retrying.code, language) } } : s)),
  };
}

/** Every act id the catalogue can offer: each has a label in both languages (i18n/labels.test.ts). */
export const ACTION_IDS = [
  'voucher.submit',
  'voucher.void',
  'voucher.approve',
  'voucher.reject',
  'voucher.post',
  'voucher.prepare_adjustment',
  'reimbursement.pay',
  'reimbursement.defer',
  'reimbursement.post',
  'transfer.ask_bank',
  'transfer.resend',
  'transfer.write_off',
  'invoice.sync',
  'invoice.record_from_platform',
  'invoice.take_platform_values',
  'invoice.accept_difference',
  'close.start_previous',
  'balance.align_openings',
] as const;
