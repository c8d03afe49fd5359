import type { DataSource, EntityManager } from 'typeorm';
import { fromDatabaseError } from '../../db/pg-errors';
import { inBooksTransaction } from '../../db/session';
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

/**
 * Runs one act on the books in one transaction, as `actor` (and with `reason`, which the audit
 * entries the database writes by itself then carry); a rule the database refuses comes back as its
 * stable code (PERIOD_CLOSED, PERIOD_FROZEN, VOUCHER_UNBALANCED, SEGREGATION_OF_DUTIES, …).
 */
export async function runAct<T>(ds: DataSource, actor: Actor, reason: string | undefined, work: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await inBooksTransaction(ds, { actor: actor.name, reason }, work);
  } catch (err) {
    throw fromDatabaseError(err);
  }
}
