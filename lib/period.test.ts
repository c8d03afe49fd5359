import { hasEnded, nextPeriod, periodOf, previousPeriod } from './period';

describe('periods (lib/period.ts)', () => {
  it('when an instant is near midnight at a month end, then its period is the month of the ledger’s time zone', () => {
    const instant = new Date('2026-10-31T16:30:00Z'); // 00:30 on 1 November in Shanghai
    expect(periodOf(instant)).toBe('2026-11');
    expect(periodOf(instant, 'UTC')).toBe('2026-10');
    expect(periodOf(instant, 'America/New_York')).toBe('2026-10');
  });

  it('when the same zones are asked again and again (a month-end asks per close), then each answer stays its own', () => {
    const instants = ['2026-01-31T15:59:59Z', '2026-01-31T16:00:00Z', '2026-12-31T23:59:59Z'].map((t) => new Date(t));
    for (let round = 0; round < 3; round++) {
      expect(instants.map((i) => periodOf(i))).toEqual(['2026-01', '2026-02', '2027-01']);
      expect(instants.map((i) => periodOf(i, 'UTC'))).toEqual(['2026-01', '2026-01', '2026-12']);
    }
  });

  it('when a time zone is unknown, then every call refuses it (never kept as if it were one)', () => {
    for (let k = 0; k < 2; k++) expect(() => periodOf(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('when a period has ended in its zone, then it may be closed; the current one may not', () => {
    const now = new Date('2026-11-01T00:30:00+08:00');
    expect(hasEnded('2026-10', now)).toBe(true);
    expect(hasEnded('2026-11', now)).toBe(false);
    expect(hasEnded('2026-10', now, 'UTC')).toBe(false);
    expect([previousPeriod('2026-01'), nextPeriod('2026-12')]).toEqual(['2025-12', '2027-01']);
  });
});
