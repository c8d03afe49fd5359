import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/errors';
import { audit } from '../../db/session';
import { one } from '../../db/sql';
import { decoyHash, verifyPassword } from './passwords';
import { hashToken } from './user-service';

/** How long a dashboard session lasts: a working day. */
export const SESSION_HOURS = 8;
/** Failed sign-ins in a row before the account waits; each further failure doubles the wait, up to MAX_LOCK_MINUTES. */
export const FREE_ATTEMPTS = 5;
const MAX_LOCK_MINUTES = 15;
/** Every failed sign-in answers this much later, so guessing is slow even before the lock-out. */
const FAILURE_DELAY_MS = 300;

export interface NewSession {
  /** The cookie's value: shown once, stored as SHA-256. */
  token: string;
  /** Sent back in X-CSRF-Token with every unsafe request the cookie authenticates; stored as SHA-256. */
  csrfToken: string;
  expiresAt: string;
  user: { name: string; role: string; scope: string | null };
}

/**
 * Sign-in for people: name and password (argon2id) → a session kept in user_session, revocable.
 * Repeated failures slow down and then lock the account for a while (SIGN_IN_LOCKED). An unknown
 * name, a user without a password and a wrong password answer alike and take as long, and lock alike
 * (counted by name in sign_in_attempt), so neither the answer nor the lock-out tells which names exist.
 */
export function createSessionService(db: DataSource) {
  async function signIn(name: string, password: string): Promise<NewSession> {
    const u = await one<{ id: number; role: string; scope: string | null; password_hash: string | null; locked: boolean; scope_ledger_id: number | null }>(
      db,
      `SELECT u.id, u.role, s.code AS scope, u.password_hash, coalesce(u.locked_until > now(), false) AS locked, u.scope_ledger_id
       FROM app_user u LEFT JOIN ledger s ON s.id = u.scope_ledger_id WHERE u.name = $1 AND u.active`,
      [name],
    );
    const withoutAccount = !u?.password_hash;
    const locked = withoutAccount ? await nameLocked(name) : u.locked;
    if (locked) throw new AppError('SIGN_IN_LOCKED', 'Too many failed sign-ins for this name; wait a few minutes and try again.');
    const ok = await verifyPassword(u?.password_hash ?? (await decoyHash()), password);
    if (!u || !u.password_hash || !ok) {
      if (withoutAccount) await recordNameFailure(name);
      else await recordFailure(u.id, name, u.scope_ledger_id);
      await new Promise((resolve) => setTimeout(resolve, FAILURE_DELAY_MS));
      throw new AppError('SIGN_IN_FAILED', 'The name or the password is wrong.');
    }
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    return db.transaction(async (em) => {
      await em.query(`UPDATE app_user SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1`, [u.id]);
      const s = (await one<{ expires_at: Date }>(
        em,
        `INSERT INTO user_session (user_id, token_hash, csrf_hash, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING expires_at`,
        [u.id, hashToken(token), hashToken(csrfToken), SESSION_HOURS],
      ))!;
      await audit(em, { actor: name, action: 'session.signed_in', ledgerId: u.scope_ledger_id, target: name });
      return { token, csrfToken, expiresAt: s.expires_at.toISOString(), user: { name, role: u.role, scope: u.scope } };
    });
  }

  async function recordFailure(userId: number, name: string, scopeLedgerId: number | null): Promise<void> {
    await db.transaction(async (em) => {
      const r = (await one<{ failed_sign_ins: number }>(
        em,
        `UPDATE app_user SET failed_sign_ins = failed_sign_ins + 1,
           locked_until = CASE WHEN failed_sign_ins + 1 >= $2
                               THEN now() + make_interval(mins => least($3, power(2, failed_sign_ins + 1 - $2)::int)) END
         WHERE id = $1 RETURNING failed_sign_ins`,
        [userId, FREE_ATTEMPTS, MAX_LOCK_MINUTES],
      ))!;
      await audit(em, { actor: name, action: 'session.sign_in_failed', ledgerId: scopeLedgerId, target: name, details: { failures: r.failed_sign_ins } });
    });
  }

  async function nameLocked(name: string): Promise<boolean> {
    const r = await one<{ locked: boolean }>(db, `SELECT coalesce(locked_until > now(), false) AS locked FROM sign_in_attempt WHERE name = $1`, [name]);
    return r?.locked ?? false;
  }

  /** The same count and wait as a person's account, kept by name; a day without failures forgets it. */
  async function recordNameFailure(name: string): Promise<void> {
    await db.query(
      `INSERT INTO sign_in_attempt AS a (name, failures, locked_until) VALUES ($1, 1, CASE WHEN 1 >= $2 THEN now() + interval '1 minute' END)
       ON CONFLICT (name) DO UPDATE SET failures = a.failures + 1, last_failed_at = now(),
         locked_until = CASE WHEN a.failures + 1 >= $2 THEN now() + make_interval(mins => least($3, power(2, a.failures + 1 - $2)::int)) END`,
      [name, FREE_ATTEMPTS, MAX_LOCK_MINUTES],
    );
    await db.query(`DELETE FROM sign_in_attempt WHERE last_failed_at < now() - interval '1 day'`);
  }

  /** Ends the session the cookie names (signing out); a session already ended stays ended. */
  async function signOut(sessionId: number, name: string): Promise<void> {
    await db.transaction(async (em) => {
      await em.query(`UPDATE user_session SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1`, [sessionId]);
      await audit(em, { actor: name, action: 'session.signed_out', target: name });
    });
  }

  return { signIn, signOut };
}

export type SessionService = ReturnType<typeof createSessionService>;
