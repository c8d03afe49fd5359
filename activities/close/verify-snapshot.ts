import type { DataSource, EntityManager } from 'typeorm';
import { one } from '../../db/sql';
import { checksumSql, perAccountFromLinesSql } from './backup';

/** Recomputes a snapshot's checksum from the period's lines now: equal means the close's input is proven. */
export async function verifySnapshot(db: DataSource | EntityManager, snapshotId: string): Promise<{ stored: string; recomputed: string; matches: boolean }> {
  const snap = await one<{ ledger_id: number; period: string; checksum: string }>(db,
    `SELECT ledger_id, period, checksum FROM period_snapshot WHERE id = $1`, [snapshotId]);
  if (!snap) throw new Error(`no snapshot ${snapshotId}`);
  const now = await one<{ checksum: string }>(db, `WITH per_account AS (${perAccountFromLinesSql}) SELECT ${checksumSql} AS checksum FROM per_account`,
    [snap.ledger_id, snap.period]);
  return { stored: snap.checksum, recomputed: now!.checksum, matches: snap.checksum === now!.checksum };
}
