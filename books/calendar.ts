import type { DataSource, EntityManager } from 'typeorm';
import { audit } from '../db/session';
import { one, rows } from '../db/sql';
import { AppError } from '../lib/errors';
import { findLedger } from './ledgers';
import type { LedgerScope } from './scope';

/**
 * A federation's close calendar (#18): the due date of a period is its `workingDay`-th working day
 * of the next month, in `timeZone`; `holidays` are not worked, `workdays` are weekend days that are
 * (调休). Its subtree inherits it. The due dates themselves are computed by the database
 * (`close_due_at`, migration CloseCalendar), so lists of closes read them set-based.
 */
export interface CloseCalendar {
  ledger: string;
  workingDay: number;
  timeZone: string;
  holidays: string[];
  workdays: string[];
  updatedBy: string;
  updatedAt: string;
}

export type CalendarInput = Pick<CloseCalendar, 'workingDay' | 'timeZone' | 'holidays' | 'workdays'>;

/** Replaces the ledger's calendar whole, in one transaction, audited. */
export async function setCalendar(ds: DataSource, actor: string, ledgerCode: string, input: CalendarInput, scope: LedgerScope = null): Promise<CloseCalendar> {
  const ledger = await findLedger(ds, ledgerCode, scope);
  const known = await one(ds, `SELECT 1 FROM pg_timezone_names WHERE name = $1`, [input.timeZone]);
  if (!known) throw new AppError('CALENDAR_INVALID', `"${input.timeZone}" is not a time zone PostgreSQL knows.`, { field: 'timeZone' });
  const both = input.holidays.filter((d) => input.workdays.includes(d));
  if (both.length > 0) throw new AppError('CALENDAR_INVALID', 'A day cannot be both a holiday and a workday.', { days: both });
  await ds.transaction(async (em) => {
    await em.query(
      `INSERT INTO close_calendar (ledger_id, working_day, time_zone, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (ledger_id) DO UPDATE SET working_day = EXCLUDED.working_day, time_zone = EXCLUDED.time_zone,
         updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [ledger.id, input.workingDay, input.timeZone, actor],
    );
    await em.query(`DELETE FROM calendar_day WHERE ledger_id = $1`, [ledger.id]);
    await em.query(
      `INSERT INTO calendar_day (ledger_id, day, kind)
       SELECT $1::int, d::date, 'holiday' FROM unnest($2::text[]) d UNION ALL SELECT $1::int, d::date, 'workday' FROM unnest($3::text[]) d
       ON CONFLICT DO NOTHING`,
      [ledger.id, input.holidays, input.workdays],
    );
    await audit(em, { actor, action: 'calendar.set', ledgerId: ledger.id, target: ledger.code, details: { ...input } });
  });
  return (await getCalendar(ds, ledgerCode))!;
}

/** The ledger's own calendar (not an inherited one), or undefined. */
export async function getCalendar(db: DataSource | EntityManager, ledgerCode: string, scope: LedgerScope = null): Promise<CloseCalendar | undefined> {
  const ledger = await findLedger(db, ledgerCode, scope);
  const cal = await one<{ workingDay: number; timeZone: string; updatedBy: string; updatedAt: Date }>(
    db,
    `SELECT working_day AS "workingDay", time_zone AS "timeZone", updated_by AS "updatedBy", updated_at AS "updatedAt" FROM close_calendar WHERE ledger_id = $1`,
    [ledger.id],
  );
  if (!cal) return undefined;
  const days = await rows<{ day: string; kind: string }>(
    db,
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_day WHERE ledger_id = $1 ORDER BY day`,
    [ledger.id],
  );
  return {
    ledger: ledger.code,
    ...cal,
    updatedAt: cal.updatedAt.toISOString(),
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.day),
    workdays: days.filter((d) => d.kind === 'workday').map((d) => d.day),
  };
}

/** The due date (YYYY-MM-DD) and the moment it ends, of a ledger's period; nulls when no calendar covers the ledger. */
export async function dueOf(db: DataSource | EntityManager, ledgerId: number, period: string): Promise<{ dueDate: string | null; dueAt: string | null }> {
  const row = await one<{ dueDate: string | null; dueAt: Date | null }>(
    db,
    `SELECT to_char(close_due_date($1, $2), 'YYYY-MM-DD') AS "dueDate", close_due_at($1, $2) AS "dueAt"`,
    [ledgerId, period],
  );
  return { dueDate: row?.dueDate ?? null, dueAt: row?.dueAt ? row.dueAt.toISOString() : null };
}
