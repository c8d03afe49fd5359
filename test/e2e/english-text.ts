import type { Page } from 'playwright-core';

/**
 * The English a Chinese reader would meet on the page: every visible text node, and the placeholders
 * and titles of the controls, that still holds two English words in a row once what is not language
 * is taken out — codes (VOUCHER_SUBMITTED), ledger codes and numbers (UI-ZH-01, BX-1-2746), ids,
 * e-mail and web addresses, and the few names a finance team reads as they are (Temporal, Webhook).
 * One English word alone (a user's name such as `clerk`, the language picker's "English") passes.
 */
export async function englishOnPage(page: Page): Promise<string[]> {
  const texts = (await page.evaluate(READ_TEXTS)) as string[];
  return texts.filter(isEnglish);
}

// Run in the page (a string: the tests' tsconfig has no DOM types). Option lists are read only when
// opened, and the language picker names each language in its own, so options are left out.
const READ_TEXTS = `(() => {
  const seen = [];
  const visible = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden' || e.hidden) return false;
    }
    return true;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent || '').trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest('script, style, option') || !visible(parent)) continue;
    seen.push(text);
  }
  for (const el of document.querySelectorAll('input, textarea, button, a, [title]')) {
    if (!visible(el)) continue;
    for (const attr of ['placeholder', 'title', 'aria-label']) {
      const value = el.getAttribute(attr);
      if (value) seen.push(value);
    }
  }
  return seen;
})()`;

const NOT_LANGUAGE = [
  /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g, // error and blocker codes
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // ids
  /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, // e-mail addresses
  /\bhttps?:\/\/\S+/g,
  /\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+\b/g, // ledger codes, document numbers, periods
  /\b(?:Temporal|Webhook|WeCom|DingTalk|JSON|CSV|XLSX|API|CSRF|UTC|Asia\/Shanghai|YYYY-MM|closectl|Bearer)\b/g,
];

export function isEnglish(text: string): boolean {
  let rest = text;
  for (const pattern of NOT_LANGUAGE) rest = rest.replace(pattern, ' ');
  return /\b[A-Za-z]{2,}\b[\s,.:;'’()-]+\b[A-Za-z]{2,}\b/.test(rest);
}
