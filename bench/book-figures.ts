import type { DataSource } from 'typeorm';
import { federationReadiness } from '../books/federation-readiness';
import { lockVoucherNumbering } from '../books/voucher-numbers';
import { generateFederation } from '../db/seed/generator';
import type { Figure } from './run';

/**
 * Figures of the books alone (no Temporal): writing lines into one big ledger and posting a voucher
 * while it holds them (issue #19 §5), and the federation's pre-close check over 10,000 ledgers.
 * Each beside a baseline measured in the same run on the same database.
 */
/** The run's figure shape (bench/run.ts), a type only: no import at run time. */
export type BookFigure = Figure;

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

/** Lines per second into one ledger of 1,000,000 lines (a tenth with --quick), then p99 of posting one 10-line voucher into it. */
export async function posting(ds: DataSource, period: string, scale: number, measuring: () => void): Promise<BookFigure> {
  measuring(); // writing the lines is what this figure measures
  const lines = Math.round(1_000_000 * scale);
  const gen = await generateFederation(ds, { ledgers: 1, lines, period, parent: 'PFED', unitPrefix: 'P', seed: 19, blockers: 0 });
  const linesPerSecond = Math.round((lines * 1000) / gen.elapsedMs);

  // Baseline: the same rows copied set-based into a table without rules, keys or triggers.
  const [{ id: ledgerId }] = (await ds.query(`SELECT id FROM ledger WHERE code = 'P00001'`)) as Array<{ id: number }>;
  await ds.query(`CREATE UNLOGGED TABLE IF NOT EXISTS bench_raw_lines AS SELECT * FROM voucher_line WITH NO DATA`);
  const t0 = performance.now();
  await ds.query(`INSERT INTO bench_raw_lines SELECT * FROM voucher_line WHERE ledger_id = $1`, [ledgerId]);
  const rawMs = performance.now() - t0;
  await ds.query(`DROP TABLE bench_raw_lines`);
  const rawPerSecond = Math.round((lines * 1000) / rawMs);

  // One 10-line voucher at a time, through every rule (guard, tally, balance, keys), as an act writes it.
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await ds.transaction(async (em) => {
      await lockVoucherNumbering(em, ledgerId, period);
      await em.query(
        `WITH v AS (
           INSERT INTO voucher (ledger_id, period, number, voucher_date, description, preparer, approver, state, approved_at, posted_at)
           SELECT $1::int, $2::text, coalesce(max(number), 0) + 1, to_date($2 || '-20', 'YYYY-MM-DD'), 'bench posting', 'bench.clerk', 'bench.manager', 'posted', now(), now()
           FROM voucher WHERE ledger_id = $1::int AND period = $2::text
           RETURNING id)
         INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit, memo)
         SELECT v.id, $1::int, $2::text, n, CASE WHEN n <= 5 THEN '501' ELSE '102' END,
                CASE WHEN n <= 5 THEN 1000 + n ELSE 0 END, CASE WHEN n > 5 THEN 1000 + n - 5 ELSE 0 END, 'bench'
         FROM v, generate_series(1, 10) AS n`,
        [ledgerId, period],
      );
    });
    samples.push(performance.now() - t);
  }
  const p99 = round(percentile(samples, 99), 1);
  return {
    id: 'posting',
    name: `lines written into one ledger of ${lines.toLocaleString('en')} lines; then one 10-line voucher posted (p99 of 200)`,
    value: linesPerSecond,
    unit: 'lines/s',
    baseline: { value: rawPerSecond, what: 'the same lines copied set-based into a table without rules, keys or triggers' },
    ratio: round(linesPerSecond / rawPerSecond),
    goal: `${lines.toLocaleString('en')} lines within ${round(60 * scale, 0)} s (≥ ${Math.round(lines / (60 * scale)).toLocaleString('en')}/s); one voucher p99 < 20 ms`,
    met: gen.elapsedMs < 60_000 * scale && p99 < 20,
    details: {
      seedSeconds: round(gen.elapsedMs / 1000, 1),
      voucherP50Ms: round(percentile(samples, 50), 1),
      voucherP99Ms: p99,
      rawSeconds: round(rawMs / 1000, 2),
    },
  };
}

/**
 * The federation readiness10k and board10k measure: 10,000 ledgers under RFED (a tenth with
 * --quick) with 5% of them blocked, seeded once per database and shared by both figures.
 */
const federations = new WeakMap<DataSource, Promise<{ parent: string; ledgers: number; seedSeconds: number }>>();
export function seedFederation10k(ds: DataSource, period: string, scale: number): Promise<{ parent: string; ledgers: number; seedSeconds: number }> {
  let seeded = federations.get(ds);
  if (!seeded) {
    const ledgers = Math.round(10_000 * scale);
    seeded = generateFederation(ds, { ledgers, lines: 20, period, parent: 'RFED', unitPrefix: 'R', seed: 23, blockers: 0.05, connections: 2 }).then(
      async (gen) => {
        await ds.query(`ANALYZE`);
        return { parent: 'RFED', ledgers, seedSeconds: round(gen.elapsedMs / 1000, 1) };
      },
    );
    federations.set(ds, seeded);
  }
  return seeded;
}

/** The federation's pre-close check over 10,000 ledgers (a tenth with --quick), median of 5. */
export async function readiness10k(ds: DataSource, period: string, scale: number, measuring: () => void): Promise<BookFigure> {
  const { ledgers, seedSeconds } = await seedFederation10k(ds, period, scale);
  measuring();
  const runs: number[] = [];
  let last: Awaited<ReturnType<typeof federationReadiness>> | undefined;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    last = await federationReadiness(ds, 'RFED', period, { limit: 100 });
    runs.push(performance.now() - t);
  }
  // Baseline: one pass over the subtree's vouchers of the period, the least any check over it reads.
  const tb = performance.now();
  await ds.query(
    `WITH RECURSIVE tree AS (SELECT id FROM ledger WHERE code = 'RFED' UNION ALL SELECT l.id FROM ledger l JOIN tree t ON l.parent_id = t.id)
     SELECT count(*) FROM voucher v JOIN tree t ON t.id = v.ledger_id WHERE v.period = $1`,
    [period],
  );
  const baseMs = performance.now() - tb;
  const value = Math.round(percentile(runs, 50));
  return {
    id: 'readiness10k',
    name: `pre-close check of a federation of ${ledgers.toLocaleString('en')} ledgers (first page of 100 with totals, median of 5)`,
    value,
    unit: 'ms',
    baseline: { value: Math.round(baseMs), what: "one count of the subtree's vouchers of the period" },
    ratio: round(value / Math.max(1, baseMs)),
    goal: '< 2000 ms',
    met: value < 2000,
    details: {
      allMs: runs.map(Math.round),
      ledgers: last?.totals.ledgers,
      ready: last?.totals.ready,
      byCode: last?.totals.byCode,
      seedSeconds,
    },
  };
}
