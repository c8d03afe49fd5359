import { randomUUID } from 'node:crypto';
import { createLedger } from '../../test/fixtures/books';
import { useTestDatabase } from '../../test/helpers/database';
import { closeLedger, rememberCloseLedger } from './close-ledger';
import type { ActivityDeps } from './deps';

const t = useTestDatabase(2);

describe("a close's ledger, looked up once per close", () => {
  let deps: ActivityDeps;
  let lookups: jest.SpyInstance;
  beforeAll(() => {
    deps = { dataSource: t.ds } as ActivityDeps;
  });
  beforeEach(() => {
    lookups = jest.spyOn(t.ds, 'query');
  });
  afterEach(() => lookups.mockRestore());
  const ledgerLookups = () => lookups.mock.calls.filter(([sql]) => String(sql).includes('FROM ledger l WHERE code')).length;

  it('when every step of a close asks for its ledger, then the database is asked once, and again for another close', async () => {
    const made = await createLedger(t.ds, { code: 'CL-ONCE', firstPeriod: '2026-09' });
    const closeId = randomUUID();
    const found = await Promise.all(Array.from({ length: 10 }, () => closeLedger(deps, { closeId, ledger: 'CL-ONCE' })));
    expect(found.map((l) => l.id)).toEqual(Array(10).fill(made.id));
    expect(ledgerLookups()).toBe(1);

    await closeLedger(deps, { closeId: randomUUID(), ledger: 'CL-ONCE' });
    expect(ledgerLookups()).toBe(2);
  });

  it('when the ledger authorise found is remembered, then the later steps ask nothing', async () => {
    const made = await createLedger(t.ds, { code: 'CL-AUTH', firstPeriod: '2026-09' });
    const closeId = randomUUID();
    rememberCloseLedger(
      deps,
      { closeId, ledger: 'CL-AUTH' },
      { id: made.id, code: 'CL-AUTH', name: 'x', taxpayerId: '91110000000000000X', firstPeriod: '2026-09', active: true },
    );
    expect((await closeLedger(deps, { closeId, ledger: 'CL-AUTH' })).id).toBe(made.id);
    expect(ledgerLookups()).toBe(0);
  });

  it('when the lookup fails, then the failure is not kept: the next step asks again', async () => {
    const closeId = randomUUID();
    await expect(closeLedger(deps, { closeId, ledger: 'CL-LATER' })).rejects.toMatchObject({ code: 'LEDGER_NOT_FOUND' });
    const made = await createLedger(t.ds, { code: 'CL-LATER', firstPeriod: '2026-09' });
    expect((await closeLedger(deps, { closeId, ledger: 'CL-LATER' })).id).toBe(made.id);
    expect(ledgerLookups()).toBe(2);
  });

  it('when a lookup fails after the ledger was remembered in its place, then what was remembered stays', async () => {
    const made = await createLedger(t.ds, { code: 'CL-RACE', firstPeriod: '2026-09' });
    const closeId = randomUUID();
    const failing = closeLedger(deps, { closeId, ledger: 'CL-RACE-TYPO' });
    rememberCloseLedger(
      deps,
      { closeId, ledger: 'CL-RACE-TYPO' },
      { id: made.id, code: 'CL-RACE', name: 'x', taxpayerId: '91110000000000000X', firstPeriod: '2026-09', active: true },
    );
    await expect(failing).rejects.toMatchObject({ code: 'LEDGER_NOT_FOUND' });
    expect((await closeLedger(deps, { closeId, ledger: 'CL-RACE-TYPO' })).id).toBe(made.id);
    expect(ledgerLookups()).toBe(1);
  });
});
