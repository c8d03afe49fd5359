import type { DataSource, EntityManager } from 'typeorm';
import { fromDatabaseError } from '../../db/pg-errors';
import { inBooksTransaction } from '../../db/session';
import { AppError } from '../../lib/errors';
import type { LedgerScope } from '../scope';

/** Who acts: their name lands in every audit entry of the act. */
export interface Actor {
  name: string;
  /** The subtree the actor may touch (books/scope.ts); absent or null: every ledger. */
  scopeLedgerId?: LedgerScope;
}

/** What an act did, and to which ledger's period (so a close waiting on that period can re-check at once). */
export interface ActResult<T> {
  ledgerId: number;
  period: string;
  result: T;
}

/** Tries of one act that meets another writer at the same moment (DATABASE_CONFLICT), the first included. */
export const ACT_TRIES = 3;

/**
 * Runs one act on the books in one transaction, as `actor` (and with `reason`, which the audit
 * entries the database writes by itself then carry); a rule the database refuses comes back as its
 * stable code (PERIOD_CLOSED, PERIOD_FROZEN, VOUCHER_UNBALANCED, SEGREGATION_OF_DUTIES, …).
 * An act that lost a race with another writer (a deadlock, or the same voucher number taken at once)
 * was rolled back whole, and is tried again a few times before the caller is told to: `work` only
 * touches the database, so running it again is the same act, not a second one.
 */
export async function runAct<T>(ds: DataSource, actor: Actor, reason: string | undefined, work: (em: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inBooksTransaction(ds, { actor: actor.name, reason }, work);
    } catch (err) {
      const mapped = fromDatabaseError(err);
      if (!(mapped instanceof AppError && mapped.code === 'DATABASE_CONFLICT') || attempt >= ACT_TRIES) throw mapped;
      // A short, spread pause: the other writer commits, and two losers do not meet again in step.
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.floor(Math.random() * 40 * attempt)));
    }
  }
}
