import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { migrations } from './migrations';
import { NamedStatementClient } from './named-statements';

/**
 * The one TypeORM data source of a process. Schema changes only through migrations, never synchronize.
 * `preparedStatements` (DB_PREPARED_STATEMENTS): each connection prepares the statements it runs once
 * (db/named-statements.ts); off behind a pooler that shares server connections between transactions.
 */
export function createDataSource(url: string, poolSize = 10, applicationName = 'close-orchestrator', { preparedStatements = true } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    // No entities: the product writes SQL (db/schema.ts types its rows); TypeORM runs the migrations and pools the connections.
    entities: [],
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    logging: ['error'],
    extra: {
      max: poolSize,
      application_name: applicationName,
      connectionTimeoutMillis: 10_000,
      ...(preparedStatements ? { Client: NamedStatementClient } : {}),
    },
  });
}

/** Brings the schema to the latest migration; returns the names of the migrations it ran. */
export async function migrateToLatest(dataSource: DataSource): Promise<string[]> {
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  return ran.map((m) => m.name);
}
