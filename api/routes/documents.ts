import { Router } from 'express';
import { caller, requirePermission, type ApiUser } from '../auth';
import { documentParams, reasonBody, voucherActBody } from '../schemas';
import type { ActsService } from '../services/acts-service';
import { parse } from '../validation';

/** Acts on the business documents behind a close's blockers: claims, transfers, invoices. */
export function documentRoutes(deps: { acts: ActsService }): Router {
  const router = Router();
  const a = deps.acts;
  const act = (path: string, permission: string, run: (user: ApiUser, id: string) => Promise<unknown>) =>
    router.post(path, requirePermission(permission), async (req, res) => {
      const { id } = parse(documentParams, req.params);
      parse(voucherActBody, req.body);
      res.json(await run(caller(req), id));
    });
  const actWithReason = (path: string, permission: string, run: (user: ApiUser, id: string, reason: string) => Promise<unknown>) =>
    router.post(path, requirePermission(permission), async (req, res) => {
      const { id } = parse(documentParams, req.params);
      const { reason } = parse(reasonBody, req.body);
      res.json(await run(caller(req), id, reason));
    });

  actWithReason('/reimbursements/:id/defer', 'reimbursement:defer', a.reimbursements.defer);
  act('/reimbursements/:id/pay', 'reimbursement:pay', a.reimbursements.pay);
  act('/reimbursements/:id/post', 'reimbursement:post', a.reimbursements.post);
  act('/transfers/:id/ask-bank', 'transfer:query', a.transfers.askBank);
  act('/transfers/:id/resend', 'transfer:resend', a.transfers.resend);
  actWithReason('/transfers/:id/write-off', 'transfer:write_off', a.transfers.writeOff);
  act('/invoices/:id/take-platform-values', 'invoice:correct', a.invoices.takePlatformValues);
  return router;
}
