import { api, path } from '../api.js';
import { h } from '../dom.js';
import { act, showOk } from '../flash.js';
import { CODE_LABELS } from '../code-labels.js';
import { label, t } from '../i18n.js';
import { reasonForm, table } from './parts.js';

const AMOUNT_FIELDS = new Set([
  'amount',
  'difference',
  'debit',
  'credit',
  'generalLedger',
  'subledgerTotal',
  'expectedOpening',
  'actualOpening',
  'openingDifference',
]);

/**
 * Item fields in reading order (the API's items come from jsonb, which reorders keys). The same
 * order as closectl's (cli/format.ts); the dashboard has no build step to share it.
 */
const FIELD_ORDER = [
  'number',
  'reference',
  'period',
  'date',
  'claimant',
  'subledger',
  'account',
  'field',
  'ledger',
  'platform',
  'amount',
  'generalLedger',
  'subledgerTotal',
  'expectedOpening',
  'actualOpening',
  'debit',
  'credit',
  'difference',
  'openingDifference',
  'state',
  'bankState',
  'bankReason',
  'syncState',
  'preparer',
  'approver',
];
const rank = (key) => (FIELD_ORDER.includes(key) ? FIELD_ORDER.indexOf(key) : FIELD_ORDER.length);

/** Ids are for the action buttons, not for reading; a number or reference names the item. */
function columnsOf(items) {
  const keys = [...new Set(items.flatMap((item) => Object.keys(item)))].sort((a, b) => rank(a) - rank(b));
  const readable = keys.filter((k) => !/Id$/.test(k));
  return readable.length > 0 ? readable : keys;
}

// Blockers of one step in the order a clerk works through them: drafts before approvals before posting.
const BLOCKER_ORDER = Object.keys(CODE_LABELS)
  .filter((k) => k.startsWith('blocker.'))
  .map((k) => k.slice('blocker.'.length));
const byBlockerOrder = (a, b) => BLOCKER_ORDER.indexOf(a.code) - BLOCKER_ORDER.indexOf(b.code);

function cellValue(blocker, key, value) {
  if (value === null || value === undefined || value === '') return '—';
  // The name of a mismatching invoice field (buyerName …) is itself a code worth translating.
  if (blocker.code === 'INVOICE_FIELD_MISMATCH' && key === 'field') return label('field', value);
  if (key === 'state' || key === 'bankState') return label('state', value);
  return String(value);
}

function voucherButton(kind, item, onDone) {
  const button = h('button', { type: 'button', class: 'small', 'data-testid': `${kind}-voucher`, dataset: { voucherId: item.voucherId } }, t(`item.${kind}`));
  button.addEventListener('click', async () => {
    const ok = await act(button, () => api.post(path`/api/v1/vouchers/${item.voucherId}/${kind}`).then(() => true));
    if (!ok) return;
    showOk(t(kind === 'approve' ? 'item.approved' : 'item.posted', { number: item.number }));
    onDone(button);
  });
  return button;
}

/**
 * The act that clears an item, where the API has one. An approved voucher still needs posting,
 * so its approve button gives way to a post button without waiting for the close to re-check.
 */
function itemAction(blocker, item) {
  const cell = h('td', { class: 'actions' });
  const markDone = () => cell.replaceChildren(h('span', { class: 'done-mark', 'data-testid': 'item-done' }, `✓ ${t('common.done')}`));
  if (blocker.code === 'VOUCHER_SUBMITTED' && item.voucherId) {
    cell.append(voucherButton('approve', item, () => cell.replaceChildren(voucherButton('post', item, markDone))));
  } else if (blocker.code === 'VOUCHER_NOT_POSTED' && item.voucherId) {
    cell.append(voucherButton('post', item, markDone));
  } else if (blocker.code === 'REIMBURSEMENT_UNPAID' && item.reimbursementId) {
    cell.append(
      reasonForm({
        placeholder: t('item.deferReason'),
        buttonText: t('item.defer'),
        required: true,
        className: 'inline-form compact',
        attrs: {
          input: { 'data-testid': 'defer-reason', 'data-reimbursement-id': item.reimbursementId },
          button: { class: 'small', 'data-testid': 'defer-reimbursement', 'data-reimbursement-id': item.reimbursementId },
        },
        onSubmit: async (reason, button) => {
          const ok = await act(button, () => api.post(path`/api/v1/reimbursements/${item.reimbursementId}/defer`, { reason }).then(() => true));
          if (!ok) return;
          showOk(t('item.deferred', { number: item.number }));
          markDone();
        },
      }),
    );
  }
  return cell;
}

const ACTIONABLE = new Set(['VOUCHER_SUBMITTED', 'VOUCHER_NOT_POSTED', 'REIMBURSEMENT_UNPAID']);

function blockerSection(blocker) {
  const columns = columnsOf(blocker.items);
  const actionable = ACTIONABLE.has(blocker.code);
  const headings = [...columns.map((c) => label('field', c)), ...(actionable ? [t('item.actions')] : [])];
  const rows = blocker.items.map((item) =>
    h(
      'tr',
      {
        'data-testid': 'blocker-item',
        dataset: Object.fromEntries(
          Object.entries(item)
            .filter(([k]) => /Id$/.test(k))
            .map(([k, v]) => [k, String(v)]),
        ),
      },
      columns.map((c) => h('td', { class: AMOUNT_FIELDS.has(c) ? 'num' : undefined }, cellValue(blocker, c, item[c]))),
      actionable ? itemAction(blocker, item) : null,
    ),
  );
  return h(
    'section',
    { class: 'blocker', 'data-testid': 'blocker', dataset: { code: blocker.code, step: blocker.step } },
    h('h4', {}, label('blocker', blocker.code), ' ', h('code', {}, blocker.code), ' ', h('span', { class: 'count' }, String(blocker.total))),
    h('p', { class: 'message' }, blocker.message),
    h('p', { class: 'owner', 'data-testid': 'blocker-owner' }, t('close.owner', { owner: label('role', blocker.owner) })),
    blocker.items.length > 0 ? table(headings, rows, { class: 'items' }) : null,
    blocker.total > blocker.items.length ? h('p', { class: 'hint' }, t('common.more', { n: blocker.total - blocker.items.length })) : null,
  );
}

/** Blockers grouped under their step (vouchers, reimbursements, transfers, invoices …), one section per code. */
export function renderBlockers(blockers) {
  if (blockers.length === 0) return h('p', { class: 'empty', 'data-testid': 'no-blockers' }, t('close.noBlockers'));
  const byStep = new Map();
  for (const b of [...blockers].sort(byBlockerOrder)) byStep.set(b.step, [...(byStep.get(b.step) ?? []), b]);
  return [...byStep.entries()].map(([step, list]) =>
    h('div', { class: 'blocker-group', dataset: { step } }, h('h3', {}, label('step', step)), list.map(blockerSection)),
  );
}
