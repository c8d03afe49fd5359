import { Router } from 'express';
import { faultSettingsSchema, type FaultInjector } from './faults';
import { answer, sendValidationError } from './json-app';

/** PUT and GET /admin/faults, the same on every stand-in. */
export function adminFaultsRoutes(faults: FaultInjector): Router {
  const router = Router();
  router.put('/faults', (req, res) => {
    const settings = faultSettingsSchema.safeParse(req.body ?? {});
    if (!settings.success) {
      sendValidationError(res, settings.error);
      return;
    }
    faults.configure(settings.data);
    answer(res, 200, faults.describe());
  });
  router.get('/faults', (_req, res) => answer(res, 200, faults.describe()));
  return router;
}
