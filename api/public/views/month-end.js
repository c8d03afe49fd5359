import { api, path } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { act, showError, showOk } from '../flash.js';
import { formatTime, parseLedgers } from '../format.js';
import { label, t } from '../i18n.js';
import { table } from './parts.js';
import { initiatorText, monthEndBadge } from './month-end-parts.js';
import { mountSchedules } from './schedules.js';

const REFRESH_MS = 2000;
const LIST_REFRESH_MS = 5000;
const COUNTS = [
  ['total', 'total'],
  ['closed', 'closed'],
  ['blocked', 'waiting'],
  ['running', 'running'],
  ['failed', 'failed'],
  ['cancelled', 'cancelled'],
  ['notStarted', 'notStarted'],
];

const runLink = (id) => `#/month-end/${encodeURIComponent(id)}`;

function startForm() {
  const parent = h('input', { id: 'month-end-parent', autocomplete: 'off', placeholder: 'FED-01' });
  const ledgers = h('input', { id: 'month-end-ledgers', autocomplete: 'off', placeholder: 'GH-001,GH-002' });
  const period = h('input', { id: 'month-end-period', required: true, pattern: '\\d{4}-(0[1-9]|1[0-2])', placeholder: '2026-10' });
  const submit = h('button', { id: 'month-end-submit', type: 'submit' }, t('monthEnd.startButton'));
  const form = h(
    'form',
    { id: 'month-end-form', class: 'inline-form' },
    h('label', {}, t('monthEnd.parent'), parent),
    h('label', {}, t('monthEnd.ledgers'), ledgers),
    h('label', {}, t('monthEnd.period'), period),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const list = parseLedgers(ledgers.value);
    const scope = parent.value.trim() ? { parent: parent.value.trim() } : { ledgers: list };
    if (Boolean(parent.value.trim()) === list.length > 0) {
      showError({ code: 'VALIDATION_FAILED', message: t('monthEnd.scopeRequired') });
      return;
    }
    const run = await act(submit, () => api.post('/api/v1/month-ends', { period: period.value.trim(), ...scope }));
    if (!run) return;
    location.hash = runLink(run.id);
    showOk(t('monthEnd.run', { id: run.id, period: run.period, state: label('state', run.state) }));
  });
  return h('section', { class: 'card' }, h('h3', {}, t('monthEnd.start')), form);
}

function ledgerLink(entry) {
  return h('a', { href: `#/closes/${encodeURIComponent(entry.closeId)}` }, entry.ledger);
}

function renderRun(run) {
  const s = run.summary;
  const tiles = COUNTS.map(([key, text]) =>
    h(
      'div',
      { class: `tile tile-${key}`, 'data-testid': `count-${key}` },
      h('span', { class: 'tile-value' }, String(s[key] ?? 0)),
      h('span', { class: 'tile-label' }, t(`monthEnd.${text}`)),
    ),
  );
  const codes = (list) => list.map((code) => h('span', { class: 'code-chip', title: code }, label('blocker', code))).flatMap((c) => [c, ' ']);
  return [
    h(
      'div',
      { class: 'section-head' },
      h('h3', {}, t('monthEnd.runHeading', { period: run.period, scope: scopeText(run.scope), by: initiatorText(run.initiatedBy) })),
      monthEndBadge(run, s, 'month-end-state'),
    ),
    h('p', { class: 'meta' }, formatTime(run.startedAt), run.endedAt ? ` → ${formatTime(run.endedAt)}` : '', ' · ', h('code', { class: 'run-id' }, run.id)),
    h('progress', { max: s.total || 1, value: s.closed, class: 'wide' }),
    h('div', { class: 'tiles' }, tiles),
    s.blockedLedgers.length > 0
      ? [
          h('h4', {}, t('monthEnd.blockedLedgers')),
          table(
            [t('monthEnd.col.ledger'), t('monthEnd.col.codes')],
            s.blockedLedgers.map((l) =>
              h('tr', { 'data-testid': 'blocked-ledger', dataset: { ledger: l.ledger } }, h('td', {}, ledgerLink(l)), h('td', {}, codes(l.codes))),
            ),
          ),
        ]
      : null,
    s.failedLedgers.length > 0
      ? [
          h('h4', {}, t('monthEnd.failedLedgers')),
          table(
            [t('monthEnd.col.ledger'), t('monthEnd.col.codes')],
            s.failedLedgers.map((l) =>
              h('tr', { 'data-testid': 'failed-ledger', dataset: { ledger: l.ledger } }, h('td', {}, ledgerLink(l)), h('td', {}, h('code', {}, l.code ?? ''))),
            ),
          ),
        ]
      : null,
  ];
}

/** Follows one run, every 2 s while it is running. */
function mountRun(box, id) {
  let timer = null;
  let stopped = false;
  async function load() {
    try {
      const run = await api.get(path`/api/v1/month-ends/${id}`);
      if (stopped) return;
      replaceChildren(box, renderRun(run));
      if (run.state === 'running') timer = setTimeout(load, REFRESH_MS);
    } catch (err) {
      if (!stopped) showError(err);
    }
  }
  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function scopeText(scope = {}) {
  return scope.parent ? t('monthEnd.scopeParent', { parent: scope.parent }) : (scope.ledgers ?? []).join(', ');
}

function listRow(run) {
  const c = run.counts;
  const count = (key) => h('td', { class: `num count-${key}` }, String(c[key] ?? 0));
  return h(
    'tr',
    { 'data-testid': 'month-end-row', dataset: { runId: run.id, state: run.state } },
    h('td', {}, h('a', { href: runLink(run.id), 'data-testid': 'month-end-link' }, run.period)),
    h('td', {}, scopeText(run.scope)),
    h('td', {}, initiatorText(run.initiatedBy)),
    h('td', {}, monthEndBadge(run, c)),
    h('td', {}, formatTime(run.startedAt)),
    ['total', 'closed', 'blocked', 'running', 'failed', 'cancelled', 'notStarted'].map(count),
  );
}

/**
 * Every month-end run the user may see, manual or scheduled, from the server (newest first, by
 * period if asked, a page at a time); the first page is kept fresh while the view is open.
 */
function runList() {
  const period = h('input', { id: 'month-end-list-period', pattern: '\\d{4}-(0[1-9]|1[0-2])', placeholder: '2026-10', class: 'short-period' });
  const show = h('button', { id: 'month-end-list-show', type: 'submit', class: 'secondary' }, t('monthEnd.listShow'));
  const box = h('div', { id: 'month-end-list' });
  const more = h('button', { id: 'month-end-next', type: 'button', class: 'secondary', hidden: true }, t('closes.nextPage'));
  let cursor = null;
  const form = h('form', { class: 'inline-form', id: 'month-end-list-form' }, h('label', {}, t('monthEnd.listPeriod'), period), show);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    cursor = null;
    load();
  });
  async function load() {
    try {
      const page = await api.get('/api/v1/month-ends', { period: period.value.trim() || undefined, cursor: cursor ?? undefined });
      const headings = [
        'period',
        'scope',
        'initiatedBy',
        'state',
        'startedAt',
        'total',
        'closed',
        'waiting',
        'running',
        'failed',
        'cancelled',
        'notStarted',
      ].map((c) => t(`monthEnd.col.${c}`));
      replaceChildren(
        box,
        page.items.length === 0
          ? h('p', { class: 'empty', 'data-testid': 'month-end-list-empty' }, t('monthEnd.listEmpty'))
          : table(headings, page.items.map(listRow), { class: 'month-end-list' }),
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
  load();
  const timer = setInterval(() => {
    if (cursor === null) load();
  }, LIST_REFRESH_MS);
  const section = h('section', { class: 'card' }, h('div', { class: 'section-head' }, h('h3', {}, t('monthEnd.list')), form), box, more);
  return { section, reload: load, stop: () => clearInterval(timer) };
}

export function mountMonthEndView(el, runId) {
  const runBox = h('section', { class: 'card', id: 'month-end-run', hidden: !runId });
  const list = runList();
  const schedulesBox = h('section', { class: 'card', id: 'schedules' });
  replaceChildren(el, h('h2', {}, t('monthEnd.heading')), startForm(), runBox, list.section, schedulesBox);
  const stopRun = runId ? mountRun(runBox, runId) : () => {};
  // Run now starts a run: the list shows it at once.
  const stopSchedules = mountSchedules(schedulesBox, { onChange: list.reload });
  return () => {
    stopRun();
    list.stop();
    stopSchedules();
  };
}
