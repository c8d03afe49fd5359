import { randomUUID } from 'node:crypto';
import type { Response, Test } from 'supertest';
import { rows } from '../../db/sql';
import { addInvoice, addReimbursement, addTransfer, addVoucher, createLedger } from '../fixtures/books';
import { startApiHarness, waitForClose, type ApiHarness, type Client } from './harness';

/**
 * Organisation scope (issue #17) over the real API: users of every role, scoped to (a) a grassroots
 * union GR-1, (b) its federation FED-S, (c) the sibling union GR-2. On GR-1's books each may do
 * exactly what its role grants when GR-1 is in scope (a and b), and gets, outside it (c), the very
 * answer a ledger, close or document that does not exist gets: same status, code and message.
 */
const period = '2026-10';
const ROLES = ['finance_manager', 'accountant', 'operations', 'auditor', 'administrator', 'scheduler'];
const SCOPES = { grassroots: 'GR-1', federation: 'FED-S', sibling: 'GR-2' } as const;
const lines = [
  { account: '501', debit: 10_00 },
  { account: '102', credit: 10_00 },
];

interface Targets {
  ledger: string;
  close: string;
  voucher: string;
  claim: string;
  transfer: string;
  invoice: string;
}
const ghost: Targets = { ledger: 'NO-SUCH', close: randomUUID(), voucher: '987654321', claim: '987654322', transfer: '987654323', invoice: '987654324' };

/** One request on GR-1's books (or, with the ghost targets, on books that do not exist) and the permission it needs. */
const CASES: Array<{ what: string; permission: string; send(c: Client, t: Targets): Test }> = [
  { what: 'periods', permission: 'close:read', send: (c, t) => c.get(`/api/v1/ledgers/${t.ledger}/periods`) },
  { what: 'trial balance', permission: 'close:read', send: (c, t) => c.get(`/api/v1/ledgers/${t.ledger}/periods/${period}/trial-balance`) },
  { what: 'readiness', permission: 'close:read', send: (c, t) => c.get(`/api/v1/ledgers/${t.ledger}/periods/${period}/readiness`) },
  { what: 'invoice sync, latest', permission: 'close:read', send: (c, t) => c.get(`/api/v1/ledgers/${t.ledger}/periods/${period}/invoice-sync`) },
  { what: 'close', permission: 'close:read', send: (c, t) => c.get(`/api/v1/closes/${t.close}`) },
  { what: 'close start', permission: 'close:start', send: (c, t) => c.post('/api/v1/closes', { ledger: t.ledger, period }) },
  { what: 'close resume', permission: 'close:resume', send: (c, t) => c.post(`/api/v1/closes/${t.close}/resume`) },
  { what: 'reopen', permission: 'period:reopen', send: (c, t) => c.post(`/api/v1/ledgers/${t.ledger}/periods/${period}/reopen`, { reason: 'matrix' }) },
  { what: 'voucher approve', permission: 'voucher:approve', send: (c, t) => c.post(`/api/v1/vouchers/${t.voucher}/approve`) },
  { what: 'voucher post', permission: 'voucher:post', send: (c, t) => c.post(`/api/v1/vouchers/${t.voucher}/post`) },
  { what: 'voucher submit', permission: 'voucher:submit', send: (c, t) => c.post(`/api/v1/vouchers/${t.voucher}/submit`) },
  { what: 'claim pay', permission: 'reimbursement:pay', send: (c, t) => c.post(`/api/v1/reimbursements/${t.claim}/pay`) },
  { what: 'transfer resend', permission: 'transfer:resend', send: (c, t) => c.post(`/api/v1/transfers/${t.transfer}/resend`) },
  { what: 'invoice take values', permission: 'invoice:correct', send: (c, t) => c.post(`/api/v1/invoices/${t.invoice}/take-platform-values`) },
  { what: 'audit of a ledger', permission: 'audit:read', send: (c, t) => c.get(`/api/v1/audit?ledger=${t.ledger}`) },
  {
    what: 'month-end of a ledger',
    permission: 'month_end:start',
    // A future period: refused for the period in scope, so the matrix starts no month-end.
    send: (c, t) => c.post('/api/v1/month-ends', { period: '2099-01', ledgers: [t.ledger] }),
  },
];

/** A message with the targets' identifiers blanked, so a real and a ghost target's answers compare. */
const shape = (res: Response, t: Targets) =>
  ({
    status: res.status,
    code: res.body?.error?.code,
    message: Object.values(t).reduce((m: string, v) => m.replace(new RegExp(`\\b${v}\\b`, 'g'), '<id>'), String(res.body?.error?.message ?? '')),
  }) as const;

describe('organisation scope: role × scope over the API', () => {
  let h: ApiHarness;
  let real: Targets;
  let grants: Record<string, string[]>;
  const user = (role: string, scope: keyof typeof SCOPES) => `${role}.${scope}`;

  beforeAll(async () => {
    h = await startApiHarness();
    await createLedger(h.ds, { code: 'FED-S', firstPeriod: period });
    const gr1 = (await createLedger(h.ds, { code: 'GR-1', parentCode: 'FED-S', firstPeriod: period })).id;
    await createLedger(h.ds, { code: 'GR-2', parentCode: 'FED-S', firstPeriod: period });
    // Documents past every act, so an allowed act answers a state error and changes nothing.
    const voucher = (await addVoucher(h.ds, { ledgerId: gr1, period, lines })).id;
    const claim = (await addReimbursement(h.ds, { ledgerId: gr1, period, amount: 10_00, state: 'deferred', deferredTo: '2026-11', deferredReason: 'x' })).id;
    const transfer = (await addTransfer(h.ds, { ledgerId: gr1, period, reference: 'MX-1', amount: 10_00, state: 'in_transit' })).id;
    const invoice = (await addInvoice(h.ds, { ledgerId: gr1, period, amount: 10_00 })).id;
    // A draft keeps GR-1's close blocked, so it stays there to be read and resumed.
    await addVoucher(h.ds, { ledgerId: gr1, period, state: 'draft', preparer: 'clerk', lines });
    const started = await h.as('fm').post('/api/v1/closes', { ledger: 'GR-1', period });
    await waitForClose(h, started.body.id, ['blocked']);
    real = { ledger: 'GR-1', close: started.body.id, voucher, claim, transfer, invoice };
    grants = Object.fromEntries(
      (await rows<{ role: string; p: string[] }>(h.ds, `SELECT role, array_agg(permission) AS p FROM role_permission GROUP BY role`)).map((r) => [r.role, r.p]),
    );
    for (const role of ROLES) for (const [key, ledger] of Object.entries(SCOPES)) await h.addUser(user(role, key as keyof typeof SCOPES), role, ledger);
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });

  for (const role of ROLES) {
    it(`when a ${role} acts on GR-1's books, then in scope (GR-1, FED-S) the role decides, and outside it (GR-2) they do not exist`, async () => {
      const problems: string[] = [];
      for (const c of CASES) {
        const allowed = grants[role]?.includes(c.permission) ?? false;
        const missing = shape(await c.send(h.as(user(role, 'grassroots')), ghost), ghost);
        for (const scope of ['grassroots', 'federation', 'sibling'] as const) {
          const got = shape(await c.send(h.as(user(role, scope)), real), real);
          const expected = !allowed ? 'PERMISSION_DENIED' : scope === 'sibling' ? 'as missing' : 'in scope';
          const ok =
            expected === 'PERMISSION_DENIED'
              ? got.status === 403 && got.code === 'PERMISSION_DENIED'
              : expected === 'as missing'
                ? JSON.stringify(got) === JSON.stringify(missing)
                : got.status < 500 && got.status !== 403 && got.code !== missing.code;
          if (!ok) problems.push(`${c.what} as ${scope}: expected ${expected} (${JSON.stringify(missing)}), got ${JSON.stringify(got)}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('when ledgers, closes, federation readiness and the audit log are listed, then they hold only ledgers in the caller’s subtree', async () => {
    const codes = async (who: string) => (await h.as(who).get('/api/v1/ledgers')).body.items.map((l: { code: string }) => l.code);
    expect(await codes(user('finance_manager', 'grassroots'))).toEqual(['GR-1']);
    expect(await codes(user('finance_manager', 'federation'))).toEqual(['FED-S', 'GR-1', 'GR-2']);
    expect(await codes(user('finance_manager', 'sibling'))).toEqual(['GR-2']);
    // The parent outside a grassroots scope is not named.
    expect((await h.as(user('finance_manager', 'grassroots')).get('/api/v1/ledgers')).body.items[0].parent).toBeNull();

    const closes = async (who: string) => (await h.as(who).get('/api/v1/closes')).body.items.map((c: { ledger: string }) => c.ledger);
    expect(await closes(user('operations', 'grassroots'))).toEqual(['GR-1']);
    expect(await closes(user('operations', 'sibling'))).toEqual([]);

    const federation = await h.as(user('auditor', 'federation')).get(`/api/v1/readiness?parent=FED-S&period=${period}`);
    expect(federation.body.items.map((i: { ledger: string }) => i.ledger)).toEqual(['GR-1', 'GR-2']);
    const tooHigh = await h.as(user('auditor', 'grassroots')).get(`/api/v1/readiness?parent=FED-S&period=${period}`);
    expect([tooHigh.status, tooHigh.body.error.code]).toEqual([404, 'LEDGER_NOT_FOUND']);

    const audited = async (who: string) => new Set((await h.as(who).get('/api/v1/audit?limit=200')).body.items.map((a: { ledger: string | null }) => a.ledger));
    expect([...(await audited(user('auditor', 'grassroots')))].sort()).toEqual(['GR-1']);
    expect([...(await audited(user('auditor', 'sibling')))]).toEqual(['GR-2']);
    expect((await audited('auditor')).has(null)).toBe(true);
  });

  it('when a month-end or a schedule names a parent, then only a caller whose subtree holds that parent may start or see it', async () => {
    const outside = await h.as(user('finance_manager', 'grassroots')).post('/api/v1/month-ends', { period, parent: 'FED-S' });
    expect([outside.status, outside.body.error.code]).toEqual([404, 'LEDGER_NOT_FOUND']);
    const started = await h.as(user('finance_manager', 'federation')).post('/api/v1/month-ends', { period, parent: 'FED-S' });
    expect(started.status).toBe(202);
    expect((await h.as(user('auditor', 'federation')).get(`/api/v1/month-ends/${started.body.id}`)).status).toBe(200);
    const hidden = await h.as(user('auditor', 'sibling')).get(`/api/v1/month-ends/${started.body.id}`);
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'MONTH_END_NOT_FOUND']);

    const body = { id: 'scoped-fed', parent: 'FED-S', paused: true };
    const refused = await h.as(user('administrator', 'sibling')).post('/api/v1/schedules', body);
    expect([refused.status, refused.body.error.code]).toEqual([404, 'LEDGER_NOT_FOUND']);
    expect((await h.as(user('administrator', 'federation')).post('/api/v1/schedules', body)).status).toBe(201);
    expect((await h.as(user('administrator', 'sibling')).get('/api/v1/schedules')).body.items).toEqual([]);
    expect((await h.as(user('administrator', 'federation')).get('/api/v1/schedules')).body.items.map((s: { id: string }) => s.id)).toEqual(['scoped-fed']);
    const unseen = await h.as(user('administrator', 'sibling')).delete('/api/v1/schedules/scoped-fed');
    expect([unseen.status, unseen.body.error.code]).toEqual([404, 'SCHEDULE_NOT_FOUND']);
    expect((await h.as(user('administrator', 'federation')).delete('/api/v1/schedules/scoped-fed')).status).toBe(204);
  });
});
