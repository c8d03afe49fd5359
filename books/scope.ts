/**
 * Organisation scope (issue #17): a user may touch one ledger and its subtree, named by the id of
 * that ledger, or every ledger (null). Each ledger keeps `path`, its ancestors' ids and its own
 * (db: ledger.path, GIN-indexed), so "inside the scope" is one indexed array test, always in SQL:
 * a row outside the scope is simply not found, exactly like one that does not exist.
 */
export type LedgerScope = number | null;

/** SQL: ledger alias `l` lies in the scope bound as parameter `$n` (NULL: every ledger). */
export function ledgerInScope(alias: string, n: number): string {
  return `($${n}::int IS NULL OR ${alias}.path @> ARRAY[$${n}::int])`;
}

/** SQL: the row whose ledger id is `column` belongs to a ledger in the scope bound as `$n`. */
export function rowInScope(column: string, n: number): string {
  return `($${n}::int IS NULL OR EXISTS (SELECT 1 FROM ledger scoped WHERE scoped.id = ${column} AND scoped.path @> ARRAY[$${n}::int]))`;
}

/** The scope of whoever acts: a user of the API carries theirs; the close itself (system) has none. */
export function scopeOf(actor: { scopeLedgerId?: LedgerScope }): LedgerScope {
  return actor.scopeLedgerId ?? null;
}
