import request from 'supertest';
import { createToken, createUser, type DemoUser } from '../../api/services/user-service';

/** A demo person as this test signs them in: by token. */
type Person = Omit<DemoUser, 'password'>;
import { APPROVERS, PREPARERS } from '../../db/seed/identities';
import { seedDemo } from '../../db/seed/demo';
import { standInAdmin } from '../../simulators/common/admin-client';
import { startApiHarness, waitForClose, type ApiHarness } from './harness';

/**
 * The demo's every-blocker ledger U00001 closed through the API alone, by a client that knows no
 * blocker codes: it reads each blocker item's `actions` as each of the demo's people, sends the one
 * that fixes rather than dismisses (a reason where `needs` asks for one), and repeats until the close
 * ends. No SQL and no stand-in admin call after the demo is loaded as `npm start` loads it.
 */

// Acts that correct the books come first; acts that set a blocker aside only when nothing else is offered.
const PREFERENCE = [
  'voucher.submit',
  'voucher.approve',
  'voucher.post',
  'reimbursement.pay',
  'reimbursement.post',
  'transfer.resend',
  'transfer.ask_bank',
  'transfer.write_off',
  'invoice.take_platform_values',
  'invoice.record_from_platform',
  'invoice.sync',
  'voucher.prepare_adjustment',
  'invoice.accept_difference',
  'balance.align_openings',
  'close.start_previous',
];

interface Action {
  id: string;
  method: string;
  path: string;
  body: Record<string, unknown>;
  needs: string[];
  permission: string;
  label: string;
}

describe('closing the demo ledger by following the actions the API offers', () => {
  let h: ApiHarness;
  let people: Person[];

  beforeAll(async () => {
    h = await startApiHarness();
    const demo = await seedDemo(h.ds);
    // As npm start does with the demo: the stand-ins learn what the demo's transfers and invoices are.
    await standInAdmin(h.stack.bankUrl).request('PUT', '/transfers', { transfers: demo!.bank.transfers });
    await standInAdmin(h.stack.taxPlatformUrl).request('POST', '/invoices', { invoices: demo!.taxPlatform.invoices });
    // The demo books' people, as npm start makes them: preparers are accountants, approvers finance managers.
    people = [];
    for (const [names, role] of [
      [PREPARERS, 'accountant'],
      [APPROVERS, 'finance_manager'],
    ] as const) {
      for (const name of names) {
        await createUser(h.ds, { name, role }, 'test');
        people.push({ name, role, token: await createToken(h.ds, name, 'test') });
      }
    }
  }, 180_000);

  afterAll(async () => {
    await h?.stop();
  });

  it('when every blocker is cleared with the acts offered, in Chinese, then U00001 reaches closed in one close, and every act is in the audit log by name', async () => {
    const period = (await h.ds.query(`SELECT period FROM period p JOIN ledger l ON l.id = p.ledger_id WHERE l.code = 'U00001'`))[0].period as string;
    const as = (user: Person) => (method: 'get' | 'post', path: string) =>
      request(h.app)[method](path).set('Authorization', `Bearer ${user.token}`).set('Accept-Language', 'zh-CN');
    const manager = people.find((p) => p.name === 'zhou.qiang')!;

    // 结账检查 first: every step's blockers in one answer, in Chinese, with the people who own them.
    const readiness = await as(manager)('get', `/api/v1/ledgers/U00001/periods/${period}/readiness`);
    expect(readiness.status).toBe(200);
    expect(readiness.body.ready).toBe(false);
    const steps = new Set(readiness.body.blockers.map((b: { step: string }) => b.step));
    expect([...steps]).toEqual(expect.arrayContaining(['pending_approvals', 'reimbursements', 'fund_transfers', 'invoice_sync']));
    expect(readiness.body.blockers[0].message).toMatch(/[\u4e00-\u9fff]/);

    const started = await as(manager)('post', '/api/v1/closes').send({ ledger: 'U00001', period });
    expect(started.status).toBe(202);
    const closeId = started.body.id as string;
    await waitForClose(h, closeId, ['blocked'], 90_000);

    const done: string[] = [];
    const refused: string[] = [];
    const donePaths = new Set<string>();
    // Bounded in time as well as rounds, so a close that will not clear says why before the test's own timeout.
    const deadline = Date.now() + 180_000;
    for (let round = 0; round < 12 && Date.now() < deadline; round++) {
      let acted = 0;
      for (const person of people) {
        const view = await as(person)('get', `/api/v1/closes/${closeId}`);
        expect(view.status).toBe(200);
        if (view.body.state === 'closed') break;
        for (const blocker of view.body.blockers as Array<{ code: string; items: Array<{ actions: Action[] }> }>) {
          for (const item of blocker.items) {
            // An act already taken on this item did not clear it (asking the bank about a returned transfer, say): try the next.
            // An act already taken (path and body) is not taken again: asking the bank twice changes nothing, and
            // drafting the same adjusting voucher twice would double it.
            const key = (a: Action) => `${a.path} ${JSON.stringify(a.body)}`;
            const tried = (a: Action) => (donePaths.has(key(a)) ? PREFERENCE.length : 0);
            const offered = [...item.actions].sort((a, b) => rank(a) + tried(a) - (rank(b) + tried(b)));
            const chosen = offered.find((a) => PREFERENCE.includes(a.id) && !donePaths.has(key(a)) && a.needs.every((n) => n === 'reason'));
            if (!chosen) continue;
            expect(chosen.label).toMatch(/[\u4e00-\u9fff]/);
            const body = { ...chosen.body, ...(chosen.needs.includes('reason') ? { reason: `演示：${blocker.code} 已核实` } : {}) };
            const res = await as(person)('post', chosen.path).send(body);
            // Another person may have cleared the same item a moment ago: a refusal is a 4xx with a code, never a 5xx.
            expect(res.status).toBeLessThan(500);
            if (res.status < 300) {
              acted++;
              done.push(`${person.name} ${chosen.id}`);
              donePaths.add(key(chosen));
            } else {
              expect(res.body.error.code).toEqual(expect.any(String));
              refused.push(`${person.name} ${chosen.id} ${res.body.error.code}`);
            }
          }
        }
      }
      const now = await as(manager)('get', `/api/v1/closes/${closeId}`);
      if (now.body.state === 'closed') break;
      if (acted === 0) await new Promise((r) => setTimeout(r, 1_000)); // the close is re-checking: give it a moment
    }

    const closed = await waitForClose(h, closeId, ['closed'], 30_000).catch(async (err: Error) => {
      // Say what still blocks, what was done and what was refused: the act or the offer that is missing.
      const left = await as(manager)('get', `/api/v1/closes/${closeId}`);
      throw new Error(`${err.message}\nleft: ${JSON.stringify(left.body.blockers, null, 1)}\ndone: ${done.join(', ')}\nrefused: ${refused.join(', ')}`);
    });
    expect(closed.state).toBe('closed');
    // Every kind of act the demo needs was taken, each by a person allowed to.
    const kinds = new Set(done.map((d) => d.split(' ')[1]));
    for (const kind of ['voucher.submit', 'voucher.approve', 'voucher.post', 'reimbursement.pay', 'reimbursement.post', 'transfer.ask_bank']) {
      expect(kinds).toContain(kind);
    }
    // The acts are audited by the person who took them.
    const audited = (await h.ds.query(`SELECT DISTINCT actor FROM audit_log WHERE action LIKE 'voucher.%' OR action LIKE 'reimbursement.%'`)) as Array<{
      actor: string;
    }>;
    expect(audited.map((a) => a.actor)).toEqual(expect.arrayContaining(['zhou.qiang']));
    const record = await as(manager)('get', `/api/v1/closes/${closeId}`);
    expect(Array.isArray(record.body.acceptedDifferences)).toBe(true);
    // No other close was needed: one close, from blocked to closed.
    const runs = (await h.ds.query(`SELECT count(*)::int AS n FROM close_run c JOIN ledger l ON l.id = c.ledger_id WHERE l.code = 'U00001'`)) as Array<{
      n: number;
    }>;
    expect(runs[0]!.n).toBe(1);
  }, 360_000);
});

function rank(a: Action): number {
  const i = PREFERENCE.indexOf(a.id);
  return i === -1 ? PREFERENCE.length : i;
}
