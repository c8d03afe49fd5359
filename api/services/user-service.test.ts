import { createHash } from 'node:crypto';
import { rows } from '../../db/sql';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { createDemoUsers, createToken, createUser, revokeToken, TOKEN_PATTERN } from './user-service';
import { verifyPassword } from './passwords';

describe('user service', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(2);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('when demo users are asked for on a database without tokens, then one per role is made, and never twice', async () => {
    const made = await createDemoUsers(db.dataSource);
    expect([...new Set(made.map((u) => u.role))].sort()).toEqual(['accountant', 'administrator', 'auditor', 'finance_manager', 'operations', 'scheduler']);
    // The demo books' people can sign in as themselves: preparers as accountants, approvers as finance managers.
    expect(made.find((u) => u.name === 'zhang.min')).toMatchObject({ role: 'accountant' });
    expect(made.find((u) => u.name === 'zhou.qiang')).toMatchObject({ role: 'finance_manager' });
    expect(made).toHaveLength(6 + 9);
    expect(made.find((u) => u.role === 'finance_manager')!.name).toBe('demo-finance-manager');
    for (const u of made) expect(u.token).toMatch(TOKEN_PATTERN);
    // Each has a first password to sign in with; only its argon2id hash is kept.
    for (const u of made) expect(u.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const stored = await rows<{ password_hash: string }>(db.dataSource, `SELECT password_hash FROM app_user WHERE name = $1`, [made[0].name]);
    expect(await verifyPassword(stored[0].password_hash, made[0].password)).toBe(true);
    expect(await createDemoUsers(db.dataSource)).toEqual([]);
  });

  it('when a token is created, then only its SHA-256 is stored, and revoking it marks it revoked once', async () => {
    const { user, created } = await createUser(db.dataSource, { name: 'li.ming', role: 'auditor' }, 'tester');
    expect(created).toBe(true);
    expect(user).toMatchObject({ name: 'li.ming', role: 'auditor', active: true });
    const token = await createToken(db.dataSource, 'li.ming', 'tester');
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const stored = await rows<{ token_hash: string; revoked_at: Date | null }>(
      db.dataSource,
      `SELECT token_hash, revoked_at FROM api_token WHERE user_id = $1`,
      [user.id],
    );
    expect(stored).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex'), revoked_at: null }]);
    expect(JSON.stringify(stored)).not.toContain(token);

    expect(await revokeToken(db.dataSource, token, 'tester')).toBe(true);
    expect(await revokeToken(db.dataSource, token, 'tester')).toBe(false);
    const audit = await rows<{ action: string; actor: string; target: string }>(
      db.dataSource,
      `SELECT action, actor, target FROM audit_log WHERE target = 'li.ming' ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: 'user.created', actor: 'tester', target: 'li.ming' },
      { action: 'token.created', actor: 'tester', target: 'li.ming' },
      { action: 'token.revoked', actor: 'tester', target: 'li.ming' },
    ]);
  });

  it('when a user exists, then asking for it again reuses it, and asking with another role is refused', async () => {
    const first = await createUser(db.dataSource, { name: 'zhang', role: 'operations' });
    const again = await createUser(db.dataSource, { name: 'zhang', role: 'operations' });
    expect(again).toEqual({ user: first.user, created: false });
    await expect(createUser(db.dataSource, { name: 'zhang', role: 'administrator' })).rejects.toMatchObject({ code: 'USER_ROLE_CONFLICT' });
  });

  it('when the role or the name is not valid, or the user unknown, then nothing is made', async () => {
    const before = await rows(db.dataSource, `SELECT count(*) AS n FROM app_user`);
    await expect(createUser(db.dataSource, { name: 'wu', role: 'cfo' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(createUser(db.dataSource, { name: "x'; DROP TABLE app_user;--", role: 'auditor' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(createToken(db.dataSource, 'nobody')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    expect(await rows(db.dataSource, `SELECT count(*) AS n FROM app_user`)).toEqual(before);
  });
});
