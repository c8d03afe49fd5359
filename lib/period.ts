/** Periods are calendar months written YYYY-MM. Pure functions: safe in workflow code too. */
export const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(text: string): boolean {
  return PERIOD_PATTERN.test(text);
}

export function shiftPeriod(period: string, months: number): string {
  const m = PERIOD_PATTERN.exec(period);
  if (!m) throw new RangeError(`"${period}" is not a period (YYYY-MM)`);
  const index = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export const nextPeriod = (p: string): string => shiftPeriod(p, 1);
export const previousPeriod = (p: string): string => shiftPeriod(p, -1);

/**
 * One formatter per time zone: making one costs far more than using it, and every close asks for the
 * current period (its preconditions) — a few hundred microseconds a close in a month-end's worker. An
 * unknown zone throws (RangeError) and is never kept.
 */
const monthFormats = new Map<string, Intl.DateTimeFormat>();
function monthFormat(timeZone: string): Intl.DateTimeFormat {
  let format = monthFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    monthFormats.set(timeZone, format);
  }
  return format;
}

/** The period a given instant falls in, in a time zone (Asia/Shanghai for Chinese ledgers). */
export function periodOf(instant: Date, timeZone = 'Asia/Shanghai'): string {
  const parts = monthFormat(timeZone).formatToParts(instant);
  const year = parts.find((p) => p.type === 'year')!.value;
  const month = parts.find((p) => p.type === 'month')!.value;
  return `${year}-${month}`;
}

/** True once the whole month is over in that time zone: only ended periods can be closed. */
export function hasEnded(period: string, now: Date, timeZone = 'Asia/Shanghai'): boolean {
  return period < periodOf(now, timeZone);
}
