import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../lib/errors';
import { one } from '../db/sql';
import { ledgerInScope, type LedgerScope } from './scope';

export interface LedgerRef {
  id: number;
  code: string;
  name: string;
  taxpayerId: string;
  firstPeriod: string;
  active: boolean;
}

/**
 * The ledger of that code, if it lies in `scope` (default: every ledger). One outside the scope is
 * LEDGER_NOT_FOUND with the same message as one that does not exist, so a scope reveals nothing.
 */
export async function findLedger(db: DataSource | EntityManager, code: string, scope: LedgerScope = null): Promise<LedgerRef> {
  const ledger = await one<LedgerRef>(
    db,
    `SELECT id, code, name, taxpayer_id AS "taxpayerId", first_period AS "firstPeriod", active FROM ledger l WHERE code = $1 AND ${ledgerInScope('l', 2)}`,
    [code, scope],
  );
  if (!ledger) throw new AppError('LEDGER_NOT_FOUND', `There is no ledger with code "${code}".`, { ledger: code });
  return ledger;
}

/**
 * Does this user's role grant this permission (on this ledger, if one is named: it must lie in the
 * user's scope)? Inactive and unknown users have none.
 */
export async function hasPermission(db: DataSource | EntityManager, user: string, permission: string, ledgerCode?: string): Promise<boolean> {
  const row = await one(
    db,
    `SELECT 1 FROM app_user u JOIN role_permission rp ON rp.role = u.role
     WHERE u.name = $1 AND u.active AND rp.permission = $2
       AND ($3::text IS NULL OR u.scope_ledger_id IS NULL OR EXISTS (SELECT 1 FROM ledger l WHERE l.code = $3 AND u.scope_ledger_id = ANY (l.path)))`,
    [user, permission, ledgerCode ?? null],
  );
  return row !== undefined;
}
