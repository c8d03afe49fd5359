import { api, path } from '../api.js';
import { h } from '../dom.js';
import { act, showOk } from '../flash.js';
import { CODE_LABELS } from '../code-labels.js';
import { formatAmount, formatTime } from '../format.js';
import { label, t } from '../i18n.js';
import { reasonForm, table } from './parts.js';

const AMOUNT_FIELDS = new Set([
  'amount',
  'tax',
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
  'accountName',
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
  'bankCheckedAt',
  'syncState',
  'side',
  'counterparty',
  'preparer',
  'approver',
  'owner',
];
const rank = (key) => (FIELD_ORDER.includes(key) ? FIELD_ORDER.indexOf(key) : FIELD_ORDER.length);

/** Ids are for the action buttons, not for reading; a number or reference names the item. */
function columnsOf(items) {
  const keys = [...new Set(items.flatMap((item) => Object.keys(item)))].sort((a, b) => rank(a) - rank(b));
  const readable = keys.filter((k) => !/Id$/.test(k) && k !== 'actions');
  return readable.length > 0 ? readable : keys;
}

// Blockers of one step in the order a clerk works through them: drafts before approvals before posting.
const BLOCKER_ORDER = Object.keys(CODE_LABELS)
  .filter((k) => k.startsWith('blocker.'))
  .map((k) => k.slice('blocker.'.length));
const byBlockerOrder = (a, b) => BLOCKER_ORDER.indexOf(a.code) - BLOCKER_ORDER.indexOf(b.code);

function cellValue(blocker, item, key) {
  const value = item[key];
  if (value === null || value === undefined || value === '') return '—';
  // The name of a mismatching invoice field (buyerName …) is itself a code worth translating.
  if (blocker.code === 'INVOICE_FIELD_MISMATCH' && key === 'field') return label('field', value);
  // Its two values are amounts when the differing field is one.
  if (blocker.code === 'INVOICE_FIELD_MISMATCH' && (key === 'ledger' || key === 'platform') && AMOUNT_FIELDS.has(item.field)) return formatAmount(value);
  if (AMOUNT_FIELDS.has(key)) return formatAmount(value);
  if (key === 'state' || key === 'bankState') return label('state', value);
  if (key === 'side' || key === 'subledger') return label(key, value);
  if (key === 'bankCheckedAt') return formatTime(value);
  return String(value);
}

// Test ids of the acts the first dashboard had, kept so its tests and users' bookmarks of them hold.
const LEGACY_TEST_IDS = {
  'voucher.approve': ['approve-voucher', 'voucherId'],
  'voucher.post': ['post-voucher', 'voucherId'],
  'reimbursement.defer': ['defer-reimbursement', 'reimbursementId'],
};
// What the flash says once an act is done, by act id; any other act says its label and ✓.
const DONE_MESSAGES = { 'voucher.approve': 'item.approved', 'voucher.post': 'item.posted', 'reimbursement.defer': 'item.deferred' };

function testIds(action, item) {
  const [testId, idKey] = LEGACY_TEST_IDS[action.id] ?? [`act-${action.id.replace(/[._]/g, '-')}`, null];
  const ids = Object.fromEntries(
    Object.entries(item)
      .filter(([k]) => /Id$/.test(k))
      .map(([k, v]) => [k, String(v)]),
  );
  return { 'data-testid': testId, 'data-action': action.id, dataset: idKey ? { [idKey]: String(item[idKey]), ...ids } : ids };
}

/**
 * One act the API offers on an item (already filtered to what the signed-in user may do): a button
 * that sends its method, path and body, with a reason field first when the act needs one.
 */
function actionControl(action, item, onDone) {
  // Every act the catalogue offers is a POST (api/services/blocker-actions.ts).
  const run = async (button, extra = {}) => {
    const ok = await act(button, () => api.post(action.path, { ...action.body, ...extra }).then(() => true));
    if (!ok) return;
    showOk(DONE_MESSAGES[action.id] ? t(DONE_MESSAGES[action.id], { number: item.number ?? item.reference ?? '' }) : `${action.label} ✓`);
    onDone();
  };
  const ids = testIds(action, item);
  if (action.needs.includes('reason')) {
    const reasonTestId = action.id === 'reimbursement.defer' ? 'defer-reason' : `reason-${action.id.replace(/[._]/g, '-')}`;
    return reasonForm({
      placeholder: action.id === 'reimbursement.defer' ? t('item.deferReason') : t('item.reason'),
      buttonText: action.label,
      required: true,
      className: 'inline-form compact',
      attrs: { input: { 'data-testid': reasonTestId, dataset: ids.dataset }, button: { class: 'small', ...ids } },
      onSubmit: (reason, button) => run(button, { reason }),
    });
  }
  // Acts that need more than a reason (an adjusting voucher's lines) are for the voucher form, not a button.
  if (action.needs.length > 0) return null;
  const button = h('button', { type: 'button', class: 'small', ...ids }, action.label);
  button.addEventListener('click', () => run(button));
  return button;
}

/** The acts that clear an item, as the API lists them for this user; done, the item shows ✓ until the close re-checks. */
function itemAction(item) {
  const cell = h('td', { class: 'actions' });
  const markDone = () => cell.replaceChildren(h('span', { class: 'done-mark', 'data-testid': 'item-done' }, `✓ ${t('common.done')}`));
  cell.append(...(item.actions ?? []).map((a) => actionControl(a, item, markDone)).filter(Boolean));
  return cell;
}

function blockerSection(blocker) {
  const columns = columnsOf(blocker.items);
  const actionable = blocker.items.some((item) => (item.actions ?? []).length > 0);
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
      columns.map((c) => h('td', { class: AMOUNT_FIELDS.has(c) ? 'num' : undefined }, cellValue(blocker, item, c))),
      actionable ? itemAction(item) : null,
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
