import { z } from 'zod';
import { ErrorCodes } from '../lib/errors';
import * as s from './schemas';

interface Operation {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  permission?: string;
  /** Needs a token but no permission (every signed-in user). */
  signedIn?: true;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  ok: Record<number, string>;
  errors?: string;
}

/** Every endpoint, described once; the request schemas are the very ones the handlers parse with. */
const operations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/me',
    summary: "Who the token belongs to: name, role, organisation scope (a ledger code; null: every ledger) and the role's permissions (any signed-in user)",
    signedIn: true,
    ok: { 200: '{ name, role, scope, permissions }' },
  },
  {
    method: 'post',
    path: '/api/v1/closes',
    summary: "Start the close of a ledger's period",
    permission: 'close:start',
    body: s.startCloseBody,
    ok: { 202: 'Started; Location names the close', 200: 'The same close was already running' },
    errors: '400 404 409 422',
  },
  {
    method: 'get',
    path: '/api/v1/closes',
    summary: 'Closes, newest first, paged',
    permission: 'close:read',
    query: s.listClosesQuery,
    ok: { 200: '{ items, next }' },
    errors: '400',
  },
  {
    method: 'get',
    path: '/api/v1/closes/{id}',
    summary: 'One close: state, steps, blockers, errors',
    permission: 'close:read',
    params: s.closeParams,
    ok: { 200: 'The close' },
    errors: '400 404',
  },
  {
    method: 'post',
    path: '/api/v1/closes/{id}/resume',
    summary: 'Re-check blockers now',
    permission: 'close:resume',
    params: s.closeParams,
    body: s.resumeBody,
    ok: { 202: 'Signalled' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/closes/{id}/cancel',
    summary: 'Cancel a running close; its period is reopened as it was',
    permission: 'close:cancel',
    params: s.closeParams,
    body: s.cancelBody,
    ok: { 202: 'Signalled' },
    errors: '400 404 409',
  },
  {
    method: 'get',
    path: '/api/v1/ledgers',
    summary: 'Ledgers with their latest closed period',
    permission: 'close:read',
    query: s.listLedgersQuery,
    ok: { 200: '{ items, next }' },
    errors: '400 404',
  },
  {
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/periods',
    summary: "A ledger's periods: state, who closed them and when",
    permission: 'close:read',
    params: s.ledgerParams,
    ok: { 200: '{ ledger, items }' },
    errors: '400 404',
  },
  {
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/periods/{period}/trial-balance',
    summary: 'Trial balance (试算平衡表) per account',
    permission: 'close:read',
    params: s.ledgerPeriodParams,
    ok: { 200: 'The trial balance' },
    errors: '400 404',
  },
  {
    method: 'post',
    path: '/api/v1/ledgers/{ledger}/periods/{period}/invoice-sync',
    summary: "Sync the period's invoices with the tax platform ahead of the close (joins a running sync)",
    permission: 'close:start',
    params: s.ledgerPeriodParams,
    ok: { 200: 'Done: uploaded, matched, and the differences the close would block on', 202: 'Still running; GET the same path' },
    errors: '400 404 409',
  },
  {
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/periods/{period}/invoice-sync',
    summary: 'The latest invoice sync of the period: running, its result, or why it failed',
    permission: 'close:read',
    params: s.ledgerPeriodParams,
    ok: { 200: 'The latest run' },
    errors: '400 404',
  },
  {
    method: 'post',
    path: '/api/v1/ledgers/{ledger}/periods/{period}/reopen',
    summary: 'Reopen (反结账) the latest closed period',
    permission: 'period:reopen',
    params: s.ledgerPeriodParams,
    body: s.reopenBody,
    ok: { 200: 'Reopened' },
    errors: '400 404 409',
  },
  {
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/periods/{period}/readiness',
    summary:
      'Pre-close check (结账检查): every blocker of the period at once, each item with the acts the caller may take; read-only (refresh=true asks the bank and the tax platform first)',
    permission: 'close:read',
    params: s.ledgerPeriodParams,
    query: s.readinessQuery,
    ok: { 200: '{ ledger, period, state, ready, checkedAt, blockers, knownAt }' },
    errors: '400 404 502 503',
  },
  {
    method: 'get',
    path: '/api/v1/readiness',
    summary: "Pre-close check of every ledger under a federation: each ledger's state, readiness and blocker counts, paged, with totals",
    permission: 'close:read',
    query: s.federationReadinessQuery,
    ok: { 200: '{ parent, period, items: [{ ledger, name, state, ready, counts }], totals, next }' },
    errors: '400 404',
  },
  {
    method: 'post',
    path: '/api/v1/ledgers/{ledger}/periods/{period}/vouchers',
    summary: 'Prepare a voucher (a draft, for its preparer to submit); an adjusting voucher clears a sub-ledger difference',
    permission: 'voucher:prepare',
    params: s.ledgerPeriodParams,
    body: s.prepareVoucherBody,
    ok: { 201: 'The draft voucher' },
    errors: '400 404 409 422',
  },
  {
    method: 'post',
    path: '/api/v1/ledgers/{ledger}/periods/{period}/invoices/from-platform',
    summary: 'Record in the ledger an invoice the tax platform has and the ledger lacks (with its sub-ledger entry and a draft voucher)',
    permission: 'invoice:correct',
    params: s.ledgerPeriodParams,
    body: s.fromPlatformBody,
    ok: { 201: 'The invoice' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/ledgers/{ledger}/periods/{period}/invoice-differences',
    summary: 'Accept a known difference with the tax platform, with a reason (it no longer blocks; the close lists it)',
    permission: 'invoice:accept',
    params: s.ledgerPeriodParams,
    body: s.acceptDifferenceBody,
    ok: { 201: 'The accepted difference' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/ledgers/{ledger}/periods/{period}/openings/align',
    summary: "Set the period's opening balances to the previous period's closing balances, with a reason",
    permission: 'balance:align',
    params: s.ledgerPeriodParams,
    body: s.reasonBody,
    ok: { 200: 'The accounts aligned' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/vouchers/approve',
    summary: 'Approve vouchers in bulk (批量审核): each on its own, a result per voucher',
    permission: 'voucher:approve',
    body: s.bulkVoucherBody,
    ok: { 200: '{ results: [{ id, ok, result | error }] }' },
    errors: '400',
  },
  {
    method: 'post',
    path: '/api/v1/vouchers/post',
    summary: 'Post vouchers in bulk (批量记账): each on its own, a result per voucher',
    permission: 'voucher:post',
    body: s.bulkVoucherBody,
    ok: { 200: '{ results: [{ id, ok, result | error }] }' },
    errors: '400',
  },
  {
    method: 'post',
    path: '/api/v1/vouchers/{id}/submit',
    summary: 'Submit (or resubmit) a voucher for approval (its preparer)',
    permission: 'voucher:submit',
    params: s.documentParams,
    body: s.voucherActBody,
    ok: { 200: 'The voucher' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/vouchers/{id}/void',
    summary: 'Void a draft or rejected voucher (its preparer), with a reason',
    permission: 'voucher:void',
    params: s.documentParams,
    body: s.reasonBody,
    ok: { 200: 'Voided' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/vouchers/{id}/reject',
    summary: 'Reject a submitted voucher (not its preparer), with a reason',
    permission: 'voucher:approve',
    params: s.documentParams,
    body: s.reasonBody,
    ok: { 200: 'The voucher' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/vouchers/{id}/approve',
    summary: 'Approve a submitted voucher (not its preparer)',
    permission: 'voucher:approve',
    params: s.documentParams,
    body: s.voucherActBody,
    ok: { 200: 'The voucher' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/vouchers/{id}/post',
    summary: 'Post an approved voucher',
    permission: 'voucher:post',
    params: s.documentParams,
    body: s.voucherActBody,
    ok: { 200: 'The voucher' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/reimbursements/{id}/pay',
    summary: 'Record the payment of a claim (出纳付款)',
    permission: 'reimbursement:pay',
    params: s.documentParams,
    body: s.voucherActBody,
    ok: { 200: 'The claim' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/reimbursements/{id}/post',
    summary: 'Post a paid claim: the product writes its voucher',
    permission: 'reimbursement:post',
    params: s.documentParams,
    body: s.voucherActBody,
    ok: { 200: 'The claim' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/transfers/{id}/ask-bank',
    summary: 'Ask the bank about a transfer now; what it says is kept',
    permission: 'transfer:query',
    params: s.documentParams,
    body: s.voucherActBody,
    ok: { 200: 'The transfer' },
    errors: '400 404 409 502 503',
  },
  {
    method: 'post',
    path: '/api/v1/transfers/{id}/resend',
    summary: 'Re-send a failed transfer (the bank sends it once however often asked)',
    permission: 'transfer:resend',
    params: s.documentParams,
    body: s.voucherActBody,
    ok: { 200: 'The transfer' },
    errors: '400 404 409 502 503',
  },
  {
    method: 'post',
    path: '/api/v1/transfers/{id}/write-off',
    summary: 'Accept a returned transfer (退汇): posted and reversed, with a reason',
    permission: 'transfer:write_off',
    params: s.documentParams,
    body: s.reasonBody,
    ok: { 200: 'The transfer' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/invoices/{id}/take-platform-values',
    summary: "Take the tax platform's values of an invoice's differing fields (抬头, 纳税人识别号, date)",
    permission: 'invoice:correct',
    params: s.documentParams,
    body: s.voucherActBody,
    ok: { 200: 'The invoice' },
    errors: '400 404 409',
  },
  {
    method: 'post',
    path: '/api/v1/reimbursements/{id}/defer',
    summary: 'Defer an unpaid claim to the next period',
    permission: 'reimbursement:defer',
    params: s.documentParams,
    body: s.deferBody,
    ok: { 200: 'The claim' },
    errors: '400 404 409',
  },
  { method: 'get', path: '/api/v1/schedules', summary: 'Month-end schedules', permission: 'schedule:manage', ok: { 200: '{ items }' } },
  {
    method: 'post',
    path: '/api/v1/schedules',
    summary: 'Create a month-end schedule',
    permission: 'schedule:manage',
    body: s.createScheduleBody,
    ok: { 201: 'Created' },
    errors: '400 404 409',
  },
  {
    method: 'get',
    path: '/api/v1/schedules/{id}',
    summary: 'One schedule',
    permission: 'schedule:manage',
    params: s.scheduleParams,
    ok: { 200: 'The schedule' },
    errors: '400 404',
  },
  {
    method: 'delete',
    path: '/api/v1/schedules/{id}',
    summary: 'Delete a schedule',
    permission: 'schedule:manage',
    params: s.scheduleParams,
    ok: { 204: 'Deleted' },
    errors: '400 404',
  },
  {
    method: 'post',
    path: '/api/v1/schedules/{id}/pause',
    summary: 'Pause a schedule',
    permission: 'schedule:manage',
    params: s.scheduleParams,
    body: s.scheduleNoteBody,
    ok: { 200: 'The schedule' },
    errors: '400 404',
  },
  {
    method: 'post',
    path: '/api/v1/schedules/{id}/unpause',
    summary: 'Unpause a schedule',
    permission: 'schedule:manage',
    params: s.scheduleParams,
    body: s.scheduleNoteBody,
    ok: { 200: 'The schedule' },
    errors: '400 404',
  },
  {
    method: 'post',
    path: '/api/v1/schedules/{id}/trigger',
    summary: 'Run the month-end now',
    permission: 'schedule:manage',
    params: s.scheduleParams,
    body: s.triggerBody,
    ok: { 202: 'Triggered' },
    errors: '400 404',
  },
  {
    method: 'post',
    path: '/api/v1/schedules/{id}/backfill',
    summary: 'Run the month-ends a time range missed',
    permission: 'schedule:manage',
    params: s.scheduleParams,
    body: s.backfillBody,
    ok: { 202: 'Backfilling' },
    errors: '400 404',
  },
  {
    method: 'post',
    path: '/api/v1/month-ends',
    summary: 'Start a month-end for many ledgers',
    permission: 'month_end:start',
    body: s.startMonthEndBody,
    ok: { 202: 'Started; Location names the month-end' },
    errors: '400 404 422',
  },
  {
    method: 'get',
    path: '/api/v1/month-ends/{id}',
    summary: 'A month-end with its per-ledger summary',
    permission: 'month_end:read',
    params: s.monthEndParams,
    ok: { 200: 'The month-end' },
    errors: '400 404',
  },
  {
    method: 'get',
    path: '/api/v1/audit',
    summary: 'The audit log, newest first, paged',
    permission: 'audit:read',
    query: s.auditQuery,
    ok: { 200: '{ items, next }' },
    errors: '400 404',
  },
  { method: 'get', path: '/healthz', summary: 'The process is alive', ok: { 200: '{ status: "ok" }' } },
  { method: 'get', path: '/readyz', summary: 'PostgreSQL and Temporal answer', ok: { 200: 'Ready', 503: 'Names the dependency that does not answer' } },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', ok: { 200: 'text exposition format' } },
];

const jsonSchema = (schema: z.ZodType): Record<string, unknown> => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

function parameters(where: 'path' | 'query', schema?: z.ZodObject): unknown[] {
  if (!schema) return [];
  const js = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: property,
  }));
}

function operationObject(op: Operation): Record<string, unknown> {
  const responses: Record<string, unknown> = Object.fromEntries(Object.entries(op.ok).map(([status, description]) => [status, { description }]));
  const errorStatuses = op.permission ? ['401', '403', ...(op.errors ?? '').split(' ').filter(Boolean)] : op.signedIn ? ['401'] : [];
  for (const status of errorStatuses) responses[status] = { $ref: '#/components/responses/Error' };
  return {
    summary: op.summary,
    ...(op.permission
      ? { description: `Needs the permission \`${op.permission}\`.`, 'x-permission': op.permission }
      : op.signedIn
        ? { description: 'Any signed-in user.' }
        : { security: [] }),
    parameters: [...parameters('path', op.params), ...parameters('query', op.query)],
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
    responses,
  };
}

/** The API as OpenAPI 3.1 (JSON Schema 2020-12, which is what z.toJSONSchema writes). */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method] = operationObject(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Period-end close (期末结账) API',
      version: '1.0.0',
      description: 'Every error is { "error": { "code", "message", "details" } } with a stable code.',
    },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { enum: Object.keys(ErrorCodes) }, message: { type: 'string' }, details: {} },
            },
          },
        },
      },
      responses: { Error: { description: 'An error with a stable code', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
    },
  };
}
