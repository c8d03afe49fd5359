import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { writeBlockers } from './blockers';
import { BatchBook, credit, debit } from './book';
import { accounts as a, unionChart } from './chart';
import { writeDocuments } from './documents';
import { federationName, grassrootsUnionName, ledgerStaff, unifiedSocialCreditCode } from './identities';
import { LedgerActivity, type SeedLedger } from './ledger-activity';
import { createLedgers, type NewLedger, removeLedgers } from './ledgers';
import { writeOpeningBalances } from './openings';
import { writeOrdinaryVouchers } from './ordinary-vouchers';
import { SeededRandom } from './random';
import { type FederationSummary, type LedgerBlockers, type SeededLedger, emptyRowCounts } from './summary';
import { WriterLanes } from './lanes';
import { countBatch, emptyTotals } from './write-batch';

export const federationOptionsSchema = z.object({
  /** Grassroots unions under the federation. */
  ledgers: z.number().int().min(0).max(100_000),
  /** Voucher lines per grassroots union in the period. */
  lines: z.number().int().min(0).max(50_000_000),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a period is written YYYY-MM'),
  /** Share of the grassroots unions (0..1) that get blockers of every kind; at least one when above 0. */
  blockers: z.number().min(0).max(1).default(0),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /** Code of the federation ledger. */
  parent: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$/)
    .default('FED'),
  /** Grassroots codes are this prefix and a five-digit number: U00001, U00002, ... */
  unitPrefix: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,29}$/)
    .default('U'),
  /** Lines held in memory before a batch of ledgers is written out. */
  batchLines: z.number().int().min(1).default(500_000),
  /** Connections writing at the same time; 1 writes everything in a single transaction. */
  connections: z.number().int().min(1).max(8).default(2),
});
export type FederationOptions = z.input<typeof federationOptionsSchema> & {
  /** Told after each batch is written, e.g. to show progress. */
  onBatchWritten?: (progress: { ledgers: number; lines: number; elapsedMs: number }) => void;
};

/**
 * Writes a union federation for one period: the federation's ledger and `ledgers` grassroots
 * unions, each with the chart, an open period, balanced opening balances, posted vouchers of about
 * `lines` lines (exactly, once `lines` exceeds what the documents and blockers need), posted claims,
 * transfers and invoices, and sub-ledger entries that reconcile with their control accounts.
 * The same seed and options write the same books. Nothing stays behind when it fails (with more
 * than one connection, only the audit entries of the periods' creation do).
 */
export async function generateFederation(dataSource: DataSource, options: FederationOptions): Promise<FederationSummary> {
  const parsed = federationOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new Error(`invalid seed options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const opts = parsed.data;
  const started = Date.now();
  const lanes = await WriterLanes.open(dataSource, Math.min(opts.connections, poolSizeOf(dataSource)));
  try {
    const summary = await writeFederation(lanes, opts, started, options.onBatchWritten);
    summary.elapsedMs = Date.now() - started;
    const totalRows = Object.values(summary.rows).reduce((sum, n) => sum + n, 0);
    summary.rowsPerSecond = Math.round((totalRows * 1000) / Math.max(1, summary.elapsedMs));
    return summary;
  } finally {
    await lanes.release();
  }
}

type Options = z.output<typeof federationOptionsSchema>;

/** More lanes than the pool holds would wait for each other forever. */
function poolSizeOf(dataSource: DataSource): number {
  const options = dataSource.options as { extra?: { max?: number }; poolSize?: number };
  return options.extra?.max ?? options.poolSize ?? 10;
}

async function writeFederation(
  lanes: WriterLanes,
  opts: Options,
  started: number,
  onBatchWritten: FederationOptions['onBatchWritten'],
): Promise<FederationSummary> {
  const federationRng = SeededRandom.derive(opts.seed, 0);
  const federation: NewLedger = { code: opts.parent, name: federationName(federationRng), taxpayerId: unifiedSocialCreditCode(federationRng, 'union') };
  const units: NewLedger[] = Array.from({ length: opts.ledgers }, (_, i) => {
    const rng = SeededRandom.derive(opts.seed, i + 1);
    return { code: `${opts.unitPrefix}${String(i + 1).padStart(5, '0')}`, name: grassrootsUnionName(rng), taxpayerId: unifiedSocialCreditCode(rng, 'union') };
  });
  const created = await createLedgersForLanes(lanes, federation, units, opts.period);
  try {
    const summary = await writePeriod(lanes, created, opts, started, onBatchWritten);
    await lanes.commit();
    return summary;
  } catch (err) {
    await lanes.rollback();
    if (lanes.count > 1)
      await removeLedgers(
        lanes.first,
        [created.federation, ...created.units].map((l) => l.id),
      ).catch(() => undefined);
    throw err;
  }
}

/**
 * With one connection everything is one transaction. With more, the ledgers, charts and periods
 * are committed first, since every connection's rows refer to them.
 */
async function createLedgersForLanes(lanes: WriterLanes, federation: NewLedger, units: NewLedger[], period: string) {
  await lanes.first.query('BEGIN');
  try {
    const created = await createLedgers(lanes.first, federation, units, period);
    if (lanes.count > 1) {
      await lanes.first.query('COMMIT');
      await lanes.begin();
    }
    return created;
  } catch (err) {
    await lanes.first.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function writePeriod(
  lanes: WriterLanes,
  created: { federation: SeedLedger; units: SeedLedger[] },
  opts: Options,
  started: number,
  onBatchWritten: FederationOptions['onBatchWritten'],
): Promise<FederationSummary> {
  const units = created.units;
  const rows = emptyRowCounts();
  rows.ledger = rows.period = 1 + units.length;
  rows.account = rows.ledger * unionChart.length;
  const totals = emptyTotals();
  const withBlockers = blockerIndexes(units.length, opts.blockers);
  const blockers: LedgerBlockers[] = [];
  const seeded: SeededLedger[] = [];

  let book = new BatchBook(opts.period);
  let ledgersWritten = 0;
  const flush = async () => {
    await lanes.write(book);
    countBatch(book, rows, totals);
    onBatchWritten?.({ ledgers: ledgersWritten, lines: rows.voucher_line, elapsedMs: Date.now() - started });
    book = new BatchBook(opts.period);
  };

  const federationActivity = writeFederationBooks(book, created.federation, created.units, SeededRandom.derive(opts.seed, 0, 1));
  ledgersWritten++;
  for (const [i, unit] of created.units.entries()) {
    const ctx = new LedgerActivity(book, unit, SeededRandom.derive(opts.seed, i + 1, 1), ledgerStaff(SeededRandom.derive(opts.seed, i + 1, 2)));
    writeOpeningBalances(ctx);
    const hasBlockers = withBlockers.has(i);
    if (hasBlockers) blockers.push(writeBlockers(ctx, created.federation.name));
    writeDocuments(ctx, opts.lines, created.federation.name);
    writeOrdinaryVouchers(ctx, opts.lines);
    seeded.push({ ...unit, lines: ctx.linesWritten, hasBlockers });
    ledgersWritten++;
    if (book.lineCount >= opts.batchLines) await flush();
  }
  await flush();

  return {
    seed: opts.seed,
    period: opts.period,
    federation: { ...created.federation, lines: federationActivity.linesWritten, hasBlockers: false },
    ledgers: seeded,
    rows,
    totals,
    blockers,
    bank: { transfers: blockers.flatMap((b) => b.transfers) },
    taxPlatform: { invoices: blockers.flatMap((b) => b.platformInvoices), mismatches: blockers.flatMap((b) => b.invoiceMismatches) },
    elapsedMs: 0,
    rowsPerSecond: 0,
  };
}

/** Spread evenly over the unions, so the first always has blockers when any has. */
function blockerIndexes(unitCount: number, share: number): Set<number> {
  if (share <= 0 || unitCount === 0) return new Set();
  const count = Math.min(unitCount, Math.max(1, Math.round(share * unitCount)));
  return new Set(Array.from({ length: count }, (_, i) => Math.trunc((i * unitCount) / count)));
}

/** The federation's period: its openings and the union funds each grassroots union remitted. */
function writeFederationBooks(book: BatchBook, federation: SeedLedger, units: readonly SeedLedger[], rng: SeededRandom): LedgerActivity {
  const ctx = new LedgerActivity(book, federation, rng, ledgerStaff(rng));
  writeOpeningBalances(ctx, 10);
  for (const unit of units) {
    const amount = rng.fen(2_000, 200_000);
    const memo = `收到${unit.name}上缴工会经费`;
    ctx.posted(memo, [debit(a.bank, amount, unit.code), credit(a.allocatedFundsIncome, amount, memo)]);
  }
  return ctx;
}
