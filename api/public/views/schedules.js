import { api, path } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { act, showError, showOk } from '../flash.js';
import { errorText, formatTime, parseLedgers } from '../format.js';
import { t } from '../i18n.js';
import { table } from './parts.js';

const two = (n) => String(n).padStart(2, '0');

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

function scheduleRow(schedule, reload) {
  const button = (actName, run) => {
    const b = h(
      'button',
      { type: 'button', class: actName === 'delete' ? 'small danger' : 'small', 'data-testid': `schedule-${actName}`, dataset: { scheduleId: schedule.id } },
      t(`schedules.${actName}`),
    );
    b.addEventListener('click', async () => {
      if (await act(b, () => run().then(() => true))) {
        showOk(t('schedules.done', { id: schedule.id, act: t(`schedules.${actName}`) }));
        reload();
      }
    });
    return b;
  };
  const post = (actName) => () => api.post(path`/api/v1/schedules/${schedule.id}/${actName}`);
  return h(
    'tr',
    { 'data-testid': 'schedule-row', dataset: { scheduleId: schedule.id, paused: String(schedule.paused) } },
    h('td', {}, h('code', {}, schedule.id)),
    h('td', {}, scopeText(schedule.scope)),
    h('td', {}, whenText(schedule)),
    h('td', {}, t(schedule.paused ? 'schedules.paused' : 'schedules.active')),
    h('td', {}, formatTime(schedule.nextActionTimes?.[0], schedule.timeZone)),
    h('td', {}, schedule.note ?? ''),
    h(
      'td',
      { class: 'actions' },
      schedule.paused ? button('unpause', post('unpause')) : button('pause', post('pause')),
      button('trigger', post('trigger')),
      button('delete', () => api.delete(path`/api/v1/schedules/${schedule.id}`)),
    ),
  );
}

/** The month-end schedules: list with pause/unpause/trigger/delete, and a form to create one. */
export function mountSchedules(box) {
  const list = h('div', { id: 'schedules-table' });
  async function load() {
    try {
      const { items } = await api.get('/api/v1/schedules');
      const headings = ['id', 'scope', 'when', 'state', 'next', 'note', 'actions'].map((c) => t(`schedules.col.${c}`));
      replaceChildren(
        list,
        items.length === 0
          ? h('p', { class: 'empty' }, t('schedules.empty'))
          : table(
              headings,
              items.map((s) => scheduleRow(s, load)),
            ),
      );
    } catch (err) {
      // Only administrators manage schedules; others see why the list is empty.
      replaceChildren(list, h('p', { class: 'empty', 'data-testid': 'schedules-error' }, errorText(err)));
    }
  }
  replaceChildren(box, h('h3', {}, t('schedules.heading')), list, h('h4', {}, t('schedules.create')), createForm(load));
  load();
  return () => {};
}
