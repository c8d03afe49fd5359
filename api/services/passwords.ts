import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../lib/errors';

/**
 * Passwords of people who sign in to the dashboard: argon2id at OWASP's recommended minimum
 * (19 MiB, 2 passes, 1 lane), through @node-rs/argon2's prebuilt binary (no install script runs).
 * Only the encoded hash is kept, which names its own parameters, so they can be raised later.
 */
// algorithm 2 is Argon2id (the package's Algorithm is a const enum, which isolated modules cannot read).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

/** A password long enough to resist guessing and short enough not to make hashing a denial of service. */
export function assertPasswordAcceptable(password: string): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    throw new AppError('VALIDATION_FAILED', `A password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`, { field: 'password' });
  }
}

export async function hashPassword(password: string): Promise<string> {
  assertPasswordAcceptable(password);
  return hash(password, OPTIONS);
}

export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  try {
    return await verify(encoded, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a password nobody has, verified against when the user is unknown, so that an unknown
 * name costs as long as a wrong password and sign-in does not reveal which names exist.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hash('decoy password that matches nothing', OPTIONS);
  return decoy;
}
