import { api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { act } from '../flash.js';
import { CODE_LABELS } from '../code-labels.js';
import { label, t } from '../i18n.js';
import { ledgerHref } from './ledger.js';
import { stateBadge, table } from './parts.js';

const STATES = ['', 'open', 'blocked', 'running', 'failed', 'closed', 'reopened'];
const PAGE = 50;
// Every blocker code, in the labels' order (the order a clerk works through them).
const BLOCKER_CODES = Object.keys(CODE_LABELS)
  .filter((k) => k.startsWith('blocker.'))
  .map((k) => k.slice('blocker.'.length));

/** The month before this one: the period a finance team closes at the start of a month. */
function lastMonth(now = new Date()) {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/**
 * 联合会总览: every ledger under a federation for one period — where its close stands and what
 * blocks it, by code — with the totals of the whole subtree, filters and pages (GET /api/v1/readiness,
 * counted set-based by the server; never one request per ledger).
 */
export function mountBoardView(el) {
  const parent = h('input', {
    id: 'board-parent',
    required: true,
    autocomplete: 'off',
    placeholder: 'FED',
    value: sessionStorage.getItem('board.parent') ?? '',
  });
  const period = h('input', { id: 'board-period', required: true, pattern: '\\d{4}-(0[1-9]|1[0-2])', value: lastMonth() });
  const state = h(
    'select',
    { id: 'board-state' },
    STATES.map((s) => h('option', { value: s }, s ? label('state', s) : t('board.allStates'))),
  );
  const notReady = h('input', { id: 'board-not-ready', type: 'checkbox' });
  const search = h('input', { id: 'board-search', type: 'search', autocomplete: 'off', maxlength: 60, placeholder: t('board.searchHint') });
  const code = h(
    'select',
    { id: 'board-code' },
    ['', ...BLOCKER_CODES].map((c) => h('option', { value: c }, c ? label('blocker', c) : t('board.allBlockers'))),
  );
  const submit = h('button', { id: 'board-submit', type: 'submit' }, t('board.show'));
  const summary = h('div', { id: 'board-summary', 'data-testid': 'board-summary' });
  const rows = h('div', { id: 'board-table' });
  const more = h('button', { id: 'board-next', type: 'button', class: 'secondary', hidden: true }, t('closes.nextPage'));
  let cursor = null;

  const form = h(
    'form',
    { id: 'board-form', class: 'inline-form' },
    h('label', {}, t('board.parent'), parent),
    h('label', {}, t('closes.period'), period),
    h('label', {}, t('board.state'), state),
    h('label', {}, t('board.blockerFilter'), code),
    h('label', {}, t('board.search'), search),
    h('label', { class: 'check' }, notReady, t('board.notReadyOnly')),
    submit,
  );

  async function load(append) {
    const query = { parent: parent.value.trim(), period: period.value.trim(), state: state.value, limit: PAGE, cursor: append ? cursor : null };
    if (notReady.checked) query.ready = 'false';
    if (code.value) query.code = code.value;
    if (search.value.trim()) query.q = search.value.trim();
    const page = await act(submit, () => api.get('/api/v1/readiness', query));
    if (!page) return;
    sessionStorage.setItem('board.parent', query.parent);
    cursor = page.next;
    more.hidden = !page.next;
    const totals = page.totals;
    replaceChildren(
      summary,
      h(
        'p',
        {},
        t('board.totals', { parent: page.parent, period: page.period, ledgers: totals.ledgers.toLocaleString(), ready: totals.ready.toLocaleString() }),
      ),
      h(
        'p',
        { class: 'chips' },
        Object.entries(totals.byState).map(([s, n]) => h('span', { class: 'chip', dataset: { state: s } }, `${label('state', s)} ${n.toLocaleString()}`)),
        Object.entries(totals.byCode).map(([c, n]) =>
          h('span', { class: 'chip blocker-chip', dataset: { code: c } }, `${label('blocker', c)} ${n.toLocaleString()}`),
        ),
      ),
      // Who has the most to do across the federation: the blocking items by the role that must act.
      Object.keys(totals.byOwner ?? {}).length
        ? h(
            'p',
            { class: 'chips', 'data-testid': 'board-owners' },
            t('board.byOwner'),
            ' ',
            Object.entries(totals.byOwner).map(([role, n]) =>
              h('span', { class: 'chip owner-chip', dataset: { owner: role } }, `${label('role', role)} ${n.toLocaleString()}`),
            ),
          )
        : null,
    );
    const lines = page.items.map((l) =>
      h(
        'tr',
        { 'data-testid': 'board-row', dataset: { ledger: l.ledger, state: l.state, ready: String(l.ready) } },
        h('td', {}, h('a', { href: ledgerHref(l.ledger), title: t('ledger.link', l), 'data-testid': 'ledger-link' }, h('code', {}, l.ledger))),
        h('td', {}, l.name),
        h('td', {}, stateBadge(l.state)),
        h(
          'td',
          {},
          l.ready
            ? t('board.ready')
            : Object.keys(l.counts).length === 0
              ? '—' // closed, or reopened with nothing to clear
              : Object.entries(l.counts).map(([code, n]) => h('span', { class: 'chip blocker-chip', dataset: { code } }, `${label('blocker', code)} ${n}`)),
        ),
      ),
    );
    const body = table([t('closes.ledger'), t('board.name'), t('board.state'), t('board.blockers')], lines, { class: 'board' });
    if (append) rows.querySelector('tbody')?.append(...lines);
    else replaceChildren(rows, page.items.length ? body : h('p', { class: 'empty' }, t('board.none')));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(false);
  });
  more.addEventListener('click', () => void load(true));
  replaceChildren(el, h('section', { class: 'card' }, h('h3', {}, t('board.title')), form, summary, rows, more));
  if (parent.value) void load(false);
  return () => {};
}
