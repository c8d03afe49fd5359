import { Router } from 'express';
import { caller, requirePermission } from '../auth';
import { bulkVoucherBody, documentParams, reasonBody, voucherActBody } from '../schemas';
import type { ActsService } from '../services/acts-service';
import { parse } from '../validation';

/** Acts on vouchers: submit and void (their preparer), approve and reject (anyone else), post; approve and post in bulk. */
export function voucherRoutes(deps: { acts: ActsService }): Router {
  const router = Router();
  const v = deps.acts.vouchers;

  router.post('/vouchers/approve', requirePermission('voucher:approve'), async (req, res) => {
    res.json(await v.approveMany(caller(req), parse(bulkVoucherBody, req.body).ids));
  });
  router.post('/vouchers/post', requirePermission('voucher:post'), async (req, res) => {
    res.json(await v.postMany(caller(req), parse(bulkVoucherBody, req.body).ids));
  });

  const simple = (path: string, permission: string, act: (user: ReturnType<typeof caller>, id: string) => Promise<unknown>) =>
    router.post(`/vouchers/:id/${path}`, requirePermission(permission), async (req, res) => {
      const { id } = parse(documentParams, req.params);
      parse(voucherActBody, req.body);
      res.json(await act(caller(req), id));
    });
  const withReason = (path: string, permission: string, act: (user: ReturnType<typeof caller>, id: string, reason: string) => Promise<unknown>) =>
    router.post(`/vouchers/:id/${path}`, requirePermission(permission), async (req, res) => {
      const { id } = parse(documentParams, req.params);
      const { reason } = parse(reasonBody, req.body);
      res.json(await act(caller(req), id, reason));
    });

  simple('submit', 'voucher:submit', v.submit);
  withReason('void', 'voucher:void', v.void);
  simple('approve', 'voucher:approve', v.approve);
  withReason('reject', 'voucher:approve', v.reject);
  simple('post', 'voucher:post', v.post);
  return router;
}
