/** The name of the dashboard's session cookie. */
export const SESSION_COOKIE = 'close_session';

/** The session cookie's value from a Cookie header, if it has one of the right shape. */
export function sessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return undefined;
}
