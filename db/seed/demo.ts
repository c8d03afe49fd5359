import type { ClientBase } from 'pg';
import type { DataSource } from 'typeorm';
import { periodOf, previousPeriod } from '../../lib/period';
import { generateFederation } from './generator';
import type { FederationSummary } from './summary';

/** Any fixed number: the demo shows the same books on every machine. */
export const DEMO_SEED = 20_261_001;
export const DEMO_FEDERATION = 'FED';
// Serialises demo loading between processes started together (API and worker on one database).
const DEMO_LOCK = 7_320_261;

/**
 * When the database has no ledgers: a union federation FED with three grassroots unions
 * (U00001..U00003), each with last month (China time) as its open period; U00001 has a handful of
 * every kind of blocker. Returns what it wrote, including the states the bank and tax platform
 * stand-ins must hold for those blockers, or null when ledgers already existed. Writes no users.
 * Uses two connections of the data source's pool at once.
 */
export async function seedDemo(dataSource: DataSource, now: Date = new Date()): Promise<FederationSummary | null> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as ClientBase;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [DEMO_LOCK]);
    try {
      const { rows } = await client.query('SELECT EXISTS (SELECT 1 FROM ledger) AS any');
      if (rows[0].any) return null;
      return await generateFederation(dataSource, {
        ledgers: 3,
        lines: 400,
        period: previousPeriod(periodOf(now)),
        blockers: 1 / 3,
        seed: DEMO_SEED,
        parent: DEMO_FEDERATION,
        connections: 1,
      });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [DEMO_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
