import { byId, h, replaceChildren } from './dom.js';
import { errorText } from './format.js';

/** One message under the header: what just succeeded, or what failed as "CODE: message". */
let onUnauthenticated = () => {};

export function whenUnauthenticated(handler) {
  onUnauthenticated = handler;
}

export function showOk(text) {
  replaceChildren(byId('flash'), h('div', { class: 'flash ok', 'data-testid': 'flash-ok' }, text));
}

export function showError(err) {
  replaceChildren(byId('flash'), h('div', { class: 'flash error', role: 'alert', 'data-testid': 'flash-error' }, errorText(err)));
  // A revoked or expired token: back to sign-in, with the error still shown.
  if (err?.status === 401) onUnauthenticated();
}

export function clearFlash() {
  replaceChildren(byId('flash'));
}

/** Runs an act for a button: disabled while it runs, its failure shown, its result returned. */
export async function act(button, work) {
  if (button) button.disabled = true;
  try {
    return await work();
  } catch (err) {
    showError(err);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}
