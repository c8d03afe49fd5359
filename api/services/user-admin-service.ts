import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { audit } from '../../db/session';
import { one, rows } from '../../db/sql';
import { findLedger } from '../../books/ledgers';
import { rowInScope } from '../../books/scope';
import type { ApiUser } from '../auth';
import { hashPassword } from './passwords';
import { issueToken, type IssuedToken } from './user-service';

export interface UserView {
  name: string;
  role: string;
  /** The ledger whose subtree the user may touch; null: every ledger. */
  scope: string | null;
  active: boolean;
  signsInWithPassword: boolean;
  createdAt: string;
  tokens: Array<{ id: number; createdAt: string; expiresAt: string | null }>;
}

/** The user the automatic month-ends run as: changing it would stop them, so it is not managed here. */
const SYSTEM_USER = 'system';
/** The longest a token made through the API may live. */
const MAX_TOKEN_DAYS = 366 * 2;

/** An ISO 8601 UTC instant as JSON.stringify writes one (jsonb would write PostgreSQL's own format). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const VIEW = `
  SELECT u.name, u.role, s.code AS scope, u.active, u.password_hash IS NOT NULL AS "signsInWithPassword", u.created_at AS "createdAt",
         coalesce((SELECT jsonb_agg(jsonb_build_object('id', t.id, 'createdAt', ${iso('t.created_at')}, 'expiresAt', ${iso('t.expires_at')}) ORDER BY t.id)
                   FROM api_token t WHERE t.user_id = u.id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())), '[]') AS tokens
  FROM app_user u LEFT JOIN ledger s ON s.id = u.scope_ledger_id`;

/**
 * SQL: the user row `u` lies within the administrator's scope bound as `$n`: an administrator of
 * every ledger manages everyone; one scoped to a subtree manages only users scoped inside it.
 */
const managed = (n: number) => `($${n}::int IS NULL OR (u.scope_ledger_id IS NOT NULL AND ${rowInScope('u.scope_ledger_id', n)}))`;

/**
 * User administration through the API (permission user:manage), always within the administrator's
 * own scope: a user outside it is not found, a ledger outside it is not found, and no scope wider
 * than the administrator's may be granted. Every change is audited, filed under the user's scope
 * ledger so that auditors of that subtree see who was given access to it.
 */
export function createUserAdminService(db: DataSource) {
  /** The id of the scope to grant: a ledger in the administrator's subtree, or every ledger (only by an administrator of every ledger). */
  async function grantable(admin: ApiUser, scope: string | null): Promise<number | null> {
    if (scope === null) {
      if (admin.scopeLedgerId !== null) {
        throw new AppError('SCOPE_TOO_WIDE', `You administer ${admin.scope}'s subtree; you cannot grant every ledger.`, { yourScope: admin.scope });
      }
      return null;
    }
    return (await findLedger(db, scope, admin.scopeLedgerId)).id;
  }

  async function view(em: DataSource | EntityManager, name: string): Promise<UserView> {
    return (await one<UserView>(em, `${VIEW} WHERE u.name = $1`, [name]))!;
  }

  /** The user, locked, if the administrator manages them; USER_NOT_FOUND otherwise, as if there were none. */
  async function lockManaged(em: EntityManager, admin: ApiUser, name: string) {
    const u = await one<{ id: number; name: string; role: string; scope_ledger_id: number | null; active: boolean }>(
      em,
      `SELECT u.id, u.name, u.role, u.scope_ledger_id, u.active FROM app_user u WHERE u.name = $1 AND ${managed(2)} FOR UPDATE`,
      [name, admin.scopeLedgerId],
    );
    if (!u) throw new AppError('USER_NOT_FOUND', `There is no user "${name}".`, { user: name });
    return u;
  }

  function refuseOwnOrSystem(admin: ApiUser, name: string, what: string): void {
    if (name === admin.name || name === SYSTEM_USER) {
      throw new AppError('USER_CHANGE_REFUSED', `You cannot ${what} ${name === SYSTEM_USER ? 'the system user' : 'your own account'}.`, { user: name });
    }
  }

  async function assertRole(em: EntityManager, role: string): Promise<void> {
    if (await one(em, `SELECT 1 FROM role WHERE name = $1`, [role])) return;
    const known = await rows<{ name: string }>(em, `SELECT name FROM role ORDER BY name`);
    throw new AppError('VALIDATION_FAILED', `There is no role "${role}"; roles are ${known.map((r) => r.name).join(', ')}.`, { field: 'role' });
  }

  return {
    async create(admin: ApiUser, input: { name: string; role: string; scope?: string | null; password?: string }): Promise<UserView> {
      // No scope named: the administrator's own, never wider.
      const scopeId = await grantable(admin, input.scope === undefined ? admin.scope : input.scope);
      const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
      return db.transaction(async (em) => {
        await assertRole(em, input.role);
        const made = await one<{ id: number }>(
          em,
          `INSERT INTO app_user (name, role, scope_ledger_id, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING id`,
          [input.name, input.role, scopeId, passwordHash],
        );
        if (!made) throw new AppError('USER_EXISTS', `A user "${input.name}" already exists.`, { user: input.name });
        const created = await view(em, input.name);
        await audit(em, {
          actor: admin.name,
          action: 'user.created',
          ledgerId: scopeId,
          target: input.name,
          details: { role: input.role, scope: created.scope, password: passwordHash !== null },
        });
        return created;
      });
    },

    async list(admin: ApiUser): Promise<{ items: UserView[] }> {
      return { items: await rows<UserView>(db, `${VIEW} WHERE ${managed(1)} ORDER BY u.name`, [admin.scopeLedgerId]) };
    },

    /** Deactivated: their tokens and sessions stop working at once (authenticate reads `active`). */
    async deactivate(admin: ApiUser, name: string): Promise<UserView> {
      refuseOwnOrSystem(admin, name, 'deactivate');
      return db.transaction(async (em) => {
        const u = await lockManaged(em, admin, name);
        if (u.active) {
          await em.query(`UPDATE app_user SET active = false WHERE id = $1`, [u.id]);
          await em.query(`UPDATE user_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [u.id]);
          await audit(em, { actor: admin.name, action: 'user.deactivated', ledgerId: u.scope_ledger_id, target: name });
        }
        return view(em, name);
      });
    },

    async update(admin: ApiUser, name: string, change: { role?: string; scope?: string | null }): Promise<UserView> {
      refuseOwnOrSystem(admin, name, 'change');
      const scopeId = change.scope === undefined ? undefined : await grantable(admin, change.scope);
      return db.transaction(async (em) => {
        const u = await lockManaged(em, admin, name);
        if (change.role !== undefined) await assertRole(em, change.role);
        const before = await view(em, name);
        await em.query(`UPDATE app_user SET role = coalesce($2, role), scope_ledger_id = CASE WHEN $3 THEN $4::int ELSE scope_ledger_id END WHERE id = $1`, [
          u.id,
          change.role ?? null,
          scopeId !== undefined,
          scopeId ?? null,
        ]);
        const after = await view(em, name);
        // Filed under the wider of the two scopes' ledgers is not possible in one entry: one per ledger that saw a change.
        for (const ledgerId of new Set([u.scope_ledger_id, scopeId === undefined ? u.scope_ledger_id : scopeId])) {
          await audit(em, {
            actor: admin.name,
            action: 'user.changed',
            ledgerId,
            target: name,
            details: { before: { role: before.role, scope: before.scope }, after: { role: after.role, scope: after.scope } },
          });
        }
        return after;
      });
    },

    async createToken(admin: ApiUser, name: string, expiresAt?: string): Promise<IssuedToken> {
      const expires = expiresAt === undefined ? undefined : new Date(expiresAt);
      if (expires && (expires.getTime() <= Date.now() || expires.getTime() > Date.now() + MAX_TOKEN_DAYS * 86_400_000)) {
        throw new AppError('VALIDATION_FAILED', `A token expires in the future, at most ${MAX_TOKEN_DAYS} days from now.`, { field: 'expiresAt' });
      }
      return db.transaction(async (em) => {
        const u = await lockManaged(em, admin, name);
        if (!u.active) throw new AppError('USER_CHANGE_REFUSED', `User "${name}" is deactivated; a token for them would not work.`, { user: name });
        return issueToken(em, name, admin.name, { expiresAt: expires });
      });
    },

    /** Revokes a token of a user the administrator manages; any other reads as missing. */
    async revokeToken(admin: ApiUser, id: string): Promise<void> {
      await db.transaction(async (em) => {
        const t = await one<{ name: string; scope_ledger_id: number | null }>(
          em,
          `UPDATE api_token t SET revoked_at = coalesce(t.revoked_at, now()) FROM app_user u
           WHERE t.id = $1 AND u.id = t.user_id AND ${managed(2)} RETURNING u.name, u.scope_ledger_id`,
          [id, admin.scopeLedgerId],
        );
        if (!t) throw new AppError('TOKEN_NOT_FOUND', `There is no token with id ${id}.`, { tokenId: id });
        await audit(em, { actor: admin.name, action: 'token.revoked', ledgerId: t.scope_ledger_id, target: t.name, details: { tokenId: Number(id) } });
      });
    },

    /** Who may touch a ledger: active users scoped to it, to one of its ancestors, or to every ledger. */
    async access(admin: ApiUser, ledgerCode: string): Promise<{ ledger: string; items: Array<{ name: string; role: string; scope: string | null }> }> {
      const ledger = await findLedger(db, ledgerCode, admin.scopeLedgerId);
      const items = await rows<{ name: string; role: string; scope: string | null }>(
        db,
        `SELECT u.name, u.role, s.code AS scope FROM app_user u JOIN ledger l ON l.id = $1 LEFT JOIN ledger s ON s.id = u.scope_ledger_id
         WHERE u.active AND (u.scope_ledger_id IS NULL OR u.scope_ledger_id = ANY (l.path)) ORDER BY u.name`,
        [ledger.id],
      );
      return { ledger: ledger.code, items };
    },
  };
}

export type UserAdminService = ReturnType<typeof createUserAdminService>;
