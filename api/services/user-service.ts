import { createHash, randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { audit } from '../../db/session';
import { one, rows } from '../../db/sql';
import { APPROVERS, PREPARERS } from '../../db/seed/identities';

/** A token is 32 random bytes, base64url: 43 characters. Only its SHA-256 is stored. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const USER_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;

export interface UserRecord {
  id: number;
  name: string;
  role: string;
  active: boolean;
}
export interface DemoUser {
  name: string;
  role: string;
  token: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The user of that name, created with that role if there is none. An existing user keeps their
 * role: asking for another one is USER_ROLE_CONFLICT rather than a silent change of rights.
 */
export async function createUser(db: DataSource, input: { name: string; role: string }, actor = 'system'): Promise<{ user: UserRecord; created: boolean }> {
  if (!USER_NAME.test(input.name)) throw new AppError('VALIDATION_FAILED', `"${input.name}" is not a user name (letters, digits, _ . @ -; at most 64).`);
  return db.transaction(async (em) => {
    const role = await one(em, `SELECT 1 FROM role WHERE name = $1`, [input.role]);
    if (!role) {
      const known = await rows<{ name: string }>(em, `SELECT name FROM role ORDER BY name`);
      throw new AppError('VALIDATION_FAILED', `There is no role "${input.role}"; roles are ${known.map((r) => r.name).join(', ')}.`);
    }
    const inserted = await one<UserRecord>(
      em,
      `INSERT INTO app_user (name, role) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id, name, role, active`,
      [input.name, input.role],
    );
    if (inserted) {
      await audit(em, { actor, action: 'user.created', target: inserted.name, details: { role: inserted.role } });
      return { user: inserted, created: true };
    }
    const existing = (await one<UserRecord>(em, `SELECT id, name, role, active FROM app_user WHERE name = $1`, [input.name]))!;
    if (existing.role !== input.role) {
      throw new AppError('USER_ROLE_CONFLICT', `User "${existing.name}" exists with the role ${existing.role}, not ${input.role}.`, {
        user: existing.name,
        role: existing.role,
      });
    }
    return { user: existing, created: false };
  });
}

/** A new bearer token for the user; the token itself is returned once and never stored. */
export async function createToken(db: DataSource | EntityManager, userName: string, actor = 'system'): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const user = await one<{ id: number }>(db, `SELECT id FROM app_user WHERE name = $1`, [userName]);
  if (!user) throw new AppError('USER_NOT_FOUND', `There is no user "${userName}".`);
  const write = async (em: EntityManager) => {
    await em.query(`INSERT INTO api_token (user_id, token_hash) VALUES ($1, $2)`, [user.id, hashToken(token)]);
    await audit(em, { actor, action: 'token.created', target: userName });
  };
  await (db instanceof DataSource ? db.transaction(write) : write(db));
  return token;
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
 * books' preparers (accountants) and approvers (finance managers), with a token each, for `npm start` to print. Otherwise nothing: demo users are never made twice.
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
      await em.query(`INSERT INTO app_user (name, role) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, role.name]);
      await audit(em, { actor: 'system', action: 'user.created', target: name, details: { role: role.name, demo: true } });
      made.push({ name, role: role.name, token: await createToken(em, name, 'system') });
    }
    // The people the demo books name as preparers and approvers, so a blocker's owner can sign in and clear it.
    const people = [...PREPARERS.map((name) => ({ name, role: 'accountant' })), ...APPROVERS.map((name) => ({ name, role: 'finance_manager' }))];
    for (const person of people) {
      await em.query(`INSERT INTO app_user (name, role) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [person.name, person.role]);
      await audit(em, { actor: 'system', action: 'user.created', target: person.name, details: { role: person.role, demo: true } });
      made.push({ ...person, token: await createToken(em, person.name, 'system') });
    }
    return made;
  });
}
