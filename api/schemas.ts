import { z } from 'zod';
import {
  closeIdSchema,
  cursorSchema,
  ledgerCodeSchema,
  limitSchema,
  monthEndIdSchema,
  numericIdSchema,
  periodSchema,
  reasonSchema,
  scheduleIdSchema,
} from './validation';

/**
 * Every request's shape, strict (unknown fields are refused). The handlers parse with these and
 * openapi.ts publishes them, so the contract cannot drift from what the code accepts.
 */
const noBody = z.strictObject({});
const closeStates = ['running', 'blocked', 'failed', 'cancelled', 'closed'] as const;

export const startCloseBody = z.strictObject({ ledger: ledgerCodeSchema, period: periodSchema });
export const closeParams = z.strictObject({ id: closeIdSchema });
export const listClosesQuery = z.strictObject({
  state: z.enum(closeStates).optional(),
  ledger: ledgerCodeSchema.optional(),
  period: periodSchema.optional(),
  stalled: z.coerce
    .number()
    .int()
    .min(1)
    .max(525_600)
    .optional()
    .meta({ description: 'Only running or blocked closes with no progress for this many minutes' }),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export const resumeBody = noBody;
export const cancelBody = z.strictObject({ reason: reasonSchema.optional() });

export const listLedgersQuery = z.strictObject({ parent: ledgerCodeSchema.optional(), limit: limitSchema, cursor: cursorSchema.optional() });
export const ledgerParams = z.strictObject({ ledger: ledgerCodeSchema });
export const ledgerPeriodParams = z.strictObject({ ledger: ledgerCodeSchema, period: periodSchema });
export const reopenBody = z.strictObject({ reason: reasonSchema });

export const documentParams = z.strictObject({ id: numericIdSchema });
export const voucherActBody = noBody;
export const deferBody = z.strictObject({ reason: reasonSchema });

const timeZoneSchema = z
  .string()
  .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/)
  .refine(isTimeZone, { error: 'Unknown IANA time zone' });
const scopeFields = {
  ledgers: z.array(ledgerCodeSchema).min(1).max(10_000).optional().meta({ description: 'The ledgers to close (or give parent)' }),
  parent: ledgerCodeSchema.optional().meta({ description: 'Close every active child ledger of this one (or give ledgers)' }),
};
const exactlyOneScope = (v: { ledgers?: string[]; parent?: string }) => (v.ledgers === undefined) !== (v.parent === undefined);
const scopeIssue = { error: 'Name either ledgers or parent, not both.', path: ['ledgers'] };

export const createScheduleBody = z
  .strictObject({
    id: scheduleIdSchema,
    ...scopeFields,
    dayOfMonth: z.number().int().min(1).max(31).default(1),
    hour: z.number().int().min(0).max(23).default(1),
    minute: z.number().int().min(0).max(59).default(0),
    timeZone: timeZoneSchema.default('Asia/Shanghai'),
    concurrency: z.number().int().min(1).max(1000).optional(),
    paused: z.boolean().default(false),
    note: z.string().max(500).optional(),
  })
  .refine(exactlyOneScope, scopeIssue);
export const scheduleParams = z.strictObject({ id: scheduleIdSchema });
export const scheduleNoteBody = z.strictObject({ note: z.string().max(500).optional() });
export const triggerBody = noBody;
export const backfillBody = z
  .strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .refine((v) => Date.parse(v.from) < Date.parse(v.to), { error: '"from" must be before "to".', path: ['to'] });

export const startMonthEndBody = z.strictObject({ period: periodSchema, ...scopeFields }).refine(exactlyOneScope, scopeIssue);
export const monthEndParams = z.strictObject({ id: monthEndIdSchema });

export const auditQuery = z.strictObject({
  ledger: ledgerCodeSchema.optional(),
  period: periodSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
