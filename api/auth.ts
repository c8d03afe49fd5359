import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { DataSource } from 'typeorm';
import { AppError } from '../lib/errors';
import { one } from '../db/sql';
import type { LedgerScope } from '../books/scope';
import { sessionCookie } from './session-cookie';
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
  /** The dashboard session this request came with (absent: a bearer token). */
  sessionId?: number;
}

interface Found {
  id: number;
  name: string;
  role: string;
  permissions: string[];
  scope_ledger_id: number | null;
  scope: string | null;
  session_id?: number;
  csrf_hash?: string;
}

/** The active user a credential row (api_token t or user_session t) belongs to, with permissions and scope. */
const userOf = (credential: 'api_token' | 'user_session', extra: string) => `
  SELECT u.id, u.name, u.role, coalesce(array_agg(rp.permission) FILTER (WHERE rp.permission IS NOT NULL), '{}') AS permissions,
         u.scope_ledger_id, s.code AS scope ${extra}
  FROM ${credential} t JOIN app_user u ON u.id = t.user_id LEFT JOIN role_permission rp ON rp.role = u.role
  LEFT JOIN ledger s ON s.id = u.scope_ledger_id
  WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.active
  GROUP BY u.id, s.code, t.id`;

/** Methods that change nothing; every other one needs the CSRF token when a cookie authenticates it. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `Authorization: Bearer <token>` (scripts) → the active user owning that unrevoked, unexpired
 * token; or, without that header, the dashboard's session cookie → the user of that live session,
 * and then every unsafe method must carry the session's X-CSRF-Token (double submit: another site
 * can make the browser send the cookie, but cannot read the token). Permissions come from
 * role_permission, the scope from app_user. Anything else is 401 UNAUTHENTICATED.
 */
export function authenticate(dataSource: DataSource): RequestHandler {
  return async (req, _res, next) => {
    const authorization = req.get('authorization');
    let found: Found | undefined;
    if (authorization !== undefined) {
      const match = /^Bearer ([^\s]+)$/.exec(authorization);
      if (!match || !TOKEN_PATTERN.test(match[1])) throw new AppError('UNAUTHENTICATED');
      found = await one<Found>(dataSource, userOf('api_token', ''), [hashToken(match[1])]);
      if (!found) throw new AppError('UNAUTHENTICATED', 'The token is unknown, expired or revoked.');
    } else {
      const cookie = sessionCookie(req.get('cookie'));
      if (cookie === undefined || !TOKEN_PATTERN.test(cookie)) throw new AppError('UNAUTHENTICATED');
      found = await one<Found>(dataSource, userOf('user_session', ', t.id AS session_id, t.csrf_hash'), [hashToken(cookie)]);
      if (!found) throw new AppError('UNAUTHENTICATED', 'The session has ended; sign in again.');
      if (!SAFE_METHODS.has(req.method) && !csrfMatches(req.get('x-csrf-token'), found.csrf_hash!)) throw new AppError('CSRF_TOKEN_INVALID');
    }
    req.user = {
      id: found.id,
      name: found.name,
      role: found.role,
      permissions: new Set(found.permissions),
      scopeLedgerId: found.scope_ledger_id,
      scope: found.scope,
      ...(found.session_id === undefined ? {} : { sessionId: found.session_id }),
    };
    req.log = req.log.child({ user: found.name });
    next();
  };
}

function csrfMatches(sent: string | undefined, storedHash: string): boolean {
  if (sent === undefined || !TOKEN_PATTERN.test(sent)) return false;
  return timingSafeEqual(Buffer.from(hashToken(sent), 'hex'), Buffer.from(storedHash, 'hex'));
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
