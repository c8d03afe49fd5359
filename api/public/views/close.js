import { api, path } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { act, showError, showOk } from '../flash.js';
import { durationBetween, errorText, formatTime, isLive, stepsDone } from '../format.js';
import { label, t } from '../i18n.js';
import { renderBlockers } from './blockers.js';
import { reasonForm, stateBadge, table } from './parts.js';
import { can } from '../me.js';

const REFRESH_MS = 2000;

/**
 * A step retrying a technical failure by itself: one short line in the reader's language (nobody has
 * anything to do), the attempts and the next one's time, and the error itself only on demand, so a
 * long technical message never stretches the card.
 */
function retryingNote(step, openDetails) {
  const r = step.retrying;
  const when = [t('close.retry.failedAttempts', { n: r.failedAttempts }), r.nextAttemptAt ? t('close.retry.next', { at: formatTime(r.nextAttemptAt) }) : null];
  return [
    h('span', { class: 'step-retrying', 'data-testid': 'step-retrying', dataset: { code: r.code } }, r.message ?? r.code),
    h('span', { class: 'hint', 'data-testid': 'step-retry-when' }, when.filter(Boolean).join(t('close.retry.separator'))),
    h(
      'details',
      {
        class: 'step-error-details',
        'data-testid': 'step-error-details',
        // The page redraws every 2 s: details the reader opened stay open.
        open: openDetails.has(step.name),
        ontoggle: (event) => (event.target.open ? openDetails.add(step.name) : openDetails.delete(step.name)),
      },
      h('summary', {}, t('close.retry.details')),
      h('span', { class: 'step-error' }, errorText(step.lastError)),
    ),
  ];
}

function stepItem(step, index, openDetails) {
  const time = step.startedAt ? t(step.endedAt ? 'close.took' : 'close.runningFor', { d: durationBetween(step.startedAt, step.endedAt) }) : '';
  if (step.retrying) {
    return h(
      'li',
      { class: `step state-${step.state} retrying`, 'data-testid': 'step', dataset: { step: step.name, state: step.state } },
      h('span', { class: 'marker' }, String(index + 1)),
      h('span', { class: 'step-name' }, label('step', step.name)),
      stateBadge(step.state),
      h('span', { class: 'step-time' }, time),
      retryingNote(step, openDetails),
    );
  }
  return h(
    'li',
    { class: `step state-${step.state}`, 'data-testid': 'step', dataset: { step: step.name, state: step.state } },
    h('span', { class: 'marker' }, String(index + 1)),
    h('span', { class: 'step-name' }, label('step', step.name)),
    stateBadge(step.state),
    h('span', { class: 'step-time' }, time),
    step.attempts > 1 ? h('span', { class: 'hint' }, t('close.attempts', { n: step.attempts })) : null,
    step.lastError ? h('span', { class: 'step-error' }, errorText(step.lastError)) : null,
  );
}

function errorsTable(errors) {
  if (errors.length === 0) return h('p', { class: 'empty' }, t('close.noErrors'));
  const headings = ['at', 'step', 'attempt', 'error'].map((c) => t(`errors.col.${c}`));
  return table(
    headings,
    errors.map((e) =>
      h(
        'tr',
        { 'data-testid': 'error-row', dataset: { code: e.code } },
        h('td', {}, formatTime(e.at)),
        h('td', {}, e.step ? label('step', e.step) : ''),
        h('td', { class: 'num' }, e.attempt ?? ''),
        h('td', {}, h('code', {}, e.code), `: ${e.message}`),
      ),
    ),
    { id: 'errors-table' },
  );
}

/**
 * The error log, folded while the close has not failed: the attempts of a step retrying by itself
 * are for operations, and a failed close shows at once what stopped it. The reader's choice stays.
 */
function errorLog(close, chosen, choose) {
  if (close.errors.length === 0) return errorsTable(close.errors);
  return h(
    'details',
    {
      id: 'error-log',
      open: chosen ?? close.state === 'failed',
      ontoggle: (event) => choose(event.target.open),
    },
    h('summary', {}, t('close.errorLog', { n: close.errors.length })),
    errorsTable(close.errors),
  );
}

const retryingNow = (close) => (close.steps ?? []).some((step) => step.retrying);

/**
 * Only what applies, and only to whom it is allowed: resume and cancel while the close lives; reopen
 * once its period is closed (an auditor or a clerk sees no button that would end in PERMISSION_DENIED).
 */
function actions(close, periodClosed, reload) {
  const parts = [];
  // A step retrying by itself needs nobody: a re-check now would change nothing, so none is offered.
  if (isLive(close) && can('close:resume') && !retryingNow(close)) {
    const resume = h('button', { id: 'resume', type: 'button' }, t('close.resume'));
    resume.addEventListener('click', async () => {
      if (await act(resume, () => api.post(path`/api/v1/closes/${close.id}/resume`).then(() => true))) {
        showOk(t('close.resumed'));
        reload();
      }
    });
    parts.push(resume);
  }
  if (isLive(close) && can('close:cancel')) {
    parts.push(
      reasonForm({
        id: 'cancel-reason',
        buttonId: 'cancel',
        placeholder: t('close.cancelReason'),
        buttonText: t('close.cancel'),
        attrs: { button: { class: 'danger' } },
        onSubmit: async (reason, button) => {
          const body = reason ? { reason } : {};
          if (await act(button, () => api.post(path`/api/v1/closes/${close.id}/cancel`, body).then(() => true))) {
            showOk(t('close.cancelled'));
            reload();
          }
        },
      }),
    );
  }
  if (close.state === 'closed' && periodClosed && can('period:reopen')) {
    parts.push(
      reasonForm({
        id: 'reopen-reason',
        buttonId: 'reopen',
        placeholder: t('close.reopenReason'),
        buttonText: t('close.reopen'),
        required: true,
        attrs: { button: { class: 'danger' } },
        onSubmit: async (reason, button) => {
          if (!reason) {
            showError({ code: 'VALIDATION_FAILED', message: t('close.reasonRequired') });
            return;
          }
          const url = path`/api/v1/ledgers/${close.ledger}/periods/${close.period}/reopen`;
          if (await act(button, () => api.post(url, { reason }).then(() => true))) {
            showOk(t('close.reopened', close));
            reload();
          }
        },
      }),
    );
  }
  return parts;
}

export function mountCloseView(el, closeId) {
  const title = h('h2', { id: 'close-title' });
  const badge = h('span', { id: 'close-state-holder' });
  const meta = h('p', { id: 'close-meta', class: 'meta' });
  const liveNote = h('p', { id: 'auto-refresh', class: 'hint', hidden: true }, t('close.autoRefresh'));
  const actionsBox = h('div', { id: 'close-actions', class: 'actions-row' });
  const steps = h('ol', { id: 'steps', class: 'steps' });
  const blockers = h('div', { id: 'blockers' });
  const errors = h('div', { id: 'errors' });
  replaceChildren(
    el,
    h('a', { href: '#/closes', id: 'back', class: 'back' }, t('common.back')),
    h('section', { class: 'card' }, h('div', { class: 'section-head' }, title, badge), meta, liveNote, actionsBox),
    h('section', { class: 'card' }, h('h3', {}, t('close.steps')), steps),
    h('section', { class: 'card' }, h('h3', {}, t('close.blockers')), blockers),
    h('section', { class: 'card' }, h('h3', {}, t('close.errors')), errors),
  );

  let stopped = false;
  let timer = null;
  // An act reloads at once while a poll may be under way: only the latest load renders and re-arms.
  let latestLoad = 0;
  // Parts holding inputs (a defer reason being typed) are redrawn only when what they show changed.
  let shownBlockers = null;
  let shownActions = null;
  // The steps whose error details the reader opened; whether they opened (or closed) the error log.
  const openDetails = new Set();
  let errorsOpen = null;

  async function periodIsClosed(close) {
    if (close.state !== 'closed') return false;
    const periods = await api.get(path`/api/v1/ledgers/${close.ledger}/periods`);
    return periods.items.some((p) => p.period === close.period && p.state === 'closed');
  }

  function render(close, periodClosed) {
    replaceChildren(title, h('a', { href: `#/ledgers/${encodeURIComponent(close.ledger)}`, 'data-testid': 'ledger-link' }, t('close.heading', close)));
    // A close a reopen undid says so beside its state: a later close of the period is the one that counts.
    const undone = close.superseded
      ? h('span', { class: 'run-role superseded', 'data-testid': 'run-role', title: t('ledger.run.supersededHint') }, t('ledger.run.superseded'))
      : null;
    replaceChildren(badge, stateBadge(close.state, { 'data-testid': 'close-state', id: 'close-state' }), undone ? ' ' : null, undone);
    const done = `${stepsDone(close.steps)}/${close.steps.length}`;
    const when = close.endedAt ? t('close.ended', { at: formatTime(close.endedAt) }) : t('close.runningFor', { d: durationBetween(close.startedAt, null) });
    meta.textContent = `${t('close.startedBy', { user: close.initiatedBy, at: formatTime(close.startedAt) })} · ${when} · ${done}`;
    liveNote.hidden = !isLive(close);
    replaceChildren(
      steps,
      close.steps.map((step, i) => stepItem(step, i, openDetails)),
    );
    const blockersKey = JSON.stringify(close.blockers);
    if (blockersKey !== shownBlockers) replaceChildren(blockers, renderBlockers(close.blockers));
    shownBlockers = blockersKey;
    const actionsKey = `${close.state}:${periodClosed}:${retryingNow(close)}`;
    if (actionsKey !== shownActions) replaceChildren(actionsBox, actions(close, periodClosed, load));
    shownActions = actionsKey;
    replaceChildren(
      errors,
      errorLog(close, errorsOpen, (open) => (errorsOpen = open)),
    );
  }

  async function load() {
    const thisLoad = ++latestLoad;
    clearTimeout(timer);
    let keepPolling = true;
    try {
      const close = await api.get(path`/api/v1/closes/${closeId}`);
      const periodClosed = await periodIsClosed(close);
      if (stopped || thisLoad !== latestLoad) return;
      render(close, periodClosed);
      keepPolling = isLive(close);
    } catch (err) {
      if (stopped || thisLoad !== latestLoad) return;
      showError(err);
      keepPolling = err.status !== 404 && err.status !== 401;
    }
    if (keepPolling && !stopped) timer = setTimeout(load, REFRESH_MS);
  }

  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
