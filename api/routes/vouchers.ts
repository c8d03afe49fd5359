import { Router } from 'express';
import { caller, requirePermission } from '../auth';
import { deferBody, documentParams, voucherActBody } from '../schemas';
import type { VoucherService } from '../services/voucher-service';
import { parse } from '../validation';

/** Clearing blockers: vouchers approved and posted, unpaid claims deferred to the next period. */
export function voucherRoutes(deps: { vouchers: VoucherService }): Router {
  const router = Router();

  router.post('/vouchers/:id/approve', requirePermission('voucher:approve'), async (req, res) => {
    const { id } = parse(documentParams, req.params);
    parse(voucherActBody, req.body);
    res.json(await deps.vouchers.approve(caller(req), id));
  });

  router.post('/vouchers/:id/post', requirePermission('voucher:post'), async (req, res) => {
    const { id } = parse(documentParams, req.params);
    parse(voucherActBody, req.body);
    res.json(await deps.vouchers.post(caller(req), id));
  });

  router.post('/reimbursements/:id/defer', requirePermission('reimbursement:defer'), async (req, res) => {
    const { id } = parse(documentParams, req.params);
    const { reason } = parse(deferBody, req.body);
    res.json(await deps.vouchers.deferReimbursement(caller(req), id, reason));
  });

  return router;
}
