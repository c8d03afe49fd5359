import { findLedger, type LedgerRef } from '../../books/ledgers';
import type { ActivityDeps, StepInput } from './deps';

/** Closes whose ledger a worker remembers; past it the oldest is forgotten (looked up again if it comes back). */
const REMEMBERED_CLOSES = 5_000;

const byDeps = new WeakMap<ActivityDeps, Map<string, Promise<LedgerRef>>>();

/**
 * The ledger a close's steps work on, looked up once per close and worker rather than once per step:
 * a close's ledger never changes (its id is a UUID of its own, its ledger code part of its input),
 * and a month-end of thousands of closes pays for every round trip. What the steps decide on (the
 * period's state, its owner) they still read in their own transactions. A failed lookup is not kept.
 */
export function closeLedger(deps: ActivityDeps, input: Pick<StepInput, 'closeId' | 'ledger'>): Promise<LedgerRef> {
  return remembered(deps).get(key(input)) ?? remember(deps, input, findLedger(deps.dataSource, input.ledger));
}

/** The ledger authorise found for a close (its preconditions look it up anyway): its later steps need not. */
export function rememberCloseLedger(deps: ActivityDeps, input: Pick<StepInput, 'closeId' | 'ledger'>, ledger: LedgerRef): void {
  void remember(deps, input, Promise.resolve(ledger));
}

function remember(deps: ActivityDeps, input: Pick<StepInput, 'closeId' | 'ledger'>, lookup: Promise<LedgerRef>): Promise<LedgerRef> {
  const known = remembered(deps);
  known.set(key(input), lookup);
  if (known.size > REMEMBERED_CLOSES) known.delete(known.keys().next().value!);
  // Forgotten if it fails, unless a later lookup of the same close has taken its place meanwhile.
  lookup.catch(() => known.get(key(input)) === lookup && known.delete(key(input)));
  return lookup;
}

function remembered(deps: ActivityDeps): Map<string, Promise<LedgerRef>> {
  let known = byDeps.get(deps);
  if (!known) byDeps.set(deps, (known = new Map()));
  return known;
}

const key = (input: Pick<StepInput, 'closeId' | 'ledger'>) => `${input.closeId}\u0000${input.ledger}`;
