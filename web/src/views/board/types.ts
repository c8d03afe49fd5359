/** One ledger of a federation as GET /api/v1/readiness answers it (books/federation-readiness.ts). */
export interface LedgerReadiness {
  ledger: string;
  name: string;
  /** open, running, blocked, failed, closed, reopened. */
  state: string;
  ready: boolean;
  /** Blocking items by blocker code. */
  counts: Record<string, number>;
}

export interface BoardTotals {
  ledgers: number;
  ready: number;
  byState: Record<string, number>;
  byCode: Record<string, number>;
  /** Blocking items by the role that must act on them. */
  byOwner?: Record<string, number>;
}

export interface BoardPage {
  parent: string;
  period: string;
  items: LedgerReadiness[];
  /** Of the whole filtered subtree, not of this page. */
  totals: BoardTotals;
  next: string | null;
}
