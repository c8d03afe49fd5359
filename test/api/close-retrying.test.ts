import request from 'supertest';
import { standInAdmin } from '../../simulators/common/admin-client';
import { addInvoice, createLedger } from '../fixtures/books';
import { startApiHarness, waitFor, waitForClose, type ApiHarness } from './harness';

const seller = '91310000MA1RETRY01';

describe('a close step retrying a technical failure by itself', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
    const l = await createLedger(h.ds, { code: 'RETRY', firstPeriod: '2026-09', taxpayerId: seller, openingBalances: {} });
    await addInvoice(h.ds, {
      ledgerId: l.id,
      period: '2026-09',
      number: 'RT-1',
      sellerTaxId: seller,
      buyerName: '某单位',
      buyerTaxId: '91110000MA00BUYER1',
      amount: 10_00,
      tax: 1_30,
      date: '2026-09-01',
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('Given the tax platform is down, when the close is read, then its invoice step says in the reader’s language that it retries by itself, with the failed attempts and the next attempt’s time; once the platform is back the close closes and the line is gone', async () => {
    const platform = standInAdmin(h.stack.taxPlatformUrl);
    await platform.setFaults({ outageMs: 120_000 });
    const started = await h.as('fm').post('/api/v1/closes', { ledger: 'RETRY', period: '2026-09' });
    expect(started.status).toBe(202);
    const id: string = started.body.id;
    const read = (language: string) =>
      request(h.app).get(`/api/v1/closes/${id}`).set('Authorization', `Bearer ${h.tokens.fm}`).set('Accept-Language', language);

    // Temporal's pending activity tells when the next attempt runs, while it waits for it.
    const waiting = await waitFor(
      async () => {
        const step = (await read('zh-CN')).body.steps.find((s: { name: string }) => s.name === 'invoice_sync');
        return step?.retrying?.nextAttemptAt && step.retrying.failedAttempts >= 2 ? step : undefined;
      },
      'the invoice step retrying, its next attempt known',
      40_000,
    );
    expect(waiting).toMatchObject({
      state: 'running',
      lastError: { code: 'TAX_PLATFORM_UNAVAILABLE' },
      retrying: { code: 'TAX_PLATFORM_UNAVAILABLE', message: '税务平台暂时不可用，系统将自动重试，无需处理。', failedAttempts: expect.any(Number) },
    });
    expect(Date.parse(waiting.retrying.nextAttemptAt)).toBeGreaterThan(Date.parse(waiting.lastError.at) - 1_000);
    const english = (await read('en')).body.steps.find((s: { name: string }) => s.name === 'invoice_sync');
    expect(english.retrying.message).toBe('The tax platform is unavailable for now; the system retries by itself, nothing to do.');
    // The list reads close_run alone: the line, without asking Temporal when.
    const listed = (await h.as('fm').get('/api/v1/closes?ledger=RETRY')).body.items[0];
    expect(listed.steps.find((s: { name: string }) => s.name === 'invoice_sync').retrying).toMatchObject({
      code: 'TAX_PLATFORM_UNAVAILABLE',
      nextAttemptAt: null,
    });
    // Steps that have not failed say nothing of retrying.
    expect(english.state).toBe('running');
    expect((await read('en')).body.steps.filter((s: { retrying?: unknown }) => s.retrying)).toHaveLength(1);

    await platform.setFaults({});
    const closed = await waitForClose(h, id, ['closed'], 60_000);
    expect(closed.steps.filter((s: { retrying?: unknown }) => s.retrying)).toEqual([]);
  });
});
