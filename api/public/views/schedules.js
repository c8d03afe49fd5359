import { api, path } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { act, showError, showOk } from '../flash.js';
import { errorText, formatTime, parseLedgers } from '../format.js';
import { t } from '../i18n.js';
import { monthEndBadge } from './month-end-parts.js';
import { table } from './parts.js';

const two = (n) => String(n).padStart(2, '0');
const monthEndLink = (id) => `#/month-end/${encodeURIComponent(id)}`;

function scopeText(scope = {}) {
  return scope.parent ? `${t('schedules.parent')}: ${scope.parent}` : (scope.ledgers ?? []).join(', ');
}

function whenText(s) {
  return t('schedules.when', { day: s.dayOfMonth, time: `${two(s.hour)}:${two(s.minute)}`, zone: s.timeZone });
}

function numberInput(id, min, max, value) {
  return h('input', { id, type: 'number', min, max, value, class: 'short', required: true });
}

function createForm(reload) {
  const id = h('input', { id: 'schedule-id', required: true, pattern: '[A-Za-z0-9_\\-]{1,64}', placeholder: 'fed-01-monthly' });
  const parent = h('input', { id: 'schedule-parent', placeholder: 'FED-01' });
  const ledgers = h('input', { id: 'schedule-ledgers', placeholder: 'GH-001,GH-002' });
  const day = numberInput('schedule-day', 1, 31, 1);
  const hour = numberInput('schedule-hour', 0, 23, 1);
  const minute = numberInput('schedule-minute', 0, 59, 0);
  const zone = h('input', { id: 'schedule-time-zone', value: 'Asia/Shanghai', required: true });
  const submit = h('button', { id: 'schedule-submit', type: 'submit' }, t('schedules.createButton'));
  const form = h(
    'form',
    { id: 'schedule-form', class: 'inline-form' },
    h('label', {}, t('schedules.id'), id),
    h('label', {}, t('schedules.parent'), parent),
    h('label', {}, t('schedules.ledgers'), ledgers),
    h('label', {}, t('schedules.day'), day),
    h('label', {}, t('schedules.hour'), hour),
    h('label', {}, t('schedules.minute'), minute),
    h('label', {}, t('schedules.timeZone'), zone),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const list = parseLedgers(ledgers.value);
    if (Boolean(parent.value.trim()) === list.length > 0) {
      showError({ code: 'VALIDATION_FAILED', message: t('monthEnd.scopeRequired') });
      return;
    }
    const body = {
      id: id.value.trim(),
      ...(parent.value.trim() ? { parent: parent.value.trim() } : { ledgers: list }),
      dayOfMonth: Number(day.value),
      hour: Number(hour.value),
      minute: Number(minute.value),
      timeZone: zone.value.trim(),
    };
    if (await act(submit, () => api.post('/api/v1/schedules', body))) {
      showOk(t('schedules.created', { id: body.id }));
      form.reset();
      reload();
    }
  });
  return form;
}

/** The last run this schedule started: its period linked to its page, its state and what it closed. */
function lastRunCell(run) {
  if (!run) return h('span', { class: 'hint' }, t('schedules.neverRun'));
  const c = run.counts;
  const extra = [c.blocked > 0 ? t('schedules.lastRunBlocked', { n: c.blocked }) : '', c.failed > 0 ? t('schedules.lastRunFailed', { n: c.failed }) : ''];
  return h(
    'span',
    { 'data-testid': 'schedule-last-run', dataset: { runId: run.id } },
    h('a', { href: monthEndLink(run.id) }, run.period),
    ' ',
    monthEndBadge(run, c),
    h(
      'span',
      { class: 'last-run-counts' },
      t('schedules.lastRunClosed', { closed: c.closed, total: c.total }),
      extra.filter(Boolean).map((text) => `${t('schedules.separator')}${text}`),
    ),
  );
}

/** Run now: says the run started (it runs for minutes) and links to it. */
function triggered(schedule, answer) {
  const run = answer.monthEnd;
  if (!run) return t('schedules.triggerPending', { id: schedule.id });
  return [
    t('schedules.triggered', { id: schedule.id, period: run.period }),
    ' ',
    h('a', { href: monthEndLink(run.id), 'data-testid': 'triggered-run-link' }, t('schedules.viewRun')),
  ];
}

function scheduleRow(schedule, reload) {
  const actions = h('td', { class: 'actions' });
  const button = (actName, run, done) => {
    const b = h(
      'button',
      {
        type: 'button',
        class: actName.startsWith('delete') ? 'small danger' : 'small',
        'data-testid': `schedule-${actName}`,
        dataset: { scheduleId: schedule.id },
      },
      t(`schedules.${actName}`),
    );
    b.addEventListener('click', async () => {
      const answer = await act(b, run);
      if (answer === undefined) return;
      showOk(done(answer));
      reload();
    });
    return b;
  };
  const post = (actName) => () => api.post(path`/api/v1/schedules/${schedule.id}/${actName}`);
  const remove = () => api.delete(path`/api/v1/schedules/${schedule.id}`).then(() => true);
  // Deleting is asked twice, in the row itself: a schedule deleted by a slip stops a federation's month-end.
  const confirmDelete = () =>
    replaceChildren(
      actions,
      h('span', { class: 'confirm', 'data-testid': 'schedule-delete-question' }, t('schedules.confirmDelete', { id: schedule.id })),
      button('delete-confirm', remove, () => t('schedules.deleted', { id: schedule.id })),
      h('button', { type: 'button', class: 'small secondary', 'data-testid': 'schedule-delete-cancel', onclick: showActions }, t('schedules.delete-cancel')),
    );
  const askDelete = h(
    'button',
    { type: 'button', class: 'small danger', 'data-testid': 'schedule-delete', dataset: { scheduleId: schedule.id }, onclick: confirmDelete },
    t('schedules.delete'),
  );
  function showActions() {
    replaceChildren(
      actions,
      schedule.paused
        ? button('unpause', post('unpause'), () => t('schedules.unpaused', { id: schedule.id }))
        : button('pause', post('pause'), () => t('schedules.pausedOk', { id: schedule.id })),
      button('trigger', post('trigger'), (answer) => triggered(schedule, answer)),
      askDelete,
    );
  }
  showActions();
  return h(
    'tr',
    { 'data-testid': 'schedule-row', dataset: { scheduleId: schedule.id, paused: String(schedule.paused) } },
    h('td', {}, h('code', {}, schedule.id)),
    h('td', {}, scopeText(schedule.scope)),
    h('td', {}, whenText(schedule)),
    h('td', {}, t(schedule.paused ? 'schedules.paused' : 'schedules.active')),
    h('td', {}, formatTime(schedule.nextActionTimes?.[0], schedule.timeZone)),
    h('td', { 'data-testid': 'schedule-next-period' }, schedule.nextPeriod ?? ''),
    h('td', {}, lastRunCell(schedule.lastRun)),
    h('td', {}, schedule.note ?? ''),
    actions,
  );
}

/** The month-end schedules: list with pause/unpause/trigger/delete, and a form to create one. */
export function mountSchedules(box, { onChange = () => {} } = {}) {
  const list = h('div', { id: 'schedules-table' });
  async function load() {
    try {
      const { items } = await api.get('/api/v1/schedules');
      const headings = ['id', 'scope', 'when', 'state', 'next', 'nextPeriod', 'lastRun', 'note', 'actions'].map((c) => t(`schedules.col.${c}`));
      replaceChildren(
        list,
        items.length === 0
          ? h('p', { class: 'empty' }, t('schedules.empty'))
          : table(
              headings,
              items.map((s) => scheduleRow(s, afterAct)),
            ),
      );
    } catch (err) {
      // Only administrators manage schedules: others are told so in their language, without the form.
      const denied = err.code === 'PERMISSION_DENIED';
      createBox.hidden = denied;
      replaceChildren(list, h('p', { class: 'empty', 'data-testid': 'schedules-error' }, denied ? t('schedules.adminsOnly') : errorText(err)));
    }
  }
  const afterAct = () => {
    load();
    onChange();
  };
  const createBox = h('div', { id: 'schedule-create' }, h('h4', {}, t('schedules.create')), createForm(load));
  replaceChildren(box, h('h3', {}, t('schedules.heading')), list, createBox);
  load();
  return () => {};
}
