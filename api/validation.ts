import { z } from 'zod';
import { AppError } from '../lib/errors';
import { PERIOD_PATTERN } from '../lib/period';
import { findHostileText } from '../lib/text';

/**
 * The building blocks every request schema is made of. Identifiers are validated by pattern before
 * they reach SQL or Temporal, so an injection attempt is a 400, never a query.
 */
// A period that fails its pattern answers PERIOD_INVALID rather than the generic VALIDATION_FAILED.
const PERIOD_ISSUE = 'PERIOD_INVALID: a period is written YYYY-MM, for example 2026-10';

export const periodSchema = z
  .string()
  .regex(PERIOD_PATTERN, { error: PERIOD_ISSUE })
  .meta({ description: 'A calendar month, YYYY-MM', examples: ['2026-10'] });
export const ledgerCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/)
  .meta({ description: 'Ledger (账套) code' });
export const closeIdSchema = z.uuid().meta({ description: 'Close id (a UUID)' });
export const numericIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,17}$/)
  .meta({ description: 'Numeric id' });
export const scheduleIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/)
  .meta({ description: 'Schedule id' });
export const monthEndIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/)
  .meta({ description: 'Month-end id' });
export const reasonSchema = z.string().trim().min(1).max(1000);
export const limitSchema = z.coerce.number().int().min(1).max(500).default(50);
export const cursorSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,400}$/)
  .meta({ description: "Opaque cursor from a previous page's `next`" });

/** Parses a request part with a strict schema; the failure is a 400 naming every bad field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message }));
  if (issues.every((i) => i.message === PERIOD_ISSUE)) throw new AppError('PERIOD_INVALID', undefined, { issues });
  throw new AppError('VALIDATION_FAILED', undefined, { issues });
}

/** Pagination cursors are base64url JSON: opaque to clients, validated on the way back in. */
export function encodeCursor(values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, shape: Array<'string' | 'number'>): Array<string | number> | null {
  if (cursor === undefined) return null;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = null;
  }
  const fits = Array.isArray(values) && values.length === shape.length && values.every((v, i) => typeof v === shape[i]) && findHostileText(values) === null;
  if (!fits) invalidCursor();
  return values as Array<string | number>;
}

export function invalidCursor(): never {
  throw new AppError('VALIDATION_FAILED', 'The cursor is not one this API handed out.', { issues: [{ path: 'cursor', code: 'invalid_cursor' }] });
}
