import type { Command } from 'commander';
import { apiPath } from '../api-client';
import { ExitCode, parsePeriod, usageError } from '../args';
import { action } from '../context';
import { blockersTable, localTime, renderTable } from '../format';
import type { Blocker } from '../types';

interface Readiness {
  ledger: string;
  period: string;
  ready: boolean;
  checkedAt: string;
  blockers: Blocker[];
}

interface FederationReadiness {
  items: Array<{ ledger: string; name: string; state: string; ready: boolean; counts: Record<string, number> }>;
  totals: { ledgers: number; ready: number; byCode: Record<string, number> };
  next: string | null;
}

/** 结账检查: every blocker of a period at once, without starting a close; exit 2 while anything blocks. */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('check a period before closing it (结账检查): every blocker at once, nothing written (exit 2 when not ready)')
    .argument('<ledger-or-period>', 'ledger code (账套), or the period with --parent')
    .argument('[period]', 'period, YYYY-MM')
    .option('--parent <federation>', 'check every ledger under this federation instead of one ledger')
    .option('--refresh', 'ask the bank and the tax platform first instead of using what is known')
    .action(
      action<{ parent?: string; refresh?: boolean }>(async (ctx, [first, second], { parent, refresh }) => {
        if (parent !== undefined) {
          const period = parsePeriod(second ?? first!);
          const found: FederationReadiness['items'] = [];
          let page: FederationReadiness | undefined;
          let cursor: string | null = null;
          do {
            const query: string = `?parent=${encodeURIComponent(parent)}&period=${period}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
            page = await ctx.api.get<FederationReadiness>(`/api/v1/readiness${query}`);
            found.push(...page.items);
            cursor = page.next;
          } while (cursor !== null);
          const totals = page.totals;
          ctx.print({ items: found, totals }, () => {
            const notReady = found.filter((l) => !l.ready);
            const table = renderTable(
              ['LEDGER', 'NAME', 'STATE', 'BLOCKERS'],
              notReady.map((l) => [
                l.ledger,
                l.name,
                l.state,
                Object.entries(l.counts)
                  .map(([code, n]) => `${code}×${n}`)
                  .join(' '),
              ]),
            );
            const byCode = Object.entries(totals.byCode)
              .map(([code, n]) => `${code}×${n}`)
              .join(' ');
            return `${parent} ${period}: ${totals.ready} of ${totals.ledgers} ledger(s) ready${byCode ? ` — ${byCode}` : ''}${notReady.length ? `\n\n${table}` : ''}`;
          });
          return totals.ready === totals.ledgers ? ExitCode.OK : ExitCode.BLOCKED;
        }
        if (second === undefined) throw usageError('Give a ledger and a period (closectl check U00001 2026-10), or --parent <federation> and a period.');
        const period = parsePeriod(second);
        const path = apiPath`/api/v1/ledgers/${first!}/periods/${period}/readiness` + (refresh ? '?refresh=true' : '');
        const r = await ctx.api.get<Readiness>(path);
        const checked = localTime(r.checkedAt, ctx.timeZone);
        ctx.print(r, () =>
          r.ready
            ? `${r.ledger} ${r.period}: ready to close (checked ${checked})`
            : `${r.ledger} ${r.period}: not ready (checked ${checked})\n\n${blockersTable(r.blockers)}`,
        );
        return r.ready ? ExitCode.OK : ExitCode.BLOCKED;
      }),
    );
}
