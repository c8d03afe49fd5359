import { Router, type Response } from 'express';
import { AppError } from '../../lib/errors';
import { caller } from '../auth';
import { signInBody } from '../schemas';
import { SESSION_COOKIE } from '../session-cookie';
import { SESSION_HOURS, type SessionService } from '../services/session-service';
import { parse } from '../validation';

/** The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), only to the API, expiring with the session. */
function setCookie(res: Response, value: string, maxAgeSeconds: number, secure: boolean): void {
  const attributes = [`${SESSION_COOKIE}=${value}`, 'Path=/api/v1', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (secure) attributes.push('Secure');
  res.append('Set-Cookie', attributes.join('; '));
}

/** POST /api/v1/session: sign in with name and password (no token needed, so it sits before authenticate). */
export function signInRoutes(deps: { sessions: SessionService }): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const { name, password } = parse(signInBody, req.body);
    const session = await deps.sessions.signIn(name, password);
    setCookie(res, session.token, SESSION_HOURS * 3600, req.secure);
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ ...session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt });
  });
  return router;
}

/** DELETE /api/v1/session: sign out, behind authenticate (and so, for a cookie, behind the CSRF check). */
export function signOutRoutes(deps: { sessions: SessionService }): Router {
  const router = Router();
  router.delete('/session', async (req, res) => {
    const user = caller(req);
    if (user.sessionId === undefined)
      throw new AppError('VALIDATION_FAILED', 'This request is signed with a bearer token, not a session; revoke a token instead.');
    await deps.sessions.signOut(user.sessionId, user.name);
    setCookie(res, '', 0, req.secure);
    res.status(204).end();
  });
  return router;
}
