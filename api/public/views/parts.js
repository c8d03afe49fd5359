import { h } from '../dom.js';
import { label } from '../i18n.js';

/** A close's or step's state as a coloured badge; data-state lets tests and styles read it. */
export function stateBadge(state, attrs = {}) {
  return h('span', { class: `badge state-${state}`, dataset: { state }, ...attrs }, label('state', state));
}

/** A table from column headings and rows of cells (text or elements). */
export function table(headings, rows, attrs = {}) {
  return h(
    'table',
    attrs,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headings.map((text) => h('th', {}, text)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

/** An input with a button: a reason-taking act (defer, cancel, reopen). */
export function reasonForm({ id, placeholder, buttonText, buttonId, required, className = 'inline-form', attrs = {}, onSubmit }) {
  const input = h('input', { id, placeholder, 'aria-label': placeholder, required, maxlength: 1000, ...attrs.input });
  const button = h('button', { id: buttonId, type: 'submit', ...attrs.button }, buttonText);
  const form = h('form', { class: className }, input, button);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit(input.value.trim(), button, input);
  });
  return form;
}
