import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { unionChart } from './chart';
import { generateFederation } from './generator';
import type { FederationSummary } from './summary';

const PERIOD = '2026-10';
const LINES = 600;

let db: TestDatabase;
let ds: DataSource;
let first: FederationSummary;
let second: FederationSummary;
let clean: FederationSummary;

beforeAll(async () => {
  db = await createTestDatabase(6);
  ds = db.dataSource;
  const options = { ledgers: 4, lines: LINES, period: PERIOD, blockers: 0.5, seed: 42 };
  first = await generateFederation(ds, { ...options, parent: 'FEDA', unitPrefix: 'A', connections: 1 });
  second = await generateFederation(ds, { ...options, parent: 'FEDB', unitPrefix: 'B', connections: 2, batchLines: 700 });
  clean = await generateFederation(ds, { ledgers: 3, lines: 500, period: PERIOD, seed: 7, parent: 'FEDC', unitPrefix: 'C' });
});
afterAll(async () => {
  await db.destroy();
});

function ledgerIds(summary: FederationSummary): number[] {
  return [summary.federation.id, ...summary.ledgers.map((l) => l.id)];
}

async function query<T>(sql: string, params: unknown[]): Promise<T[]> {
  return (await ds.query(sql, params)) as T[];
}

/** Sub-ledgers whose movement differs from their control account's (debit − credit of all lines). */
async function reconciliationDifferences(summary: FederationSummary) {
  return query<{ code: string; subledger: string; difference: string }>(
    `SELECT * FROM (
       SELECT l.code, a.control_of AS subledger,
              (coalesce((SELECT sum(vl.debit - vl.credit) FROM voucher_line vl WHERE vl.ledger_id = a.ledger_id AND vl.period = $2 AND vl.account_code = a.code), 0)
               - coalesce((SELECT sum(s.amount) FROM subledger_entry s WHERE s.ledger_id = a.ledger_id AND s.period = $2 AND s.subledger = a.control_of), 0))::text AS difference
       FROM account a JOIN ledger l ON l.id = a.ledger_id
       WHERE a.ledger_id = ANY($1) AND a.control_of IS NOT NULL) d
     WHERE difference <> '0' ORDER BY code, subledger`,
    [ledgerIds(summary), PERIOD],
  );
}

describe('generateFederation', () => {
  it('when the same seed writes a federation twice (one connection, then two in small batches), then the counts, totals and blockers are the same', () => {
    expect(second.rows).toEqual(first.rows);
    expect(second.totals).toEqual(first.totals);
    const shape = (s: FederationSummary) =>
      s.blockers.map((b) => ({
        vouchers: b.vouchers,
        reimbursements: b.reimbursements,
        transfers: b.transfers.map((t) => [t.state, t.amount, t.reason]),
        fields: b.invoiceMismatches.map((m) => m.field),
        breakAmount: b.subledgerBreak.amount,
      }));
    expect(shape(second)).toEqual(shape(first));
    expect(first.totals.debit).toBe(first.totals.credit);
  });

  it('when it has written, then the database holds exactly the rows and sums the summary reports', async () => {
    for (const summary of [first, second, clean]) {
      const [counted] = await query<Record<string, number>>(
        `SELECT ${Object.keys(summary.rows)
          .map((t) => `(SELECT count(*)::int FROM ${t} WHERE ${t === 'ledger' ? 'id' : 'ledger_id'} = ANY($1)) AS ${t}`)
          .join(', ')}`,
        [ledgerIds(summary)],
      );
      expect(counted).toEqual(summary.rows);
      const [sums] = await query<{ debit: string; credit: string }>(
        `SELECT sum(debit)::text AS debit, sum(credit)::text AS credit FROM voucher_line WHERE ledger_id = ANY($1)`,
        [ledgerIds(summary)],
      );
      expect(sums).toEqual({ debit: String(summary.totals.debit), credit: String(summary.totals.credit) });
    }
  });

  it('when it has written, then every voucher has 2 to 6 lines and balances, and every grassroots ledger has exactly the lines asked for', async () => {
    const bad = await query(
      `SELECT v.id FROM voucher v LEFT JOIN voucher_line l ON l.voucher_id = v.id WHERE v.ledger_id = ANY($1)
       GROUP BY v.id HAVING count(l.id) NOT BETWEEN 2 AND 6 OR sum(l.debit) <> sum(l.credit)`,
      [[...ledgerIds(first), ...ledgerIds(clean)]],
    );
    expect(bad).toEqual([]);
    const perLedger = await query<{ code: string; lines: number }>(
      `SELECT l.code, count(vl.id)::int AS lines FROM ledger l JOIN voucher_line vl ON vl.ledger_id = l.id
       WHERE l.parent_id = $1 GROUP BY l.code ORDER BY l.code`,
      [first.federation.id],
    );
    expect(perLedger).toEqual(['A00001', 'A00002', 'A00003', 'A00004'].map((code) => ({ code, lines: LINES })));
    expect(first.federation.lines).toBe(2 * first.ledgers.length);
  });

  it('when it has written, then every ledger has the chart, an open period and opening balances for every account summing to zero', async () => {
    const ids = ledgerIds(first);
    const periods = await query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM period WHERE ledger_id = ANY($1) GROUP BY state`, [ids]);
    expect(periods).toEqual([{ state: 'open', n: ids.length }]);
    const openings = await query<{ ledger_id: number; total: string; accounts: number }>(
      `SELECT ledger_id, sum(opening)::text AS total, count(*)::int AS accounts FROM balance WHERE ledger_id = ANY($1) AND period = $2 GROUP BY ledger_id`,
      [ids, PERIOD],
    );
    expect(openings).toHaveLength(ids.length);
    for (const o of openings) expect({ total: o.total, accounts: o.accounts }).toEqual({ total: '0', accounts: unionChart.length });
    const [targets] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM account WHERE ledger_id = ANY($1) AND carry_forward_target`, [ids]);
    expect(targets!.n).toBe(ids.length);
  });

  it('when no blockers are asked for, then each sub-ledger equals its control account and every document is posted or pending sync only', async () => {
    expect(await reconciliationDifferences(clean)).toEqual([]);
    const ids = ledgerIds(clean);
    const states = await query<{ kind: string; state: string }>(
      `SELECT DISTINCT 'voucher' AS kind, state FROM voucher WHERE ledger_id = ANY($1)
       UNION SELECT DISTINCT 'reimbursement', state FROM reimbursement WHERE ledger_id = ANY($1)
       UNION SELECT DISTINCT 'transfer', state FROM fund_transfer WHERE ledger_id = ANY($1)
       UNION SELECT DISTINCT 'invoice', sync_state FROM invoice WHERE ledger_id = ANY($1) ORDER BY 1`,
      [ids],
    );
    expect(states).toEqual([
      { kind: 'invoice', state: 'pending' },
      { kind: 'reimbursement', state: 'posted' },
      { kind: 'transfer', state: 'posted' },
      { kind: 'voucher', state: 'posted' },
    ]);
    const unlinked = await query(
      `SELECT d.id FROM (SELECT id, voucher_id, 'reimbursement' AS type FROM reimbursement UNION ALL SELECT id, voucher_id, 'transfer' FROM fund_transfer
                         UNION ALL SELECT id, voucher_id, 'invoice' FROM invoice) d
       LEFT JOIN voucher v ON v.id = d.voucher_id AND v.source_type = d.type AND v.source_id = d.id
       WHERE v.id IS NULL AND d.voucher_id IN (SELECT id FROM voucher WHERE ledger_id = ANY($1))`,
      [ids],
    );
    expect(unlinked).toEqual([]);
    expect(clean.blockers).toEqual([]);
    expect(clean.bank.transfers).toEqual([]);
    expect(clean.taxPlatform.invoices).toEqual([]);
  });

  it('when ledger codes already exist, then it fails naming them and writes nothing', async () => {
    const [before] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger`, []);
    await expect(generateFederation(ds, { ledgers: 2, lines: 10, period: PERIOD, parent: 'FEDA', unitPrefix: 'Z' })).rejects.toThrow(
      /ledger codes already exist: FEDA/,
    );
    await expect(generateFederation(ds, { ledgers: 1, lines: 10, period: '2026-13' })).rejects.toThrow(/period: a period is written YYYY-MM/);
    expect(await query(`SELECT count(*)::int AS n FROM ledger`, [])).toEqual([before]);
  });
});
