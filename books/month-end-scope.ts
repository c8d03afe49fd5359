import type { DataSource } from 'typeorm';
import { AppError } from '../lib/errors';
import { rows } from '../db/sql';
import { findLedger } from './ledgers';
import { ledgerInScope, type LedgerScope } from './scope';

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

/**
 * SQL: ledger alias `l` is one the month-end scope held in the jsonb `column` names (a stored run's
 * scope, so many runs are matched in one statement; scopeSql does the same for one bound scope).
 */
export function ledgerInStoredScope(column: string): string {
  return `CASE WHEN ${column} ? 'parent' THEN l.parent_id = (SELECT p.id FROM ledger p WHERE p.code = ${column} ->> 'parent')
      ELSE l.code = ANY (ARRAY(SELECT jsonb_array_elements_text(${column} -> 'ledgers'))) END`;
}

/**
 * Every ledger the month-end names exists within the user's organisation scope (LEDGER_NOT_FOUND
 * naming the missing ones otherwise: one outside the user's scope reads as missing too).
 */
export async function assertScopeExists(db: DataSource, scope: MonthEndScope, userScope: LedgerScope = null): Promise<void> {
  if (scope.parent !== undefined) {
    await findLedger(db, scope.parent, userScope);
    return;
  }
  const missing = await rows<{ code: string }>(
    db,
    `SELECT w.code FROM unnest($1::text[]) AS w(code)
     WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.code = w.code AND ${ledgerInScope('l', 2)}) LIMIT 20`,
    [scope.ledgers, userScope],
  );
  if (missing.length > 0) {
    throw new AppError('LEDGER_NOT_FOUND', `There is no ledger with code ${missing.map((m) => `"${m.code}"`).join(', ')}.`, {
      ledgers: missing.map((m) => m.code),
    });
  }
}

/**
 * SQL: the month-end scope held in the jsonb `column` lies wholly within the organisation scope
 * bound as `$n`: its parent is in the subtree, or every ledger it lists is.
 */
export function monthEndWithin(column: string, n: number): string {
  return `($${n}::int IS NULL OR CASE WHEN ${column} ? 'parent'
      THEN EXISTS (SELECT 1 FROM ledger l WHERE l.code = ${column} ->> 'parent' AND ${ledgerInScope('l', n)})
      ELSE NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(${column} -> 'ledgers') AS w(code)
                       WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.code = w.code AND ${ledgerInScope('l', n)})) END)`;
}

/** Which of these month-end scopes (e.g. the schedules' memos) lie wholly within the organisation scope; asked of the database at once. */
export async function scopesWithin(db: DataSource, scopes: MonthEndScope[], userScope: LedgerScope): Promise<boolean[]> {
  if (userScope === null) return scopes.map(() => true);
  const found = await rows<{ ok: boolean }>(
    db,
    `SELECT ${monthEndWithin('s.scope', 2)} AS ok FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS s(scope, n) ORDER BY s.n`,
    [JSON.stringify(scopes), userScope],
  );
  return found.map((f) => f.ok);
}
