/** The time zone Chinese finance teams read their books in, unless told otherwise. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Whether the runtime knows this IANA zone (Asia/Shanghai, UTC, Europe/Berlin …). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * An instant as the wall clock of a zone shows it, with the zone's offset so the text stays
 * unambiguous when copied elsewhere: "2026-11-01T00:00:05Z" in Asia/Shanghai → "2026-11-01 08:00:05 +08:00".
 * Null, undefined and text that is not a time pass through (as "" and unchanged).
 */
export function formatLocalTime(instant: string | Date | null | undefined, zone: string = DEFAULT_TIME_ZONE): string {
  if (instant === null || instant === undefined) return '';
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) return String(instant);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  // longOffset reads "GMT+08:00", or plain "GMT" for UTC itself.
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${offset}`;
}
