import { api, path, send } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { act, showError, showOk } from '../flash.js';
import { currentStep, durationBetween, stepsDone } from '../format.js';
import { label, t } from '../i18n.js';
import { can } from '../me.js';
import { renderBlockers } from './blockers.js';
import { ledgerHref } from './ledger.js';
import { stateBadge } from './parts.js';

const STALLED_MINUTES = 30;
const FILTER_KEY = 'closeDashboard.filter';
const FILTERS = {
  all: {},
  blocked: { state: 'blocked' },
  stalled: { stalled: STALLED_MINUTES },
  failed: { state: 'failed' },
};

/** The month before this one: what a finance team closes at the start of a month. */
function lastMonth(now = new Date()) {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

function startForm() {
  const ledger = h('input', { id: 'start-ledger', name: 'ledger', required: true, autocomplete: 'off', placeholder: 'GH-001' });
  const period = h('input', {
    id: 'start-period',
    name: 'period',
    required: true,
    pattern: '\\d{4}-(0[1-9]|1[0-2])',
    value: lastMonth(),
    placeholder: '2026-10',
  });
  const submit = h('button', { id: 'start-submit', type: 'submit' }, t('closes.startButton'));
  const check = h('button', { id: 'check-submit', type: 'button', class: 'secondary' }, t('closes.check'));
  const checked = h('div', { id: 'readiness', 'data-testid': 'readiness' });
  const form = h(
    'form',
    { id: 'start-form', class: 'inline-form' },
    h('label', {}, t('closes.ledger'), ledger),
    h('label', {}, t('closes.period'), period),
    check,
    // The check is anyone's who may read; starting only for those who may start a close.
    can('close:start') ? submit : null,
  );
  // 结账检查: every blocker of the period at once, before anything starts; each item with its acts.
  check.addEventListener('click', async () => {
    if (!form.reportValidity()) return;
    const found = await act(check, () => api.get(path`/api/v1/ledgers/${ledger.value.trim()}/periods/${period.value.trim()}/readiness`));
    if (!found) return;
    replaceChildren(
      checked,
      h(
        'p',
        { class: found.ready ? 'ready' : 'not-ready', 'data-testid': 'readiness-verdict', dataset: { ready: String(found.ready) } },
        t(found.ready ? 'closes.ready' : 'closes.notReady', { ledger: found.ledger, period: found.period, n: found.blockers.length }),
      ),
      found.ready ? null : renderBlockers(found.blockers),
    );
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { ledger: ledger.value.trim(), period: period.value.trim() };
    const answer = await act(submit, () => send('POST', '/api/v1/closes', { body }));
    if (!answer) return;
    location.hash = `#/closes/${encodeURIComponent(answer.data.id)}`;
    showOk(t(answer.status === 200 ? 'closes.alreadyRunning' : 'closes.started', body));
  });
  return h('section', { class: 'card' }, h('h3', {}, t('closes.start')), form, checked);
}

/** 发票同步 ahead of the close: differences show now, with who must act, and the close later confirms by digest. */
function invoiceSyncForm() {
  const ledger = h('input', { id: 'sync-ledger', name: 'ledger', required: true, autocomplete: 'off', placeholder: 'GH-001' });
  const period = h('input', {
    id: 'sync-period',
    name: 'period',
    required: true,
    pattern: '\\d{4}-(0[1-9]|1[0-2])',
    value: lastMonth(),
    placeholder: '2026-10',
  });
  const submit = h('button', { id: 'sync-submit', type: 'submit', class: 'secondary' }, t('sync.button'));
  const result = h('div', { id: 'sync-result' });
  const form = h(
    'form',
    { id: 'sync-form', class: 'inline-form' },
    h('label', {}, t('closes.ledger'), ledger),
    h('label', {}, t('closes.period'), period),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const url = path`/api/v1/ledgers/${ledger.value.trim()}/periods/${period.value.trim()}/invoice-sync`;
    const answer = await act(submit, () => send('POST', url, { body: {} }));
    if (!answer) return;
    const run = answer.data;
    if (run.state === 'running') {
      replaceChildren(result, h('p', { 'data-testid': 'sync-summary', dataset: { state: run.state } }, t('sync.running', run)));
      return;
    }
    replaceChildren(
      result,
      h(
        'p',
        { 'data-testid': 'sync-summary', dataset: { state: run.state, by: run.reconciledBy ?? '' } },
        run.state === 'failed'
          ? t('sync.failed', { ...run, code: run.error.code, message: run.error.message })
          : t('sync.done', { ...run, by: t(`sync.by.${run.reconciledBy}`) }),
      ),
      run.state === 'done' && run.differences.length > 0 ? renderBlockers(run.differences) : null,
    );
  });
  return h('section', { class: 'card' }, h('h3', {}, t('sync.heading')), h('p', { class: 'hint' }, t('sync.hint')), form, result);
}

/**
 * A period closed, reopened and closed again has several closed runs: the one whose close stands says
 * 有效, those a reopen undid say 已被取代 instead of 已结账 (the ledger's page tells the whole story).
 */
function closeStateCell(close) {
  const role = close.counts ? 'counts' : close.superseded ? 'superseded' : null;
  const tag = (r) => h('span', { class: `run-role ${r}`, 'data-testid': 'run-role', title: t(`ledger.run.${r}Hint`) }, t(`ledger.run.${r}`));
  if (role === 'superseded') return tag(role);
  return role ? [stateBadge(close.state), ' ', tag(role)] : stateBadge(close.state);
}

function closeRow(close) {
  const steps = close.steps ?? [];
  const done = stepsDone(steps);
  const at = close.state === 'closed' ? null : currentStep(steps);
  const href = `#/closes/${encodeURIComponent(close.id)}`;
  return h(
    'tr',
    { 'data-testid': 'close-row', dataset: { closeId: close.id, state: close.state, counts: String(close.counts), superseded: String(close.superseded) } },
    h('td', {}, closeStateCell(close)),
    h('td', {}, h('a', { href: ledgerHref(close.ledger), title: t('ledger.link', close), 'data-testid': 'ledger-link' }, close.ledger)),
    h('td', {}, h('a', { href }, close.period)),
    h('td', { class: 'progress-cell' }, h('progress', { max: steps.length || 1, value: done }), ` ${done}/${steps.length}`),
    h('td', {}, at ? label('step', at.name) : ''),
    h('td', { class: 'num' }, durationBetween(close.startedAt, close.endedAt)),
    h('td', {}, close.initiatedBy),
  );
}

export function mountClosesView(el) {
  let filter = FILTERS[sessionStorage.getItem(FILTER_KEY)] ? sessionStorage.getItem(FILTER_KEY) : 'all';
  let cursor = null;
  const table = h('div', { id: 'closes-table' });
  const more = h('button', { id: 'closes-next', type: 'button', class: 'secondary', hidden: true }, t('closes.nextPage'));
  const filterButtons = Object.keys(FILTERS).map((name) =>
    h(
      'button',
      {
        type: 'button',
        class: 'filter',
        id: `filter-${name}`,
        'data-testid': `filter-${name}`,
        'aria-pressed': String(name === filter),
        onclick: () => {
          filter = name;
          cursor = null;
          sessionStorage.setItem(FILTER_KEY, name);
          markFilter();
          load();
        },
      },
      t(`filter.${name}`, { n: STALLED_MINUTES }),
    ),
  );
  const markFilter = () => filterButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.id === `filter-${filter}`)));

  async function load() {
    try {
      const page = await api.get('/api/v1/closes', { ...FILTERS[filter], cursor });
      const headers = ['state', 'ledger', 'period', 'progress', 'step', 'duration', 'initiatedBy'].map((c) => h('th', {}, t(`closes.col.${c}`)));
      replaceChildren(
        table,
        page.items.length === 0
          ? h('p', { class: 'empty', 'data-testid': 'closes-empty' }, t('closes.empty'))
          : h('table', {}, h('thead', {}, h('tr', {}, headers)), h('tbody', {}, page.items.map(closeRow))),
      );
      more.hidden = !page.next;
      more.onclick = () => {
        cursor = page.next;
        load();
      };
    } catch (err) {
      showError(err);
    }
  }

  replaceChildren(
    el,
    startForm(),
    can('close:start') ? invoiceSyncForm() : null,
    h(
      'section',
      { class: 'card' },
      h(
        'div',
        { class: 'section-head' },
        h('h2', {}, t('closes.heading')),
        h('div', { class: 'filters', role: 'group' }, filterButtons),
        h('button', { id: 'closes-refresh', type: 'button', class: 'secondary', onclick: load }, t('common.refresh')),
      ),
      table,
      more,
    ),
  );
  load();
  // The first page is kept fresh so a finance manager can leave it open; deeper pages stay put.
  const timer = setInterval(() => {
    if (cursor === null) load();
  }, 5000);
  return () => clearInterval(timer);
}
