import type { DataSource } from 'typeorm';
import { federationReadiness, type FederationFilter, type FederationReadiness } from '../../books/federation-readiness';
import { readinessOf, type Readiness } from '../../books/readiness';
import { ledgerInScope } from '../../books/scope';
import { one, rows } from '../../db/sql';
import type { Language } from '../../i18n/labels';
import type { ApiUser } from '../auth';
import type { ActsService } from './acts-service';
import { presentBlocker } from './blocker-actions';
import type { InvoiceSyncService } from './invoice-sync-service';

export interface ReadinessServiceDeps {
  dataSource: DataSource;
  acts: ActsService;
  invoiceSync: InvoiceSyncService;
  recheck(ledgerId: number, period: string, user: ApiUser): Promise<void>;
}

/**
 * The pre-close check (结账检查): every blocker of a ledger's period at once, read-only, each item
 * with the acts the caller may take; and the same for every ledger of a federation, counted.
 */
export function createReadinessService(deps: ReadinessServiceDeps) {
  const db = deps.dataSource;

  /**
   * With `refresh`, the bank is asked about every open transfer and the invoices are synced with the
   * tax platform first (what they say is kept); a close already running does both itself, so it is
   * made to re-check instead.
   */
  async function refresh(user: ApiUser, ledger: string, period: string): Promise<void> {
    const l = await one<{ id: number; state: string | null }>(
      db,
      `SELECT l.id, p.state FROM ledger l LEFT JOIN period p ON p.ledger_id = l.id AND p.period = $2 WHERE l.code = $1 AND ${ledgerInScope('l', 3)}`,
      [ledger, period, user.scopeLedgerId],
    );
    if (!l || l.state === 'closed') return;
    if (l.state === 'closing') {
      await deps.recheck(l.id, period, user);
      return;
    }
    const open = await rows<{ id: string }>(
      db,
      `SELECT id::text FROM fund_transfer WHERE ledger_id = $1 AND period = $2 AND state NOT IN ('posted', 'written_off') ORDER BY id LIMIT 200`,
      [l.id, period],
    );
    for (const t of open) await deps.acts.transfers.askBank(user, t.id);
    if (l.state === 'open') await deps.invoiceSync.start(user, { ledger, period });
  }

  return {
    async single(user: ApiUser, language: Language, ledger: string, period: string, opts: { refresh: boolean }): Promise<Readiness> {
      if (opts.refresh) await refresh(user, ledger, period);
      const r = await readinessOf(db, ledger, period, user.scopeLedgerId);
      return { ...r, blockers: r.blockers.map((b) => presentBlocker(b, { ledger: r.ledger, period }, user, language)) };
    },
    federation: (user: ApiUser, parent: string, period: string, filter: FederationFilter): Promise<FederationReadiness> =>
      federationReadiness(db, parent, period, filter, user.scopeLedgerId),
  };
}

export type ReadinessService = ReturnType<typeof createReadinessService>;
