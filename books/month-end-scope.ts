import type { DataSource } from 'typeorm';
import { AppError } from '../lib/errors';
import { rows } from '../db/sql';
import { findLedger } from './ledgers';

/** The ledgers a month-end covers: listed by code, or the active children of a federation ledger. */
export interface MonthEndScope {
  ledgers?: string[];
  parent?: string;
}

/** The scope as a WHERE clause over `ledger l`, its parameters numbered from `firstParam`. */
export function scopeSql(scope: MonthEndScope, firstParam: number): { where: string; params: unknown[] } {
  if (scope.ledgers) return { where: `l.code = ANY($${firstParam}::text[])`, params: [scope.ledgers] };
  if (scope.parent) return { where: `l.parent_id = (SELECT id FROM ledger WHERE code = $${firstParam})`, params: [scope.parent] };
  throw new AppError('VALIDATION_FAILED', 'A month-end names its ledgers or their parent ledger.');
}

/** Every ledger the scope names exists (LEDGER_NOT_FOUND naming the missing ones otherwise). */
export async function assertScopeExists(db: DataSource, scope: MonthEndScope): Promise<void> {
  if (scope.parent !== undefined) {
    await findLedger(db, scope.parent);
    return;
  }
  const missing = await rows<{ code: string }>(
    db,
    `SELECT w.code FROM unnest($1::text[]) AS w(code) WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.code = w.code) LIMIT 20`,
    [scope.ledgers],
  );
  if (missing.length > 0) {
    throw new AppError('LEDGER_NOT_FOUND', `There is no ledger with code ${missing.map((m) => `"${m.code}"`).join(', ')}.`, {
      ledgers: missing.map((m) => m.code),
    });
  }
}
