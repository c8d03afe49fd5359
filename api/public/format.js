import { getLanguage, locale } from './i18n.js';

// Units of a duration in each language: 3m 05s reads 3分05秒 in Chinese.
const UNITS = { zh: ['秒', '分', '小时', '天'], en: ['s', 'm ', 'h ', 'd '] };

/** 45s, 3m 05s, 2h 04m, 3d 02h (45秒, 3分05秒, 2小时04分, 3天02小时) — closectl's reading, in the reader's language. */
export function formatDuration(ms) {
  const [sec, min, hour, day] = UNITS[getLanguage()] ?? UNITS.en;
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n) => String(n).padStart(2, '0');
  if (s < 60) return `${s}${sec}`;
  if (s < 3600) return `${Math.floor(s / 60)}${min}${two(s % 60)}${sec}`;
  if (s < 86400) return `${Math.floor(s / 3600)}${hour}${two(Math.floor((s % 3600) / 60))}${min.trim()}`;
  return `${Math.floor(s / 86400)}${day}${two(Math.floor((s % 86400) / 3600))}${hour.trim()}`;
}

/**
 * "-14614.00" → "-14,614.00": the API's decimal yuan regrouped by digits, never through a float
 * (lib/money's groupThousands, which the dashboard cannot import without a build step).
 */
export function formatAmount(amount) {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(String(amount));
  if (!m) return String(amount);
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

export function durationBetween(startedAt, endedAt, now = Date.now()) {
  if (!startedAt) return '';
  const end = endedAt ? Date.parse(endedAt) : now;
  return formatDuration(end - Date.parse(startedAt));
}

/**
 * The books' time zone, Beijing time, as the ledger's page, closectl (--tz) and the close calendar
 * read them: a close started at 00:30 on the 1st is on the 1st wherever the browser is.
 */
export const BOOKS_TIME_ZONE = 'Asia/Shanghai';

/** In Beijing time unless another zone is given (a schedule's next run reads best in its own). */
export function formatTime(iso, timeZone = BOOKS_TIME_ZONE) {
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
