import type { RequestHandler } from 'express';
import type { DataSource } from 'typeorm';
import { AppError } from '../lib/errors';
import { one } from '../db/sql';
import type { LedgerScope } from '../books/scope';
import { hashToken, TOKEN_PATTERN } from './services/user-service';

/** Who calls, as the token says: their name acts in the audit log, their role's permissions decide. */
export interface ApiUser {
  id: number;
  name: string;
  role: string;
  permissions: ReadonlySet<string>;
  /** The organisation unit: the root ledger of the subtree this user may touch (null: every ledger); every query is limited to it. */
  scopeLedgerId: LedgerScope;
  /** That ledger's code, for showing. */
  scope: string | null;
}

/**
 * `Authorization: Bearer <token>` → the active user owning that unrevoked, unexpired token, with their scope, with the
 * permissions of their role read from role_permission. Anything else is 401 UNAUTHENTICATED.
 */
export function authenticate(dataSource: DataSource): RequestHandler {
  return async (req, _res, next) => {
    const match = /^Bearer ([^\s]+)$/.exec(req.get('authorization') ?? '');
    if (!match || !TOKEN_PATTERN.test(match[1])) throw new AppError('UNAUTHENTICATED');
    const found = await one<{ id: number; name: string; role: string; permissions: string[]; scope_ledger_id: number | null; scope: string | null }>(
      dataSource,
      `SELECT u.id, u.name, u.role, coalesce(array_agg(rp.permission) FILTER (WHERE rp.permission IS NOT NULL), '{}') AS permissions,
              u.scope_ledger_id, s.code AS scope
       FROM api_token t JOIN app_user u ON u.id = t.user_id LEFT JOIN role_permission rp ON rp.role = u.role
       LEFT JOIN ledger s ON s.id = u.scope_ledger_id
       WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.active
       GROUP BY u.id, s.code`,
      [hashToken(match[1])],
    );
    if (!found) throw new AppError('UNAUTHENTICATED', 'The token is unknown, expired or revoked.');
    req.user = {
      id: found.id,
      name: found.name,
      role: found.role,
      permissions: new Set(found.permissions),
      scopeLedgerId: found.scope_ledger_id,
      scope: found.scope,
    };
    req.log = req.log.child({ user: found.name });
    next();
  };
}

/** 403 PERMISSION_DENIED naming the missing permission, before the request is even validated. */
export function requirePermission(permission: string): RequestHandler {
  return (req, _res, next) => {
    if (!req.user?.permissions.has(permission)) {
      throw new AppError('PERMISSION_DENIED', `Your role (${req.user?.role ?? 'none'}) lacks the permission ${permission}; ask an administrator.`, {
        permission,
      });
    }
    next();
  };
}

/** The caller, for handlers behind `authenticate`. */
export function caller(req: { user?: ApiUser }): ApiUser {
  if (!req.user) throw new AppError('UNAUTHENTICATED');
  return req.user;
}
