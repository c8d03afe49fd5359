import { Router } from 'express';
import { caller, requirePermission } from '../auth';
import { createTokenBody, createUserBody, deactivateUserBody, ledgerParams, tokenParams, updateUserBody, userParams } from '../schemas';
import type { UserAdminService } from '../services/user-admin-service';
import { parse } from '../validation';

/** User administration (user:manage), within the administrator's own scope. */
export function userRoutes(deps: { users: UserAdminService }): Router {
  const router = Router();
  const manage = requirePermission('user:manage');

  router.post('/users', manage, async (req, res) => {
    const user = await deps.users.create(caller(req), parse(createUserBody, req.body));
    res
      .status(201)
      .location(`/api/v1/users/${encodeURIComponent(user.name)}`)
      .json(user);
  });

  router.get('/users', manage, async (req, res) => {
    res.json(await deps.users.list(caller(req)));
  });

  router.patch('/users/:name', manage, async (req, res) => {
    const { name } = parse(userParams, req.params);
    res.json(await deps.users.update(caller(req), name, parse(updateUserBody, req.body)));
  });

  router.post('/users/:name/deactivate', manage, async (req, res) => {
    const { name } = parse(userParams, req.params);
    parse(deactivateUserBody, req.body ?? {});
    res.json(await deps.users.deactivate(caller(req), name));
  });

  // The token is in this answer only; the database keeps its SHA-256.
  router.post('/users/:name/tokens', manage, async (req, res) => {
    const { name } = parse(userParams, req.params);
    const { expiresAt } = parse(createTokenBody, req.body ?? {});
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json(await deps.users.createToken(caller(req), name, expiresAt));
  });

  router.delete('/tokens/:id', manage, async (req, res) => {
    await deps.users.revokeToken(caller(req), parse(tokenParams, req.params).id);
    res.status(204).end();
  });

  router.get('/ledgers/:ledger/access', manage, async (req, res) => {
    res.json(await deps.users.access(caller(req), parse(ledgerParams, req.params).ledger));
  });

  return router;
}
