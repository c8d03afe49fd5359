import type { DataSource } from 'typeorm';
import { rows } from '../../db/sql';
import { findLedger } from '../../books/ledgers';
import { rowInScope, type LedgerScope } from '../../books/scope';
import { decodeCursor, encodeCursor, invalidCursor } from '../validation';

export interface AuditEntryView {
  id: string;
  at: string;
  actor: string;
  action: string;
  ledger: string | null;
  period: string | null;
  target: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/** The audit log, newest first, paged by id (it is append-only, so ids never move). */
export function createAuditService(dataSource: DataSource) {
  return {
    /**
     * Only entries of ledgers in the caller's scope; a scoped reader sees no entry without a ledger
     * (those belong to every ledger's people: only a reader of every ledger sees them).
     */
    async list(
      scope: LedgerScope,
      f: { ledger?: string; period?: string; limit: number; cursor?: string },
    ): Promise<{ items: AuditEntryView[]; next: string | null }> {
      const ledgerId = f.ledger === undefined ? null : (await findLedger(dataSource, f.ledger, scope)).id;
      const after = decodeCursor(f.cursor, ['string']);
      if (after && !/^[1-9]\d{0,17}$/.test(String(after[0]))) invalidCursor();
      const found = await rows<AuditEntryView>(
        dataSource,
        `SELECT a.id::text AS id, a.at, a.actor, a.action, l.code AS ledger, a.period, a.target, a.reason, a.details
         FROM audit_log a LEFT JOIN ledger l ON l.id = a.ledger_id
         WHERE ($1::int IS NULL OR a.ledger_id = $1) AND ($2::text IS NULL OR a.period = $2) AND ($3::bigint IS NULL OR a.id < $3)
           AND ($5::int IS NULL OR (a.ledger_id IS NOT NULL AND ${rowInScope('a.ledger_id', 5)}))
         ORDER BY a.id DESC LIMIT $4`,
        [ledgerId, f.period ?? null, after?.[0] ?? null, f.limit + 1, scope],
      );
      const page = found.slice(0, f.limit);
      return { items: page, next: found.length > f.limit ? encodeCursor([page[page.length - 1].id]) : null };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
