import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins under a name no active user has (or a user without a password) are counted and
 * locked like a person's: before, only real accounts locked, so a lock-out told a guesser which
 * names exist. Rows older than a day are pruned as new failures come (indexed by their last failure).
 */
export class SignInAttemptsByName1763900008100 implements MigrationInterface {
  name = 'SignInAttemptsByName1763900008100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_attempt (
        name            text PRIMARY KEY,
        failures        int NOT NULL CHECK (failures > 0),
        locked_until    timestamptz,
        last_failed_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sign_in_attempt_last_failed ON sign_in_attempt (last_failed_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_attempt`);
  }
}
