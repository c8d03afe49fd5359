import { Router } from 'express';
import { caller } from '../auth';

/** Who the token belongs to and what its role may do: how a client (the dashboard) signs in and decides which acts to offer. */
export function meRoutes(): Router {
  const router = Router();
  router.get('/me', (req, res) => {
    const user = caller(req);
    res.json({ name: user.name, role: user.role, scope: user.scope, permissions: [...user.permissions].sort() });
  });
  return router;
}
