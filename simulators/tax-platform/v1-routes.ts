import { createHash } from 'node:crypto';
import express, { Router } from 'express';
import { answer, sendError, sendValidationError } from '../common/json-app';
import { idempotencyKeySchema, listQuerySchema, summaryQuerySchema, uploadBatchBodySchema } from './invoice-rules';
import type { TaxPlatformState } from './state';

// The cursor is the last number of the page, opaque to clients.
function encodeCursor(lastNumber: string): string {
  return Buffer.from(lastNumber, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string | undefined {
  const lastNumber = Buffer.from(cursor, 'base64url').toString('utf8');
  return lastNumber.length > 0 && encodeCursor(lastNumber) === cursor ? lastNumber : undefined;
}

function fingerprintOf(batch: unknown): string {
  return createHash('sha256').update(JSON.stringify(batch)).digest('hex');
}

/** The platform's API proper: upload invoice batches, list or summarise a seller's invoices of a period. */
export function taxPlatformV1Routes(state: TaxPlatformState): Router {
  const router = Router();
  router.use(express.json({ limit: '4mb' }));

  router.post('/invoices/batches', (req, res) => {
    const key = idempotencyKeySchema.safeParse(req.get('Idempotency-Key'));
    if (!key.success) {
      sendError(res, 400, 'idempotency_key_required', 'Send an Idempotency-Key header (1 to 200 characters) with every batch.');
      return;
    }
    const body = uploadBatchBodySchema.safeParse(req.body);
    if (!body.success) {
      sendValidationError(res, body.error);
      return;
    }
    const fingerprint = fingerprintOf(body.data.invoices);
    const earlier = state.replies.get(key.data);
    if (earlier !== undefined) {
      if (earlier.fingerprint !== fingerprint) {
        sendError(res, 422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different batch.');
        return;
      }
      state.stats.duplicateBatchReplays += 1;
      answer(res, 200, earlier.reply);
      return;
    }
    const reply = state.store.upload(body.data.invoices);
    state.replies.set(key.data, { fingerprint, reply });
    state.stats.batchesStored += 1;
    state.stats.invoicesAccepted += reply.accepted;
    state.stats.invoicesDuplicate += reply.duplicates;
    state.stats.invoicesRejected += reply.rejected.length;
    answer(res, 200, reply);
  });

  router.get('/invoices/summary', (req, res) => {
    const query = summaryQuerySchema.safeParse(req.query);
    if (!query.success) {
      sendValidationError(res, query.error);
      return;
    }
    state.stats.summaries += 1;
    answer(res, 200, state.store.summary(query.data.sellerTaxId, query.data.period));
  });

  router.get('/invoices', (req, res) => {
    const query = listQuerySchema.safeParse(req.query);
    if (!query.success) {
      sendValidationError(res, query.error);
      return;
    }
    const { sellerTaxId, period, cursor, limit } = query.data;
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && after === undefined) {
      sendError(res, 400, 'invalid_cursor', 'The cursor is not one this platform handed out.');
      return;
    }
    const page = state.store.list(sellerTaxId, period, after, limit);
    state.stats.pagesListed += 1;
    answer(res, 200, { items: page.items, next: page.lastNumber === null ? null : encodeCursor(page.lastNumber) });
  });

  return router;
}
