import { createHash, randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { audit } from '../../db/session';
import { one, rows } from '../../db/sql';
import { APPROVERS, PREPARERS } from '../../db/seed/identities';
import { findLedger } from '../../books/ledgers';
import { hashPassword } from './passwords';

/** A token is 32 random bytes, base64url: 43 characters. Only its SHA-256 is stored. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const USER_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;

export interface UserRecord {
  id: number;
  name: string;
  role: string;
  active: boolean;
  /** The code of the ledger whose subtree the user may touch; null: every ledger. */
  scope: string | null;
}
export interface NewUser {
  name: string;
  role: string;
  /** A ledger code; absent or null: every ledger. */
  scope?: string | null;
  /** For signing in to the dashboard; without one the user signs in by token only. */
  password?: string;
}
export interface DemoUser {
  name: string;
  role: string;
  token: string;
  /** The first password to sign in to the dashboard with, printed once by `npm start`; only its hash is kept. */
  password: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const USER_COLUMNS = `u.id, u.name, u.role, u.active, (SELECT s.code FROM ledger s WHERE s.id = u.scope_ledger_id) AS scope`;

export function assertUserName(name: string): void {
  if (!USER_NAME.test(name)) throw new AppError('VALIDATION_FAILED', `"${name}" is not a user name (letters, digits, _ . @ -; at most 64).`);
}

/** The id of the ledger a scope names (null: every ledger), or LEDGER_NOT_FOUND. */
export async function scopeLedgerId(db: DataSource | EntityManager, scope: string | null | undefined): Promise<number | null> {
  if (scope === undefined || scope === null) return null;
  return (await findLedger(db, scope)).id;
}

/**
 * The user of that name, created with that role and scope if there is none (with the password, if
 * one is given, hashed). An existing user keeps their role and scope: asking for others is
 * USER_ROLE_CONFLICT or USER_SCOPE_CONFLICT rather than a silent change of rights; a password given
 * for an existing user replaces theirs.
 */
export async function createUser(db: DataSource, input: NewUser, actor = 'system'): Promise<{ user: UserRecord; created: boolean }> {
  assertUserName(input.name);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return db.transaction(async (em) => {
    const role = await one(em, `SELECT 1 FROM role WHERE name = $1`, [input.role]);
    if (!role) {
      const known = await rows<{ name: string }>(em, `SELECT name FROM role ORDER BY name`);
      throw new AppError('VALIDATION_FAILED', `There is no role "${input.role}"; roles are ${known.map((r) => r.name).join(', ')}.`);
    }
    const scopeId = await scopeLedgerId(em, input.scope);
    const inserted = await one<UserRecord>(
      em,
      `INSERT INTO app_user AS u (name, role, scope_ledger_id, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING ${USER_COLUMNS}`,
      [input.name, input.role, scopeId, passwordHash],
    );
    if (inserted) {
      // Filed under the user's scope ledger, so auditors of that subtree see who was given access to it.
      await audit(em, {
        actor,
        action: 'user.created',
        ledgerId: scopeId,
        target: inserted.name,
        details: { role: inserted.role, scope: inserted.scope, password: passwordHash !== null },
      });
      return { user: inserted, created: true };
    }
    const existing = (await one<UserRecord & { scope_ledger_id: number | null }>(
      em,
      `SELECT ${USER_COLUMNS}, u.scope_ledger_id FROM app_user u WHERE name = $1 FOR UPDATE`,
      [input.name],
    ))!;
    if (existing.role !== input.role) {
      throw new AppError('USER_ROLE_CONFLICT', `User "${existing.name}" exists with the role ${existing.role}, not ${input.role}.`, {
        user: existing.name,
        role: existing.role,
      });
    }
    if (existing.scope_ledger_id !== scopeId) {
      throw new AppError(
        'USER_SCOPE_CONFLICT',
        `User "${existing.name}" exists with the scope ${existing.scope ?? 'every ledger'}, not ${input.scope ?? 'every ledger'}.`,
        { user: existing.name, scope: existing.scope },
      );
    }
    if (passwordHash !== null) {
      await em.query(`UPDATE app_user SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL WHERE id = $1`, [existing.id, passwordHash]);
      await audit(em, { actor, action: 'user.password_set', ledgerId: scopeId, target: existing.name });
    }
    const { scope_ledger_id: _scopeLedgerId, ...user } = existing;
    return { user, created: false };
  });
}

export interface IssuedToken {
  id: number;
  token: string;
  expiresAt: string | null;
}

/** A new bearer token for the user; the token itself is returned once and never stored. */
export async function createToken(db: DataSource | EntityManager, userName: string, actor = 'system', opts: { expiresAt?: Date } = {}): Promise<string> {
  return (await issueToken(db, userName, actor, opts)).token;
}

/** As createToken, with the token's id (to revoke it by) and when it expires (null: never). */
export async function issueToken(db: DataSource | EntityManager, userName: string, actor = 'system', opts: { expiresAt?: Date } = {}): Promise<IssuedToken> {
  const token = randomBytes(32).toString('base64url');
  const user = await one<{ id: number; scope_ledger_id: number | null }>(db, `SELECT id, scope_ledger_id FROM app_user WHERE name = $1`, [userName]);
  if (!user) throw new AppError('USER_NOT_FOUND', `There is no user "${userName}".`);
  const write = async (em: EntityManager) => {
    const made = (await one<{ id: number; expires_at: Date | null }>(
      em,
      `INSERT INTO api_token (user_id, token_hash, expires_at) VALUES ($1, $2, $3) RETURNING id, expires_at`,
      [user.id, hashToken(token), opts.expiresAt ?? null],
    ))!;
    await audit(em, {
      actor,
      action: 'token.created',
      ledgerId: user.scope_ledger_id,
      target: userName,
      details: { tokenId: made.id, expiresAt: made.expires_at },
    });
    return { id: made.id, token, expiresAt: made.expires_at ? made.expires_at.toISOString() : null };
  };
  return db instanceof DataSource ? db.transaction(write) : write(db);
}

/** Revokes one token; it stays in the table for the record. */
export async function revokeToken(db: DataSource, token: string, actor = 'system'): Promise<boolean> {
  return db.transaction(async (em) => {
    const revoked = await one<{ name: string }>(
      em,
      `UPDATE api_token t SET revoked_at = now() FROM app_user u
       WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.id = t.user_id RETURNING u.name`,
      [hashToken(token)],
    );
    if (revoked) await audit(em, { actor, action: 'token.revoked', target: revoked.name });
    return revoked !== undefined;
  });
}

/**
 * On a database with no tokens yet, one demo user per role (demo-finance-manager, ...) and the demo
 * books' preparers (accountants) and approvers (finance managers), with a token and a first password
 * each, for `npm start` to print. Otherwise nothing: demo users are never made twice.
 */
export async function createDemoUsers(db: DataSource): Promise<DemoUser[]> {
  return db.transaction(async (em) => {
    // Two processes starting on one empty database must not both make demo users.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('close-orchestrator:demo-users'))`);
    if (await one(em, `SELECT 1 FROM api_token LIMIT 1`)) return [];
    const roles = await rows<{ name: string }>(em, `SELECT name FROM role ORDER BY name`);
    const made: DemoUser[] = [];
    for (const role of roles) {
      const name = `demo-${role.name.replace(/_/g, '-')}`;
      const password = firstPassword();
      await em.query(`INSERT INTO app_user (name, role, password_hash) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`, [
        name,
        role.name,
        await hashPassword(password),
      ]);
      await audit(em, { actor: 'system', action: 'user.created', target: name, details: { role: role.name, demo: true } });
      made.push({ name, role: role.name, token: await createToken(em, name, 'system'), password });
    }
    // The people the demo books name as preparers and approvers, so a blocker's owner can sign in and clear it.
    const people = [...PREPARERS.map((name) => ({ name, role: 'accountant' })), ...APPROVERS.map((name) => ({ name, role: 'finance_manager' }))];
    for (const person of people) {
      const password = firstPassword();
      await em.query(`INSERT INTO app_user (name, role, password_hash) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`, [
        person.name,
        person.role,
        await hashPassword(password),
      ]);
      await audit(em, { actor: 'system', action: 'user.created', target: person.name, details: { role: person.role, demo: true } });
      made.push({ ...person, token: await createToken(em, person.name, 'system'), password });
    }
    return made;
  });
}

/** A random first password: 12 bytes, 16 characters of base64url. */
function firstPassword(): string {
  return randomBytes(12).toString('base64url');
}
