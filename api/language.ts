import type { Request } from 'express';
import type { Language } from '../i18n/labels';

/**
 * The reader's language from `Accept-Language`: Chinese for any zh tag, else English. The dashboard
 * sends zh-CN unless its user chose English; a script that sends nothing reads English.
 */
export function languageOf(req: Pick<Request, 'acceptsLanguages' | 'get'>): Language {
  if (!req.get('accept-language')) return 'en';
  const best = req.acceptsLanguages('zh-CN', 'zh', 'en');
  return typeof best === 'string' && best.startsWith('zh') ? 'zh-CN' : 'en';
}
