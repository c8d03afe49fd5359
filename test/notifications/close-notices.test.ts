import { addReimbursement, addVoucher, createLedger } from '../fixtures/books';
import { startApiHarness, waitFor, waitForClose, type ApiHarness } from '../api/harness';
import { startNotifying } from '../helpers/notifications';
import { startSmtpReceiver } from '../helpers/smtp-receiver';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

const SECRET = 'whsec-test-0123456789abcdef';
const DING_SECRET = 'SEC-dingtalk-test-secret-0123';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notices of closes, through a real worker, Temporal and PostgreSQL, to loopback receivers', () => {
  let h: ApiHarness;
  let receiver: WebhookReceiver;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let notifying: Awaited<ReturnType<typeof startNotifying>>;

  beforeAll(async () => {
    h = await startApiHarness();
    receiver = await startWebhookReceiver({ secret: SECRET, dingtalkSecret: DING_SECRET, failFirst: 2 });
    smtp = await startSmtpReceiver();
    notifying = await startNotifying(h, smtp);
    await createLedger(h.ds, { code: 'NOTE-FED', firstPeriod: '2026-09' });
    await createLedger(h.ds, { code: 'NOTE-OTHER', firstPeriod: '2026-09' });
    const calendar = await h.as('fm').post('/api/v1/ledgers/NOTE-FED/calendar', { workingDay: 3, holidays: ['2026-10-01', '2026-10-02'] });
    expect(calendar.status).toBe(200);
    const subscribe = async (channel: object, events: string[], extra: object = {}) => {
      const res = await h.as('fm').post('/api/v1/subscriptions', { channel, events, ...extra });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    await subscribe({ kind: 'webhook', url: `${receiver.url}/webhook`, secret: SECRET }, ['close.blocked', 'close.late', 'close.closed'], {
      ledger: 'NOTE-FED',
    });
    await subscribe({ kind: 'wecom', url: `${receiver.url}/wecom?key=k-123` }, ['close.blocked']);
    await subscribe({ kind: 'dingtalk', url: `${receiver.url}/dingtalk?access_token=t-1`, secret: DING_SECRET }, ['close.blocked']);
    await subscribe({ kind: 'email', address: 'ops@example.com' }, ['close.blocked'], { language: 'en' });
    await subscribe({ kind: 'webhook', url: `${receiver.url}/webhook-other`, secret: SECRET }, ['close.blocked'], { ledger: 'NOTE-OTHER' });
  });
  afterAll(async () => {
    await notifying?.stop();
    await h?.stop();
    await receiver?.close();
    await smtp?.close();
  });

  it('when a close blocks on two checks and keeps re-checking with the same blockers, then each subscription hears it exactly once, through failed attempts', async () => {
    const ledger = await createLedger(h.ds, {
      code: 'NOTE1',
      parentCode: 'NOTE-FED',
      firstPeriod: '2026-09',
      openingBalances: { '102': 1_000_00, '301': -1_000_00 },
    });
    await addVoucher(h.ds, {
      ledgerId: ledger.id,
      period: '2026-09',
      preparer: 'clerk',
      state: 'submitted',
      lines: [
        { account: '501', debit: 120_00 },
        { account: '102', credit: 120_00 },
      ],
    });
    await addReimbursement(h.ds, { ledgerId: ledger.id, period: '2026-09', amount: 300_00, state: 'approved', claimant: 'wang' });
    const id: string = (await h.as('fm').post('/api/v1/closes', { ledger: 'NOTE1', period: '2026-09' })).body.id;
    await waitFor(async () => {
      const c = (await h.as('fm').get(`/api/v1/closes/${id}`)).body;
      return c.state === 'blocked' && c.blockers.length === 2;
    }, 'blocked on both checks');

    const blockedOn = (path: string) => receiver.accepted(path).filter((r) => r.json?.event === 'close.blocked' || r.path !== '/webhook');
    await waitFor(
      async () => blockedOn('/webhook').length > 0 && blockedOn('/wecom').length > 0 && blockedOn('/dingtalk').length > 0 && smtp.mails.length > 0,
      'every channel told',
    ).catch(async (err) => {
      const log = await h.ds.query(
        `SELECT e.event, e.event_key, e.superseded, e.fanned_out_at, d.state, d.attempts, d.last_error FROM notification_event e LEFT JOIN notification_delivery d ON d.event_id = e.id ORDER BY e.id`,
      );
      throw new Error(`${err}: ${JSON.stringify({ log, received: receiver.received.map((r) => [r.path, r.status]), mails: smtp.mails.length })}`);
    });
    await sleep(4_000); // four more re-checks (every second), all finding the same blockers

    expect(blockedOn('/webhook')).toHaveLength(1);
    expect(blockedOn('/wecom')).toHaveLength(1);
    expect(blockedOn('/dingtalk')).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    expect(receiver.received.filter((r) => r.path === '/webhook-other')).toEqual([]);

    // The webhook: two failed attempts and the third taken, all under one delivery id, each signed.
    const [notice] = blockedOn('/webhook');
    const attempts = receiver.received.filter((r) => r.deliveryId === notice.deliveryId);
    expect(attempts.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(attempts.every((r) => r.verified === true)).toBe(true);
    expect(notice.json).toMatchObject({ event: 'close.blocked', ledger: 'NOTE1', period: '2026-09', closeId: id, occurredAt: expect.any(String) });
    expect(notice.json.id).toEqual(expect.any(String));
    expect(notice.json.blockers.map((b: { code: string }) => b.code).sort()).toEqual(['REIMBURSEMENT_UNPAID', 'VOUCHER_SUBMITTED']);
    expect(notice.json.blockers.find((b: { code: string }) => b.code === 'REIMBURSEMENT_UNPAID').owners).toEqual([{ user: 'wang', count: 1 }]);

    // The robots' markdown, in Chinese by default; DingTalk's request signed (加签).
    const wecom = blockedOn('/wecom')[0];
    expect(wecom.json.msgtype).toBe('markdown');
    expect(wecom.json.markdown.content).toContain('结账受阻 · NOTE1 2026-09');
    const ding = blockedOn('/dingtalk')[0];
    expect(ding.verified).toBe(true);
    expect(ding.json).toMatchObject({ msgtype: 'markdown', markdown: { title: '结账受阻 · NOTE1 2026-09' } });
    // The e-mail, in English as subscribed, carrying the same delivery key.
    expect(smtp.mails[0].to).toEqual(['ops@example.com']);
    expect(smtp.mails[0].raw).toMatch(/^Subject: Close blocked · NOTE1 2026-09|Subject: =\?UTF-8\?/m);
    expect(smtp.mails[0].raw).toMatch(/^X-Close-Delivery: [0-9a-f-]{36}/m);

    // Past its due date (3rd working day of October after two holidays: the 7th), late, told once.
    const view = (await h.as('fm').get(`/api/v1/closes/${id}`)).body;
    expect(view).toMatchObject({ dueAt: '2026-10-07T16:00:00.000Z', late: true });
    expect((await h.as('fm').get('/api/v1/closes?late=true')).body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await h.as('fm').get('/api/v1/closes?late=false')).body.items.map((c: { id: string }) => c.id)).not.toContain(id);
    await waitFor(async () => receiver.accepted('/webhook').some((r) => r.json?.event === 'close.late'), 'the late notice');
    await sleep(1_500);
    const late = receiver.accepted('/webhook').filter((r) => r.json?.event === 'close.late');
    expect(late).toHaveLength(1);
    expect(late[0].json).toMatchObject({ ledger: 'NOTE1', period: '2026-09', closeId: id, dueAt: expect.stringMatching(/^2026-10-07T16:00:00/) });

    // The delivery log: each sent, the webhook's after three attempts.
    const log = await h.as('auditor').get('/api/v1/deliveries?state=sent&limit=50');
    expect(log.status).toBe(200);
    const logged = log.body.items.find((d: { id: string }) => d.id === notice.deliveryId);
    expect(logged).toMatchObject({ kind: 'webhook', event: 'close.blocked', ledger: 'NOTE1', state: 'sent', attempts: 3, lastError: null });
  });

  it('when a close of the subtree closes, then close.closed is told once', async () => {
    await createLedger(h.ds, { code: 'NOTE2', parentCode: 'NOTE-FED', firstPeriod: '2026-09' });
    const id: string = (await h.as('fm').post('/api/v1/closes', { ledger: 'NOTE2', period: '2026-09' })).body.id;
    await waitForClose(h, id, ['closed']);
    await waitFor(async () => receiver.accepted('/webhook').some((r) => r.json?.event === 'close.closed' && r.json.closeId === id), 'the closed notice');
    await sleep(1_000);
    expect(receiver.accepted('/webhook').filter((r) => r.json?.event === 'close.closed' && r.json.closeId === id)).toHaveLength(1);
  });

  it('when the worker is restarted while a delivery is in flight, then the receiver takes the notice once, under the same delivery id', async () => {
    await createLedger(h.ds, { code: 'NOTE3', parentCode: 'NOTE-FED', firstPeriod: '2026-09' });
    receiver.state.hang = 1; // the first attempt gets no answer: the worker goes down meanwhile
    const id: string = (await h.as('fm').post('/api/v1/closes', { ledger: 'NOTE3', period: '2026-09' })).body.id;
    await waitForClose(h, id, ['closed']);
    const isOurs = (r: { json?: any }) => r.json?.event === 'close.closed' && r.json.closeId === id;
    await waitFor(async () => receiver.received.some((r) => isOurs(r) && r.status === 0), 'the held attempt');
    await notifying.restartWorker();
    await waitFor(async () => receiver.accepted('/webhook').some(isOurs), 'the notice after the restart', 40_000);
    await sleep(1_000);
    const seen = receiver.received.filter(isOurs);
    expect(seen.filter((r) => r.status === 200)).toHaveLength(1);
    expect(new Set(seen.map((r) => r.deliveryId)).size).toBe(1);
    const [logged] = (await h.as('fm').get('/api/v1/deliveries?limit=100')).body.items.filter((d: { closeId: string }) => d.closeId === id);
    expect(logged).toMatchObject({ state: 'sent', event: 'close.closed' });
    expect(logged.attempts).toBeGreaterThanOrEqual(2);
  });

  it("when a federation's month-end finishes, then its subscribers hear it once, with the counts", async () => {
    await createLedger(h.ds, { code: 'NOTE-ME', firstPeriod: '2026-09' });
    await createLedger(h.ds, { code: 'NOTE-ME1', parentCode: 'NOTE-ME', firstPeriod: '2026-09' });
    const sub = await h.as('fm').post('/api/v1/subscriptions', {
      channel: { kind: 'webhook', url: `${receiver.url}/webhook-me`, secret: SECRET },
      events: ['month_end.finished'],
      ledger: 'NOTE-ME',
    });
    expect(sub.status).toBe(201);
    const started = await h.as('fm').post('/api/v1/month-ends', { period: '2026-09', parent: 'NOTE-ME' });
    expect(started.status).toBe(202);
    await waitFor(async () => receiver.accepted('/webhook-me').length > 0, 'the month-end notice', 45_000);
    await sleep(1_000);
    const told = receiver.accepted('/webhook-me');
    expect(told).toHaveLength(1);
    expect(told[0].json).toMatchObject({
      event: 'month_end.finished',
      monthEndId: started.body.id,
      period: '2026-09',
      ledger: 'NOTE-ME',
      state: 'completed',
      ledgers: 1,
      counts: { closed: 1 },
    });
  });
});
