import { standInAdmin } from '../common/admin-client';
import type { RunningStandIn } from '../common/json-app';
import { startBankStandIn, type BankStatsSnapshot } from './server';

const API_KEY = 'test-bank-key';

let standIn: RunningStandIn;
let admin: ReturnType<typeof standInAdmin>;
beforeAll(async () => {
  standIn = await startBankStandIn({ port: 0, apiKey: API_KEY });
  admin = standInAdmin(standIn.url);
});
afterAll(() => standIn.close());
beforeEach(() => admin.reset());

function statusQuery(body: unknown, apiKey = API_KEY): Promise<Response> {
  return fetch(`${standIn.url}/v1/transfers/status`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('bank stand-in API', () => {
  test('when the key is wrong, then 401', async () => {
    expect((await statusQuery({ references: ['TR-1'] }, 'wrong')).status).toBe(401);
  });

  test('when a query asks for none or more than 500 references, then 400', async () => {
    expect((await statusQuery({ references: [] })).status).toBe(400);
    expect((await statusQuery({ references: Array.from({ length: 501 }, (_, i) => `TR-${i}`) })).status).toBe(400);
    expect((await statusQuery({ refs: ['TR-1'] })).status).toBe(400);
  });

  test('when admin sets a state the bank does not have or money in fractions, then 400 and nothing changes', async () => {
    await expect(admin.request('PUT', '/transfers', { transfers: [{ reference: 'TR-1', state: 'lost' }] })).rejects.toThrow(/400/);
    await expect(admin.request('PUT', '/transfers', { transfers: [{ reference: 'TR-1', state: 'settled', amount: 1.5 }] })).rejects.toThrow(/400/);
    expect((await admin.stats<BankStatsSnapshot>()).transfersKnown).toBe(0);
  });

  test('when a transfer changes state, then the latest state is answered without the old reason', async () => {
    await admin.request('PUT', '/transfers', { transfers: [{ reference: 'TR-1', state: 'failed', reason: 'timeout at clearing house' }] });
    await admin.request('PUT', '/transfers', { transfers: [{ reference: 'TR-1', state: 'in_transit', amount: 100 }] });
    const answer = await (await statusQuery({ references: ['TR-1'] })).json();
    expect(answer).toEqual({ items: [{ reference: 'TR-1', state: 'in_transit', amount: 100 }] });
  });

  test('when reset, then transfers, faults and counts are gone', async () => {
    await admin.request('PUT', '/transfers', { transfers: [{ reference: 'TR-1', state: 'settled' }] });
    await admin.setFaults({ errorRate: 1 });
    await statusQuery({ references: ['TR-1'] });
    await admin.reset();
    expect(await admin.stats<BankStatsSnapshot>()).toEqual({
      requests: 0,
      statusQueries: 0,
      referencesQueried: 0,
      resends: 0,
      transfersKnown: 0,
      faults: expect.objectContaining({ error: 0 }),
    });
    expect(await (await statusQuery({ references: ['TR-1'] })).json()).toEqual({ items: [{ reference: 'TR-1', state: 'unknown' }] });
  });
});
