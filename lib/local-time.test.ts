import { groupThousands } from './money';
import { formatLocalTime, isTimeZone } from './local-time';

describe('formatLocalTime', () => {
  it('when no zone is given, then the instant reads in Asia/Shanghai with its offset', () => {
    expect(formatLocalTime('2026-10-31T16:00:05.123Z')).toBe('2026-11-01 00:00:05 +08:00');
  });

  it('when a zone is given, then its wall clock and offset; UTC reads +00:00', () => {
    expect(formatLocalTime('2026-10-31T16:00:05Z', 'UTC')).toBe('2026-10-31 16:00:05 +00:00');
    expect(formatLocalTime(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe('2026-07-01 08:00:00 -04:00');
  });

  it('when there is no time or it is not one, then nothing or the text as it came', () => {
    expect(formatLocalTime(null)).toBe('');
    expect(formatLocalTime('not a time')).toBe('not a time');
  });

  it('when a zone is unknown, then isTimeZone says so', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('groupThousands', () => {
  it('when an amount has more than three whole digits, then commas group them; the fen stay exact', () => {
    expect(groupThousands('14614.00')).toBe('14,614.00');
    expect(groupThousands('-1234567.89')).toBe('-1,234,567.89');
    expect(groupThousands('999.99')).toBe('999.99');
    expect(groupThousands('90071992547409931.01')).toBe('90,071,992,547,409,931.01');
  });

  it('when the text is not an amount, then it is left as it is', () => {
    expect(groupThousands('buyerName')).toBe('buyerName');
    expect(groupThousands('')).toBe('');
  });
});
