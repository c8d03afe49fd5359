import type { DataSource, EntityManager } from 'typeorm';

type Queryable = DataSource | EntityManager;

/**
 * Runs raw SQL and returns its rows. TypeORM answers UPDATE/DELETE … RETURNING with [rows, count]
 * and everything else with rows; this hides the difference. Heavy work is set-based SQL, not ORM loops.
 */
export async function rows<T = Record<string, unknown>>(db: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await db.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

export async function one<T = Record<string, unknown>>(db: Queryable, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await rows<T>(db, sql, params))[0];
}
