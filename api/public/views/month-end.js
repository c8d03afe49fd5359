import { api, path } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { act, showError, showOk } from '../flash.js';
import { formatTime, parseLedgers } from '../format.js';
import { label, t } from '../i18n.js';
import { stateBadge, table } from './parts.js';
import { mountSchedules } from './schedules.js';

const RECENT_KEY = 'closeDashboard.monthEnds';
const REFRESH_MS = 2000;
const COUNTS = [
  ['total', 'total'],
  ['closed', 'closed'],
  ['blocked', 'waiting'],
  ['running', 'running'],
  ['failed', 'failed'],
  ['cancelled', 'cancelled'],
  ['notStarted', 'notStarted'],
];

// There is no list of month-end runs in the API; this browser remembers the ones it started.
const recentRuns = () => JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
const rememberRun = (id) => localStorage.setItem(RECENT_KEY, JSON.stringify([id, ...recentRuns().filter((r) => r !== id)].slice(0, 8)));

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
    rememberRun(run.id);
    location.hash = `#/month-end/${encodeURIComponent(run.id)}`;
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
      h('h3', {}, t('monthEnd.run', { id: run.id, period: run.period, state: '' })),
      stateBadge(run.state, { 'data-testid': 'month-end-state' }),
    ),
    h('p', { class: 'meta' }, formatTime(run.startedAt), run.endedAt ? ` → ${formatTime(run.endedAt)}` : ''),
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

export function mountMonthEndView(el, runId) {
  const runBox = h('section', { class: 'card', id: 'month-end-run', hidden: !runId });
  const recent = recentRuns();
  const schedulesBox = h('section', { class: 'card', id: 'schedules' });
  replaceChildren(
    el,
    h('h2', {}, t('monthEnd.heading')),
    startForm(),
    runBox,
    recent.length > 0
      ? h(
          'section',
          { class: 'card' },
          h('h3', {}, t('monthEnd.recent')),
          h(
            'ul',
            { id: 'month-end-recent', class: 'links' },
            recent.map((id) => h('li', {}, h('a', { href: `#/month-end/${encodeURIComponent(id)}` }, id))),
          ),
        )
      : null,
    schedulesBox,
  );
  const stopRun = runId ? mountRun(runBox, runId) : () => {};
  const stopSchedules = mountSchedules(schedulesBox);
  return () => {
    stopRun();
    stopSchedules();
  };
}
