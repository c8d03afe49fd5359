/**
 * Labels in Chinese (default) and English. Codes (VOUCHER_SUBMITTED, PERIOD_CLOSED …) stay as they
 * are in both languages: they are what operations search the log and the docs for. The names of the
 * codes come from the server's own table (i18n/labels.ts), built in, so both name a code alike.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { LABELS } from '../../i18n/labels';
import { MESSAGES_EN } from './messages-en';
import { MESSAGES_ZH } from './messages-zh';

export type Language = 'zh' | 'en';
export const LANGUAGES: Language[] = ['zh', 'en'];
const LANG_KEY = 'closeDashboard.lang';

const codeLabels = (index: 0 | 1): Record<string, string> => Object.fromEntries(Object.entries(LABELS).map(([key, pair]) => [key, pair[index]]));
const MESSAGES: Record<Language, Record<string, string>> = { zh: { ...codeLabels(0), ...MESSAGES_ZH }, en: { ...codeLabels(1), ...MESSAGES_EN } };

/** Every code with a label of a kind (`blocker` → the blocker codes), in the table's order. */
export const codesOf = (kind: string): string[] =>
  Object.keys(LABELS)
    .filter((k) => k.startsWith(`${kind}.`))
    .map((k) => k.slice(kind.length + 1));

const stored = localStorage.getItem(LANG_KEY);
let current: Language = LANGUAGES.includes(stored as Language) ? (stored as Language) : 'zh';

/** The language of this tab, for code outside React (the API's Accept-Language). */
export const getLanguage = (): Language => current;

export type Vars = Record<string, unknown>;

/** `t('closes.count', { n: 3 })`: a missing key falls back to English, then to the key itself. */
export function translate(language: Language, key: string, vars: Vars = {}): string {
  const text = MESSAGES[language][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (vars[name] === undefined || vars[name] === null ? `{${name}}` : String(vars[name])));
}

/** A label for a code if there is one (step, state, blocker, role, field), else the code itself. */
export function labelIn(language: Language, kind: string, code: string): string {
  const key = `${kind}.${code}`;
  return MESSAGES[language][key] ?? MESSAGES.en[key] ?? code;
}

/** The page says its language from the start (a reload in English stays English, lang included). */
document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
document.title = translate(current, 'app.title');

export interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  t(key: string, vars?: Vars): string;
  label(kind: string, code: string): string;
  /** The locale dates and numbers are written in. */
  locale: string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(current);
  const setLang = useCallback((next: Language) => {
    if (!LANGUAGES.includes(next)) return;
    current = next;
    localStorage.setItem(LANG_KEY, next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    document.title = translate(next, 'app.title');
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      label: (kind, code) => labelIn(lang, kind, code),
      locale: lang === 'zh' ? 'zh-CN' : 'en-GB',
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
