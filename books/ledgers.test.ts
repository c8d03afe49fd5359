import { useTestDatabase } from '../test/helpers/database';
import { createLedger } from '../test/fixtures/books';
import { findLedger, hasPermission } from './ledgers';

const t = useTestDatabase(2);

describe('ledgers within a scope', () => {
  it('when a ledger outside the scope is looked up, then it is LEDGER_NOT_FOUND with the message of a ledger that does not exist', async () => {
    const fed = await createLedger(t.ds, { code: 'L-FED', firstPeriod: '2026-10' });
    await createLedger(t.ds, { code: 'L-A', parentCode: 'L-FED', firstPeriod: '2026-10' });
    const b = await createLedger(t.ds, { code: 'L-B', parentCode: 'L-FED', firstPeriod: '2026-10' });
    expect((await findLedger(t.ds, 'L-A', fed.id)).code).toBe('L-A');
    const refusal = (code: string) =>
      findLedger(t.ds, code, b.id).then(
        () => new Error('found'),
        (e: Error) => e,
      );
    const outside = await refusal('L-A');
    const missing = await refusal('L-NONE');
    expect(outside).toMatchObject({ code: 'LEDGER_NOT_FOUND' });
    expect(outside.message.replace('L-A', 'X')).toBe(missing.message.replace('L-NONE', 'X'));
  });

  it("when the close asks whether its initiator may close a ledger, then the initiator's scope must hold it", async () => {
    const b = (await findLedger(t.ds, 'L-B')).id;
    await t.ds.query(`INSERT INTO app_user (name, role, scope_ledger_id) VALUES ('fm.b', 'finance_manager', $1), ('fm.all', 'finance_manager', NULL)`, [b]);
    expect(await hasPermission(t.ds, 'fm.b', 'close:start', 'L-B')).toBe(true);
    expect(await hasPermission(t.ds, 'fm.b', 'close:start', 'L-A')).toBe(false);
    expect(await hasPermission(t.ds, 'fm.b', 'close:start', 'L-FED')).toBe(false);
    expect(await hasPermission(t.ds, 'fm.all', 'close:start', 'L-A')).toBe(true);
    expect(await hasPermission(t.ds, 'fm.b', 'close:start')).toBe(true);
  });
});
