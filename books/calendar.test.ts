import { useTestDatabase } from '../test/helpers/database';
import { createLedger } from '../test/fixtures/books';
import { one, rows } from '../db/sql';
import { dueOf, getCalendar, setCalendar } from './calendar';

const t = useTestDatabase(2);

/** The due date straight from the database's function, as a list would read it. */
const dueDate = async (code: string, period: string) =>
  (await one<{ d: string | null }>(t.ds, `SELECT to_char(close_due_date(id, $2), 'YYYY-MM-DD') AS d FROM ledger WHERE code = $1`, [code, period]))!.d;

describe('the close calendar: due dates computed in SQL', () => {
  beforeAll(async () => {
    await createLedger(t.ds, { code: 'CAL-FED', firstPeriod: '2026-01' });
    await createLedger(t.ds, { code: 'CAL-A', parentCode: 'CAL-FED', firstPeriod: '2026-01' });
    await createLedger(t.ds, { code: 'CAL-A1', parentCode: 'CAL-A', firstPeriod: '2026-01' });
    await createLedger(t.ds, { code: 'CAL-LONE', firstPeriod: '2026-01' });
  });

  it('when no calendar covers a ledger, then its periods have no due date', async () => {
    expect(await dueDate('CAL-LONE', '2026-09')).toBeNull();
    const lone = await one<{ id: number }>(t.ds, `SELECT id FROM ledger WHERE code = 'CAL-LONE'`);
    expect(await dueOf(t.ds, lone!.id, '2026-09')).toEqual({ dueDate: null, dueAt: null });
  });

  it('when the rule is the 3rd working day, then a weekend is skipped (October 2026 starts on a Thursday)', async () => {
    await setCalendar(t.ds, 'test', 'CAL-FED', { workingDay: 3, timeZone: 'Asia/Shanghai', holidays: [], workdays: [] });
    // Thu 1, Fri 2, (Sat 3, Sun 4), Mon 5
    expect(await dueDate('CAL-FED', '2026-09')).toBe('2026-10-05');
  });

  it('when National Day is a holiday list and a Saturday is worked (调休), then the due date follows both', async () => {
    const holidays = ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'];
    await setCalendar(t.ds, 'test', 'CAL-FED', { workingDay: 3, timeZone: 'Asia/Shanghai', holidays, workdays: ['2026-10-10'] });
    // Thu 8, Fri 9, Sat 10 (worked)
    expect(await dueDate('CAL-FED', '2026-09')).toBe('2026-10-10');
    expect(await getCalendar(t.ds, 'CAL-FED')).toMatchObject({ workingDay: 3, holidays, workdays: ['2026-10-10'] });
  });

  it('when the period is December, then the due date is in January of the next year, after New Year', async () => {
    await setCalendar(t.ds, 'test', 'CAL-FED', { workingDay: 3, timeZone: 'Asia/Shanghai', holidays: ['2027-01-01'], workdays: [] });
    // (Fri 1 holiday, weekend) Mon 4, Tue 5, Wed 6
    expect(await dueDate('CAL-FED', '2026-12')).toBe('2027-01-06');
  });

  it('when the working day is beyond the next month (holidays fill it), then it spills into the month after', async () => {
    const february = Array.from({ length: 28 }, (_, i) => `2027-02-${String(i + 1).padStart(2, '0')}`);
    await setCalendar(t.ds, 'test', 'CAL-FED', { workingDay: 2, timeZone: 'Asia/Shanghai', holidays: february, workdays: [] });
    expect(await dueDate('CAL-FED', '2027-01')).toBe('2027-03-02');
  });

  it("when a federation has a calendar, then its whole subtree inherits it, and a ledger's own calendar wins below it", async () => {
    await setCalendar(t.ds, 'test', 'CAL-FED', { workingDay: 1, timeZone: 'Asia/Shanghai', holidays: [], workdays: [] });
    expect(await dueDate('CAL-A', '2026-10')).toBe('2026-11-02'); // Nov 1 is a Sunday
    expect(await dueDate('CAL-A1', '2026-10')).toBe('2026-11-02');
    await setCalendar(t.ds, 'test', 'CAL-A', { workingDay: 5, timeZone: 'Asia/Shanghai', holidays: [], workdays: [] });
    expect(await dueDate('CAL-A1', '2026-10')).toBe('2026-11-06');
    expect(await dueDate('CAL-FED', '2026-10')).toBe('2026-11-02');
  });

  it('when due dates are asked for many ledgers in one statement, then each gets its own (set-based)', async () => {
    const found = await rows<{ code: string; d: string | null }>(
      t.ds,
      `SELECT code, to_char(close_due_date(id, '2026-10'), 'YYYY-MM-DD') AS d FROM ledger WHERE code LIKE 'CAL-%' ORDER BY code`,
    );
    expect(found).toEqual([
      { code: 'CAL-A', d: '2026-11-06' },
      { code: 'CAL-A1', d: '2026-11-06' },
      { code: 'CAL-FED', d: '2026-11-02' },
      { code: 'CAL-LONE', d: null },
    ]);
  });

  it("when the due date ends, then it ends at midnight of the calendar's time zone", async () => {
    const fed = await one<{ id: number }>(t.ds, `SELECT id FROM ledger WHERE code = 'CAL-FED'`);
    expect(await dueOf(t.ds, fed!.id, '2026-10')).toEqual({ dueDate: '2026-11-02', dueAt: '2026-11-02T16:00:00.000Z' });
    await setCalendar(t.ds, 'test', 'CAL-FED', { workingDay: 1, timeZone: 'UTC', holidays: [], workdays: [] });
    expect((await dueOf(t.ds, fed!.id, '2026-10')).dueAt).toBe('2026-11-03T00:00:00.000Z');
  });

  it('when the time zone is unknown or a day is both a holiday and a workday, then nothing is written', async () => {
    const before = await getCalendar(t.ds, 'CAL-FED');
    await expect(setCalendar(t.ds, 'test', 'CAL-FED', { workingDay: 2, timeZone: 'Mars/Olympus', holidays: [], workdays: [] })).rejects.toMatchObject({
      code: 'CALENDAR_INVALID',
    });
    await expect(
      setCalendar(t.ds, 'test', 'CAL-FED', { workingDay: 2, timeZone: 'UTC', holidays: ['2026-11-07'], workdays: ['2026-11-07'] }),
    ).rejects.toMatchObject({ code: 'CALENDAR_INVALID' });
    expect(await getCalendar(t.ds, 'CAL-FED')).toEqual(before);
  });
});
