import { z } from 'zod';
import { AppError } from '../lib/errors';
import { createJsonCaller, type ExternalSystem, type HttpJsonOptions } from './http-json';
import type { PlatformInvoice } from '../lib/platform-invoice';

/** An invoice as the tax authority's e-invoice platform knows it. Money in integer fen. */
export type { PlatformInvoice };

export interface UploadResult {
  accepted: number;
  duplicates: number;
  rejected: Array<{ number: string; reason: string }>;
}

/** The platform's count and digest of a seller's period (spec in simulators/tax-platform/store.ts, InvoiceSummary). */
export interface PlatformSummary {
  count: number;
  digest: string;
}

export interface TaxPlatformClient {
  /** Uploads at most MAX_UPLOAD_BATCH invoices; the same key must always carry the same batch. */
  uploadBatch(idempotencyKey: string, invoices: PlatformInvoice[]): Promise<UploadResult>;
  /** The platform's invoices of one seller and period, page by page, ordered by number. */
  listInvoices(sellerTaxId: string, period: string): AsyncIterable<PlatformInvoice[]>;
  /** Count and digest of the same invoices, so an unchanged period need not be listed; optional for platforms without it. */
  summarize?(sellerTaxId: string, period: string): Promise<PlatformSummary>;
}

export const MAX_UPLOAD_BATCH = 1000;

export interface HttpTaxPlatformClientOptions extends HttpJsonOptions {
  /** Invoices asked for per listing page (default 1000, the platform allows up to 5000). */
  pageSize?: number;
}

const taxPlatform: ExternalSystem = {
  name: 'the tax e-invoice platform',
  unavailable: 'TAX_PLATFORM_UNAVAILABLE',
  badResponse: 'TAX_PLATFORM_BAD_RESPONSE',
  rejected: 'TAX_PLATFORM_REJECTED',
};

const fen = z.number().int().refine(Number.isSafeInteger, 'must be a whole number of fen');

// The shape of answers only: what the platform accepts is the platform's business.
const platformInvoiceSchema = z.object({
  number: z.string().min(1),
  sellerTaxId: z.string(),
  buyerName: z.string(),
  buyerTaxId: z.string(),
  amount: fen,
  tax: fen,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

const uploadResultSchema = z.object({
  accepted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  rejected: z.array(z.object({ number: z.string(), reason: z.string() })),
});

const summarySchema = z.object({
  count: z.number().int().min(0),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});

const invoicePageSchema = z.object({
  items: z.array(platformInvoiceSchema),
  next: z.string().min(1).nullable(),
});

/** Only the platform's fields go out, whatever else the caller's objects carry (ledger ids). */
function platformFieldsOf(invoice: PlatformInvoice): PlatformInvoice {
  const { number, sellerTaxId, buyerName, buyerTaxId, amount, tax, date } = invoice;
  return { number, sellerTaxId, buyerName, buyerTaxId, amount, tax, date };
}

export function createHttpTaxPlatformClient(options: HttpTaxPlatformClientOptions): TaxPlatformClient {
  const call = createJsonCaller(taxPlatform, options);
  const pageSize = options.pageSize ?? 1000;

  return {
    async uploadBatch(idempotencyKey, invoices) {
      if (invoices.length > MAX_UPLOAD_BATCH) throw new RangeError(`A batch holds at most ${MAX_UPLOAD_BATCH} invoices; got ${invoices.length}.`);
      if (invoices.length === 0) return { accepted: 0, duplicates: 0, rejected: [] };
      const result = await call({
        method: 'POST',
        path: '/v1/invoices/batches',
        what: `upload of invoice batch ${idempotencyKey}`,
        headers: { 'idempotency-key': idempotencyKey },
        body: { invoices: invoices.map(platformFieldsOf) },
        schema: uploadResultSchema,
      });
      const answered = result.accepted + result.duplicates + result.rejected.length;
      if (answered !== invoices.length) {
        throw new AppError(
          'TAX_PLATFORM_BAD_RESPONSE',
          `The tax e-invoice platform accounted for ${answered} of the ${invoices.length} invoices of batch ${idempotencyKey}.`,
          { result },
        );
      }
      return result;
    },

    summarize: (sellerTaxId, period) =>
      call({
        method: 'GET',
        path: '/v1/invoices/summary',
        what: `summary of the invoices of ${sellerTaxId} for ${period}`,
        query: { sellerTaxId, period },
        schema: summarySchema,
      }),

    async *listInvoices(sellerTaxId, period) {
      let cursor: string | undefined;
      for (;;) {
        const page = await call({
          method: 'GET',
          path: '/v1/invoices',
          what: `listing of the invoices of ${sellerTaxId} for ${period}`,
          query: { sellerTaxId, period, cursor, limit: pageSize },
          schema: invoicePageSchema,
        });
        if (page.items.length > 0) yield page.items;
        if (page.next === null) return;
        if (page.next === cursor)
          throw new AppError(
            'TAX_PLATFORM_BAD_RESPONSE',
            `The tax e-invoice platform handed out the same cursor twice while listing ${sellerTaxId} ${period}.`,
          );
        cursor = page.next;
      }
    },
  };
}
