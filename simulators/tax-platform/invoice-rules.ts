import { z } from 'zod';
import type { PlatformInvoice } from '../../lib/platform-invoice';

/** The platform's own rules for what it accepts; the client checks only the shape of answers. */

export const MAX_INVOICES_PER_BATCH = 1000;
export const MAX_LIST_LIMIT = 5000;

/** Integer fen; negative amounts are red-letter (credit) invoices. */
const fen = z.number().int().refine(Number.isSafeInteger, 'must be a whole number of fen within the safe integer range');
const taxpayerId = z.string().regex(/^[0-9A-Z]{15,20}$/, 'a taxpayer id is 15 to 20 digits or capital letters');
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a period is written YYYY-MM');

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

export const platformInvoiceSchema = z.strictObject({
  number: z.string().regex(/^[0-9A-Za-z-]{1,40}$/, 'an invoice number is 1 to 40 letters, digits or dashes'),
  sellerTaxId: taxpayerId,
  buyerName: z.string().min(1).max(200),
  // Invoices to private persons carry no buyer taxpayer id.
  buyerTaxId: z.union([z.literal(''), taxpayerId]),
  amount: fen,
  tax: fen,
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is written YYYY-MM-DD')
    .refine(isCalendarDate, 'not a calendar date'),
});
export type { PlatformInvoice };

// The schema validates exactly the shared shape.
const _sameShape: PlatformInvoice = {} as z.output<typeof platformInvoiceSchema>;

export const uploadBatchBodySchema = z.strictObject({
  invoices: z.array(platformInvoiceSchema).min(1).max(MAX_INVOICES_PER_BATCH),
});

export const idempotencyKeySchema = z.string().min(1).max(200);

export const adminInvoicesBodySchema = z.strictObject({
  invoices: z.array(platformInvoiceSchema),
});

export const listQuerySchema = z.object({
  sellerTaxId: taxpayerId,
  period,
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(500),
});

export const summaryQuerySchema = z.object({ sellerTaxId: taxpayerId, period });

export function periodOf(invoice: PlatformInvoice): string {
  return invoice.date.slice(0, 7);
}
