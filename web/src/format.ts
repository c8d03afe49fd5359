import { getLanguage } from './i18n';

const locale = () => (getLanguage() === 'zh' ? 'zh-CN' : 'en-GB');

// Units of a duration in each language: 3m 05s reads 3分05秒 in Chinese.
const UNITS: Record<string, string[]> = { zh: ['秒', '分', '小时', '天'], en: ['s', 'm ', 'h ', 'd '] };

// Most steps of a close take milliseconds: "took 0s" would read as if the step did nothing.
const UNDER_A_SECOND: Record<string, string> = { zh: '不到1秒', en: 'under 1s' };

/** under 1s, 45s, 3m 05s, 2h 04m, 3d 02h (不到1秒, 45秒, 3分05秒, 2小时04分, 3天02小时) — closectl's reading, in the reader's language. */
export function formatDuration(ms: number): string {
  const language = getLanguage();
  const [sec, min, hour, day] = UNITS[language] ?? UNITS.en;
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  if (s === 0) return UNDER_A_SECOND[language] ?? UNDER_A_SECOND.en;
  if (s < 60) return `${s}${sec}`;
  if (s < 3600) return `${Math.floor(s / 60)}${min}${two(s % 60)}${sec}`;
  if (s < 86400) return `${Math.floor(s / 3600)}${hour}${two(Math.floor((s % 3600) / 60))}${min.trim()}`;
  return `${Math.floor(s / 86400)}${day}${two(Math.floor((s % 86400) / 3600))}${hour.trim()}`;
}

/**
 * "-14614.00" → "-14,614.00": the API's decimal yuan regrouped by digits, never through a float
 * (the API's amounts are strings of decimal yuan).
 */
export function formatAmount(amount: string | number): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(String(amount));
  if (!m) return String(amount);
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

export function durationBetween(startedAt?: string | null, endedAt?: string | null, now = Date.now()): string {
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
export function formatTime(iso?: string | null, timeZone: string = BOOKS_TIME_ZONE): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString(locale(), { hour12: false, timeZone });
}

export interface StepLike {
  name: string;
  state: string;
}
export const stepsDone = (steps: StepLike[] = []) => steps.filter((s) => s.state === 'done').length;
export const currentStep = <S extends StepLike>(steps: S[] = []): S | undefined => steps.find((s) => s.state !== 'done');
export const isLive = (close: { state: string }) => close.state === 'running' || close.state === 'blocked';

/** The API's error as the user sees it: "CODE: message". */
export const errorText = (err: unknown): string => {
  const e = err as { code?: string; message?: string } | null;
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
};

/** "GH-001, GH-002" or "GH-001，GH-002" (a Chinese comma) → ['GH-001', 'GH-002']. */
export const parseLedgers = (text: string): string[] =>
  text
    .split(/[,，\s]+/)
    .map((l) => l.trim())
    .filter(Boolean);

/** "1234.50" → 123450n: sums of the API's amounts in the browser are integer fen, as everywhere else. */
export function yuanToFen(amount: string): bigint {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(amount);
  if (!m) throw new RangeError(`"${amount}" is not an amount in yuan with two decimals`);
  const fen = BigInt(m[2] + m[3]);
  return m[1] ? -fen : fen;
}

/** 123456789n fen → "1,234,567.89" yuan: BigInt arithmetic and grouping, never a float. */
export function formatFen(fen: bigint): string {
  const abs = fen < 0n ? -fen : fen;
  return `${fen < 0n ? '-' : ''}${(abs / 100n).toLocaleString('en-US')}.${String(abs % 100n).padStart(2, '0')}`;
}

/** The month before this one: the period a finance team closes at the start of a month. */
export function lastMonth(now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** A period as the API writes it: YYYY-MM. */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
