import type { Request } from 'express';
import type { Language } from '../i18n/labels';

/**
 * The reader's language from `Accept-Language`: Chinese for any zh tag, else English. The dashboard
 * sends zh-CN unless its user chose English; a script that sends nothing reads English.
 */
export function languageOf(req: Pick<Request, 'acceptsLanguages' | 'get'>): Language {
  if (!req.get('accept-language')) return 'en';
  // English first: a client that accepts anything (`*`, as Node's fetch sends) reads English too.
  const best = req.acceptsLanguages('en', 'zh-CN', 'zh');
  return typeof best === 'string' && best.startsWith('zh') ? 'zh-CN' : 'en';
}
