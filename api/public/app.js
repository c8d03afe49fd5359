/**
 * The close dashboard: sign-in, then hash routes — #/closes, #/closes/<id>, #/board, #/month-end[/<id>],
 * #/ledgers/<code>[/<period>] (a ledger's page).
 * Each view mounts into #view and returns a function that stops its timers.
 */
import { request, session } from './api.js';
import { byId, replaceChildren } from './dom.js';
import { act, clearFlash, showError, whenUnauthenticated } from './flash.js';
import { applyLanguage, getLanguage, onLanguageChange, setLanguage } from './i18n.js';
import { forgetMe, loadMe, me } from './me.js';
import { mountBoardView } from './views/board.js';
import { mountCloseView } from './views/close.js';
import { mountClosesView } from './views/closes.js';
import { mountLedgerView } from './views/ledger.js';
import { mountMonthEndView } from './views/month-end.js';

const routes = [
  { pattern: /^#\/closes\/([^/]+)$/, nav: 'nav-closes', mount: (el, [id]) => mountCloseView(el, id) },
  { pattern: /^#\/month-end(?:\/([^/]+))?$/, nav: 'nav-month-end', mount: (el, [id]) => mountMonthEndView(el, id) },
  { pattern: /^#\/closes$/, nav: 'nav-closes', mount: (el) => mountClosesView(el) },
  { pattern: /^#\/board$/, nav: 'nav-board', mount: (el) => mountBoardView(el) },
  { pattern: /^#\/ledgers\/([^/]+)(?:\/([^/]+))?$/, nav: null, mount: (el, [code, period]) => mountLedgerView(el, code, period) },
];

let unmount = () => {};

function render() {
  unmount();
  unmount = () => {};
  const view = replaceChildren(byId('view'));
  const signedIn = session.signedIn();
  byId('sign-in-view').hidden = signedIn;
  byId('nav').hidden = !signedIn;
  byId('sign-out').hidden = !signedIn;
  if (!signedIn) {
    byId('name-input').focus();
    return;
  }
  // Who is signed in decides which acts the views offer: known before any view is drawn.
  if (!me()) {
    loadMe().then(render, showError);
    return;
  }
  const route = routes.find((r) => r.pattern.test(location.hash));
  if (!route) {
    location.replace('#/closes');
    return;
  }
  const params = route.pattern
    .exec(location.hash)
    .slice(1)
    .map((p) => (p === undefined ? undefined : decodeURIComponent(p)));
  for (const link of byId('nav').querySelectorAll('a')) link.classList.toggle('active', link.id === route.nav);
  unmount = route.mount(view, params) ?? (() => {});
}

async function signIn(event) {
  event.preventDefault();
  const input = byId('token-input');
  const token = input.value.trim();
  // The token is checked against the API before it is kept, so a typo shows at once.
  const ok = await act(byId('sign-in'), () => request('GET', '/api/v1/me', { token }).then(() => true));
  if (!ok) return;
  session.signIn(token);
  input.value = '';
  clearFlash();
  render();
}

/** People sign in with name and password: the API sets the session cookie and answers the CSRF token. */
async function signInWithPassword(event) {
  event.preventDefault();
  const name = byId('name-input');
  const password = byId('password-input');
  const body = { name: name.value.trim(), password: password.value };
  const answer = await act(byId('password-sign-in'), () => request('POST', '/api/v1/session', { body, token: null }));
  password.value = '';
  if (!answer) return;
  session.signInWithPassword(answer.csrfToken);
  clearFlash();
  render();
}

async function signOut() {
  // A password session ends on the server too, not only in this tab.
  if (session.csrf()) await request('DELETE', '/api/v1/session').catch(() => undefined);
  session.signOut();
  forgetMe();
  clearFlash();
  location.hash = '#/closes';
  render();
}

function start() {
  applyLanguage(document);
  const language = byId('language');
  language.value = getLanguage();
  language.addEventListener('change', () => setLanguage(language.value));
  onLanguageChange(render);
  byId('sign-in-form').addEventListener('submit', (event) => signIn(event).catch(showError));
  byId('password-sign-in-form').addEventListener('submit', (event) => signInWithPassword(event).catch(showError));
  byId('sign-out').addEventListener('click', () => signOut().catch(showError));
  whenUnauthenticated(() => {
    session.signOut();
    forgetMe();
    render();
  });
  window.addEventListener('hashchange', () => {
    clearFlash();
    render();
  });
  render();
}

start();
