import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #17, sign-in for people: a password (argon2id, only its hash), a count of failed sign-ins
 * and a lock-out time, and sessions kept in a table so that signing out (or an administrator
 * deactivating the user) ends them at once. A session's cookie and its CSRF token are stored as
 * SHA-256 only, like API tokens.
 */
export class PeopleSignIn1763900005100 implements MigrationInterface {
  name = 'PeopleSignIn1763900005100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE app_user ADD COLUMN password_hash text,
        ADD COLUMN failed_sign_ins int NOT NULL DEFAULT 0,
        ADD COLUMN locked_until timestamptz;
      CREATE TABLE user_session (
        id            serial PRIMARY KEY,
        user_id       int NOT NULL REFERENCES app_user(id),
        token_hash    text NOT NULL UNIQUE,
        csrf_hash     text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL,
        revoked_at    timestamptz
      );
      CREATE INDEX user_session_user ON user_session (user_id);
      CREATE INDEX api_token_user ON api_token (user_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX api_token_user;
      DROP TABLE user_session;
      ALTER TABLE app_user DROP COLUMN locked_until, DROP COLUMN failed_sign_ins, DROP COLUMN password_hash;
    `);
  }
}
