import { addInvoice, createLedger } from '../test/fixtures/books';
import { useTestDatabase } from '../test/helpers/database';

const PERIOD = '2026-09';
const t = useTestDatabase();

async function version(ledgerId: number): Promise<number | undefined> {
  const found = (await t.ds.query(`SELECT version::int FROM invoice_digest WHERE ledger_id = $1 AND period = $2`, [ledgerId, PERIOD])) as Array<{
    version: number;
  }>;
  return found[0]?.version;
}

describe("the version of a period's invoices (invoice_digest), which keeps a stored digest honest", () => {
  it("rises with every change to an invoice's digested fields, in the same statement, and not with its sync state", async () => {
    const l = await createLedger(t.ds, { code: 'DIGEST-1', firstPeriod: PERIOD, openingBalances: {} });
    expect(await version(l.id)).toBeUndefined();
    const a = await addInvoice(t.ds, { ledgerId: l.id, period: PERIOD, number: 'DG-1', amount: 10_00 });
    const first = (await version(l.id))!;
    expect(first).toBeGreaterThanOrEqual(1);
    await addInvoice(t.ds, { ledgerId: l.id, period: PERIOD, number: 'DG-2', amount: 20_00 });
    expect(await version(l.id)).toBe(first + 1);

    await t.ds.query(`UPDATE invoice SET sync_state = 'matched', synced_at = now() WHERE ledger_id = $1`, [l.id]);
    expect(await version(l.id)).toBe(first + 1);

    await t.ds.query(`UPDATE invoice SET buyer_name = '另一家公司' WHERE id = $1`, [a.id]);
    expect(await version(l.id)).toBe(first + 2);
    await t.ds.query(`UPDATE invoice SET amount = amount + 1 WHERE ledger_id = $1`, [l.id]);
    expect(await version(l.id)).toBe(first + 3);
    await t.ds.query(`DELETE FROM invoice WHERE id = $1`, [a.id]);
    expect(await version(l.id)).toBe(first + 4);
  });

  it("goes with a rolled-back change: the version is the database's, not the caller's", async () => {
    const l = await createLedger(t.ds, { code: 'DIGEST-2', firstPeriod: PERIOD, openingBalances: {} });
    await addInvoice(t.ds, { ledgerId: l.id, period: PERIOD, number: 'DG-3', amount: 10_00 });
    const before = await version(l.id);
    const runner = t.ds.createQueryRunner();
    await runner.startTransaction();
    await runner.query(`UPDATE invoice SET tax = tax + 1 WHERE ledger_id = $1`, [l.id]);
    await runner.rollbackTransaction();
    await runner.release();
    expect(await version(l.id)).toBe(before);
  });
});
