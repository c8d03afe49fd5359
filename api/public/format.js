import { locale } from './i18n.js';

/** 45s, 3m 05s, 2h 04m, 3d 02h — the same reading as closectl's. */
export function formatDuration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${two(Math.floor((s % 86400) / 3600))}h`;
}

export function durationBetween(startedAt, endedAt, now = Date.now()) {
  if (!startedAt) return '';
  const end = endedAt ? Date.parse(endedAt) : now;
  return formatDuration(end - Date.parse(startedAt));
}

/** In the browser's time zone unless one is given (a schedule's next run reads best in its own). */
export function formatTime(iso, timeZone = undefined) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString(locale(), { hour12: false, timeZone });
}

export const stepsDone = (steps = []) => steps.filter((s) => s.state === 'done').length;
export const currentStep = (steps = []) => steps.find((s) => s.state !== 'done');
export const isLive = (close) => close.state === 'running' || close.state === 'blocked';

/** The API's error as the user sees it: "CODE: message". */
export const errorText = (err) => (err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? err));

/** "GH-001, GH-002" or "GH-001，GH-002" (a Chinese comma) → ['GH-001', 'GH-002']. */
export const parseLedgers = (text) =>
  text
    .split(/[,，\s]+/)
    .map((l) => l.trim())
    .filter(Boolean);

/** "1234.50" → 123450n: sums of the API's amounts in the browser are integer fen, as everywhere else. */
export function yuanToFen(amount) {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(amount);
  if (!m) throw new RangeError(`"${amount}" is not an amount in yuan with two decimals`);
  const fen = BigInt(m[2] + m[3]);
  return m[1] ? -fen : fen;
}

/** 123456789n fen → "1,234,567.89" yuan: BigInt arithmetic and grouping, never a float. */
export function formatFen(fen) {
  const abs = fen < 0n ? -fen : fen;
  return `${fen < 0n ? '-' : ''}${(abs / 100n).toLocaleString('en-US')}.${String(abs % 100n).padStart(2, '0')}`;
}
