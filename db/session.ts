import type { DataSource, EntityManager } from 'typeorm';

export interface ActSettings {
  /** Who acts: lands in audit entries the database writes by itself. */
  actor: string;
  /** Why, where the act has a reason (defer, cancel). */
  reason?: string;
  /** Only the reopen act sets this; without it the database refuses to change a closed period. */
  reopenReason?: string;
  /** Only the close's own write steps set this, to write into a period its backup has frozen. */
  closeWriter?: boolean;
}

/**
 * Runs `work` in one transaction with the acting user (and reason) made known to the database's
 * triggers as transaction-local settings, so they vanish at commit and never leak to a pooled connection.
 */
export async function inBooksTransaction<T>(ds: DataSource, act: ActSettings, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return ds.transaction(async (em) => {
    await em.query(
      `SELECT set_config('books.actor', $1, true), set_config('books.reason', $2, true),
              set_config('books.reopen_reason', $3, true), set_config('books.close_writer', $4, true)`,
      [act.actor, act.reason ?? '', act.reopenReason ?? '', act.closeWriter ? 'on' : ''],
    );
    return work(em);
  });
}

/** Appends an audit entry for an act the triggers do not see (a close started, a token created, ...). */
export async function audit(
  em: EntityManager,
  entry: { actor: string; action: string; ledgerId?: number | null; period?: string | null; target?: string | null; reason?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await em.query(
    `INSERT INTO audit_log (actor, action, ledger_id, period, target, reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [entry.actor, entry.action, entry.ledgerId ?? null, entry.period ?? null, entry.target ?? null, entry.reason ?? null, JSON.stringify(entry.details ?? {})],
  );
}
