/**
 * Labels in Chinese (default) and English. Codes (VOUCHER_SUBMITTED, PERIOD_CLOSED …) stay as
 * they are in both languages: they are what operations search the log and the docs for.
 */
import { codeLabels } from './code-labels.js';
import { MESSAGES_EN } from './messages-en.js';
import { MESSAGES_ZH } from './messages-zh.js';

const LANG_KEY = 'closeDashboard.lang';
const MESSAGES = { zh: { ...codeLabels(0), ...MESSAGES_ZH }, en: { ...codeLabels(1), ...MESSAGES_EN } };
export const LANGUAGES = ['zh', 'en'];

let current = LANGUAGES.includes(localStorage.getItem(LANG_KEY)) ? localStorage.getItem(LANG_KEY) : 'zh';
const listeners = new Set();

export const getLanguage = () => current;

export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang) || lang === current) return;
  current = lang;
  localStorage.setItem(LANG_KEY, lang);
  applyLanguage(document);
  for (const listener of listeners) listener(lang);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `t('closes.count', { n: 3 })`: a missing key falls back to English, then to the key itself. */
export function t(key, vars = {}) {
  const text = MESSAGES[current][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? `{${name}}` : String(vars[name])));
}

/** A label for a code if there is one (step, state, blocker, role, field), else the code itself. */
export function label(kind, code) {
  const key = `${kind}.${code}`;
  return MESSAGES[current][key] ?? MESSAGES.en[key] ?? code;
}

export function locale() {
  return current === 'zh' ? 'zh-CN' : 'en-GB';
}

/** Static markup marks its texts with data-i18n / data-i18n-placeholder / data-i18n-title. */
export function applyLanguage(root) {
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  document.title = t('app.title');
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}
