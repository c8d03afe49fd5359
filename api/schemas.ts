import { z } from 'zod';
import { BLOCKER_CODES } from '../close';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../lib/local-time';
import { NOTIFICATION_CHANNELS, NOTIFICATION_EVENTS } from '../close/notification-events';
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
const timeZoneSchema = z
  .string()
  .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/)
  .refine(isTimeZone, { error: 'Unknown IANA time zone' });

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
  late: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'Only closes past (true) or within (false) their due time by the close calendar' }),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export const resumeBody = noBody;
export const cancelBody = z.strictObject({ reason: reasonSchema.optional() });

export const listLedgersQuery = z.strictObject({ parent: ledgerCodeSchema.optional(), limit: limitSchema, cursor: cursorSchema.optional() });
export const ledgerParams = z.strictObject({ ledger: ledgerCodeSchema });
export const ledgerPeriodParams = z.strictObject({ ledger: ledgerCodeSchema, period: periodSchema });
export const reopenBody = z.strictObject({ reason: reasonSchema });
export const closeReportQuery = z.strictObject({
  format: z.enum(['json', 'csv', 'xlsx']).default('json').meta({ description: 'json (default), csv (UTF-8 with BOM) or xlsx' }),
  tz: timeZoneSchema
    .default(DEFAULT_TIME_ZONE)
    .meta({ description: 'Time zone the CSV and XLSX show times in (default Asia/Shanghai); JSON times are UTC ISO 8601' }),
});

export const documentParams = z.strictObject({ id: numericIdSchema });
export const voucherActBody = noBody;
export const deferBody = z.strictObject({ reason: reasonSchema });
export const reasonBody = z.strictObject({ reason: reasonSchema });
export const bulkVoucherBody = z.strictObject({ ids: z.array(numericIdSchema).min(1).max(200).meta({ description: 'Voucher ids, each acted on by itself' }) });

const amountSchema = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,2})?$/)
  .meta({ description: 'Yuan, up to two decimals, e.g. "1234.50"', examples: ['1234.50'] });
export const prepareVoucherBody = z.strictObject({
  description: z.string().trim().min(1).max(200),
  date: z.iso.date().optional().meta({ description: 'YYYY-MM-DD within the period (default: its last day)' }),
  lines: z
    .array(
      z.strictObject({
        account: z.string().regex(/^[0-9A-Za-z.]{1,20}$/),
        debit: amountSchema.optional(),
        credit: amountSchema.optional(),
        memo: z.string().max(200).optional(),
      }),
    )
    .min(2)
    .max(200),
});
export const readinessQuery = z.strictObject({
  refresh: z.enum(['true', 'false']).optional().meta({ description: 'Ask the bank and the tax platform first' }),
});
export const fromPlatformBody = z.strictObject({
  number: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,40}$/)
    .meta({ description: 'The invoice number on the platform' }),
});
export const acceptDifferenceBody = z.strictObject({
  number: z.string().regex(/^[A-Za-z0-9-]{1,40}$/),
  field: z
    .enum(['buyerName', 'buyerTaxId', 'sellerTaxId', 'amount', 'tax', 'date'])
    .nullable()
    .meta({ description: 'The field that differs; null for an invoice on one side only' }),
  reason: reasonSchema,
});
export const federationReadinessQuery = z.strictObject({
  parent: ledgerCodeSchema,
  period: periodSchema,
  state: z.enum(['open', 'blocked', 'running', 'closed', 'failed', 'reopened']).optional(),
  code: z.enum(BLOCKER_CODES).optional().meta({ description: 'Only ledgers blocked by this code' }),
  ready: z.enum(['true', 'false']).optional(),
  q: z.string().trim().min(1).max(60).optional().meta({ description: 'Only ledgers whose code or name holds this text (case-insensitive)' }),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

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
export const listMonthEndsQuery = z.strictObject({
  period: periodSchema.optional(),
  state: z.enum(['running', 'completed', 'failed', 'cancelled']).optional(),
  // Each run on a page is counted over its ledgers: pages stay smaller than the other lists'.
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorSchema.optional(),
});

export const auditQuery = z.strictObject({
  ledger: ledgerCodeSchema.optional(),
  period: periodSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

/** A subscription (#18); which of url, address and secret each channel needs is checked by the service, with its own code. */
export const createSubscriptionBody = z.strictObject({
  channel: z.strictObject({
    kind: z.enum(NOTIFICATION_CHANNELS),
    url: z.string().min(1).max(2000).optional().meta({ description: 'webhook, wecom, dingtalk: the http(s) URL to POST to' }),
    address: z.string().min(3).max(254).optional().meta({ description: 'email: the recipient' }),
    secret: z
      .string()
      .min(16)
      .max(200)
      .optional()
      .meta({ description: "webhook (required): the HMAC-SHA256 key; dingtalk (optional): the robot's 加签 secret. Never shown again." }),
  }),
  events: z.array(z.enum(NOTIFICATION_EVENTS)).min(1).max(NOTIFICATION_EVENTS.length),
  ledger: ledgerCodeSchema.optional().meta({ description: 'Only this ledger and its subtree (default: every ledger)' }),
  language: z.enum(['zh', 'en']).default('zh').meta({ description: "The recipient's language" }),
});
export const subscriptionParams = z.strictObject({ id: z.uuid().meta({ description: 'Subscription id' }) });
export const listDeliveriesQuery = z.strictObject({
  subscription: z.uuid().optional(),
  state: z.enum(['pending', 'queued', 'retrying', 'sent', 'failed']).optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export const setCalendarBody = z.strictObject({
  workingDay: z.number().int().min(1).max(23).meta({ description: 'A period is due by this working day of the next month' }),
  timeZone: timeZoneSchema.default('Asia/Shanghai'),
  holidays: z.array(z.iso.date()).max(400).default([]).meta({ description: 'Days not worked (YYYY-MM-DD)' }),
  workdays: z.array(z.iso.date()).max(100).default([]).meta({ description: 'Weekend days that are worked (调休)' }),
});

// User administration (issue #17).
const userNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/)
  .meta({ description: 'User name: letters, digits, _ . @ -; at most 64' });
const roleSchema = z
  .string()
  .regex(/^[a-z_]{1,40}$/)
  .meta({ description: 'A role: finance_manager, accountant, operations, auditor, administrator or scheduler' });
const scopeSchema = ledgerCodeSchema
  .nullable()
  .meta({ description: 'The ledger whose subtree the user may touch; null: every ledger (only an administrator of every ledger may grant it)' });
const passwordSchema = z.string().min(12).max(200).meta({ description: 'A password to sign in with, 12 to 200 characters' });
export const createUserBody = z.strictObject({
  name: userNameSchema,
  role: roleSchema,
  scope: scopeSchema.optional().meta({ description: "Absent: the administrator's own scope" }),
  password: passwordSchema.optional(),
});
export const updateUserBody = z
  .strictObject({ role: roleSchema.optional(), scope: scopeSchema.optional() })
  .refine((b) => b.role !== undefined || b.scope !== undefined, { message: 'Name a role or a scope to change.' });
export const userParams = z.strictObject({ name: userNameSchema });
export const deactivateUserBody = noBody;
export const createTokenBody = z.strictObject({
  expiresAt: z.iso.datetime({ offset: true }).optional().meta({ description: 'When the token stops working (default: never; at most two years)' }),
});
export const tokenParams = z.strictObject({ id: numericIdSchema });
export const signInBody = z.strictObject({ name: userNameSchema, password: z.string().min(1).max(200) });
