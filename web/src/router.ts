/**
 * Hash routes — #/closes, #/closes/<id>, #/board, #/month-end[/<id>], #/ledgers/<code>[/<period>] —
 * so every view has a URL a finance manager can bookmark or send, and the API serves one page.
 */
import { useEffect, useState } from 'react';

export function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

export const closeHref = (id: string) => `#/closes/${encodeURIComponent(id)}`;
export const ledgerHref = (code: string, period?: string | null) => `#/ledgers/${encodeURIComponent(code)}${period ? `/${encodeURIComponent(period)}` : ''}`;
export const monthEndHref = (id?: string) => (id ? `#/month-end/${encodeURIComponent(id)}` : '#/month-end');

/** Repeats `work` every `ms` while the view is shown (live refresh), and stops when it leaves. */
export function useInterval(work: () => void, ms: number | null): void {
  useEffect(() => {
    if (ms === null) return;
    const timer = setInterval(work, ms);
    return () => clearInterval(timer);
  }, [work, ms]);
}
