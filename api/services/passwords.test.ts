import { decoyHash, hashPassword, verifyPassword } from './passwords';

describe('passwords (argon2id)', () => {
  it('when a password is hashed, then only the right password verifies, and the hash names argon2id and its parameters', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(encoded, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(encoded, 'correct horse battery stapl')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything at all')).toBe(false);
    expect(await verifyPassword(await decoyHash(), 'correct horse battery staple')).toBe(false);
  });

  it('when a password is too short or too long, then it is refused before hashing', async () => {
    await expect(hashPassword('short')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(hashPassword('x'.repeat(201))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
