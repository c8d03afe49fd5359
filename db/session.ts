import type { DataSource, EntityManager } from 'typeorm';
import { storableText, storableValue } from '../lib/text';

export interface ActSettings {
  /** Who acts: lands in audit entries the database writes by itself. */
  actor: string;
  /** Why, where the act has a reason (defer, cancel). */
  reason?: string;
  /** Only the reopen act sets this; without it the database refuses to change a closed period. */
  reopenReason?: string;
  /** Only the close's own write steps set this, to write into a period its backup has frozen. */
  closeWriter?: boolean;
  /**
   * The longest this transaction waits for one lock (PostgreSQL's lock_timeout), e.g. a close waiting
   * for an open writer of its period; past it the statement fails with 55P03 (PERIOD_BUSY, retryable).
   */
  lockWaitMs?: number;
}

/**
 * Runs `work` in one transaction with the acting user (and reason) made known to the database's
 * triggers as transaction-local settings, so they vanish at commit and never leak to a pooled connection.
 */
export async function inBooksTransaction<T>(ds: DataSource, act: ActSettings, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return ds.transaction(async (em) => {
    // One round trip: the lock wait, when none is asked, stays what the session has.
    await em.query(
      `SELECT set_config('books.actor', $1, true), set_config('books.reason', $2, true),
              set_config('books.reopen_reason', $3, true), set_config('books.close_writer', $4, true),
              set_config('lock_timeout', coalesce($5, current_setting('lock_timeout')), true)`,
      [
        act.actor,
        storableText(act.reason) ?? '',
        storableText(act.reopenReason) ?? '',
        act.closeWriter ? 'on' : '',
        act.lockWaitMs === undefined ? null : `${Math.max(1, Math.round(act.lockWaitMs))}ms`,
      ],
    );
    return work(em);
  });
}

/** Appends an audit entry for an act the triggers do not see (a close started, a token created, ...). */
export async function audit(
  em: EntityManager,
  entry: {
    actor: string;
    action: string;
    ledgerId?: number | null;
    period?: string | null;
    target?: string | null;
    reason?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await em.query(`INSERT INTO audit_log (actor, action, ledger_id, period, target, reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    entry.actor,
    entry.action,
    entry.ledgerId ?? null,
    entry.period ?? null,
    entry.target ?? null,
    storableText(entry.reason) ?? null,
    JSON.stringify(storableValue(entry.details ?? {})),
  ]);
}
