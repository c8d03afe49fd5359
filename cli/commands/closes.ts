import { Option, type Command } from 'commander';
import { apiPath } from '../api-client';
import { DEFAULT_STALLED_MINUTES, exitCodeForCloseState, ExitCode, listQuery, parsePeriod, parsePositiveInt, type ListOptions } from '../args';
import { act, action, type CommandContext } from '../context';
import { followClose, silentTerminal } from '../follow';
import { blockersTable, closeDetails, closesTable } from '../format';
import type { CloseView, Page } from '../types';

/** Once a followed close stops, say where it stands: blockers as a table, a failure with its code. */
function followedOutcome(ctx: CommandContext, close: CloseView): number {
  ctx.print(close, () => {
    if (close.state === 'blocked') return `close ${close.id} waits on blockers:\n\n${blockersTable(close.blockers ?? [])}`;
    const lastError = close.errors?.[close.errors.length - 1];
    const why = lastError ? ` (${lastError.code}: ${lastError.message})` : '';
    return `close ${close.id}: ${close.ledger} ${close.period} ${close.state}${why}`;
  });
  return exitCodeForCloseState(close.state);
}

export function registerCloseCommands(program: Command): void {
  program
    .command('start')
    .description('start the close (结账) of a ledger for a period')
    .argument('<ledger>', 'ledger code (账套)')
    .argument('<period>', 'period, YYYY-MM', parsePeriod)
    .option('-f, --follow', 'show live progress until the close ends or waits on blockers')
    .action(
      action<{ follow?: boolean }>(async (ctx, [ledger, period], { follow }) => {
        const { status, body: started } = await ctx.api.request<CloseView>('POST', '/api/v1/closes', { body: { ledger, period } });
        if (!follow) {
          ctx.print(started, () => `close ${started.id}: ${ledger} ${period} ${status === 200 ? 'already running' : 'started'} (${started.state})`);
          return exitCodeForCloseState(started.state);
        }
        if (!ctx.json) ctx.out.write(`close ${started.id}: ${status === 200 ? 'already running, following it' : 'started'}\n`);
        return followedOutcome(ctx, await followClose(ctx.api, started.id, ctx.json ? silentTerminal : ctx.out));
      }),
    );

  program
    .command('follow')
    .description('follow a close already under way until it ends or waits on blockers (exit 2 when blocked, 3 when failed or cancelled)')
    .argument('<close-id>')
    .action(
      action(async (ctx, [closeId]) => {
        if (!ctx.json) ctx.out.write(`close ${closeId}: following it\n`);
        return followedOutcome(ctx, await followClose(ctx.api, closeId, ctx.json ? silentTerminal : ctx.out));
      }),
    );

  program
    .command('status')
    .description('show one close: steps, blockers, errors (exit 2 when blocked, 3 when failed or cancelled)')
    .argument('<close-id>')
    .action(
      action(async (ctx, [closeId]) => {
        const close = await ctx.api.get<CloseView>(apiPath`/api/v1/closes/${closeId}`);
        ctx.print(close, () => closeDetails(close, ctx.now(), ctx.timeZone));
        return exitCodeForCloseState(close.state);
      }),
    );

  program
    .command('list')
    .description('list closes, newest first')
    .addOption(
      new Option('--stalled [minutes]', `only closes with no progress for this many minutes (default ${DEFAULT_STALLED_MINUTES})`)
        .preset(String(DEFAULT_STALLED_MINUTES))
        .argParser(parsePositiveInt),
    )
    .addOption(new Option('--blocked', 'only closes waiting on blockers').conflicts('failed'))
    .option('--failed', 'only failed closes')
    .option('--late', 'only closes past their due time (close calendar)')
    .option('--ledger <ledger>', 'only this ledger')
    .option('--period <period>', 'only this period', parsePeriod)
    .option('--limit <n>', 'at most this many', parsePositiveInt)
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(
      action<ListOptions>(async (ctx, _args, options) => {
        const page = await ctx.api.get<Page<CloseView>>('/api/v1/closes', listQuery(options));
        ctx.print(page, () => {
          if (page.items.length === 0) return 'no closes';
          return closesTable(page.items, ctx.now()) + (page.next ? `\n(more: --cursor ${page.next})` : '');
        });
        return ExitCode.OK;
      }),
    );

  program
    .command('resume')
    .description('make a blocked or stalled close re-check now')
    .argument('<close-id>')
    .action(
      act(
        ([id]) => apiPath`/api/v1/closes/${id}/resume`,
        ([id]) => `close ${id}: resume requested`,
      ),
    );

  program
    .command('cancel')
    .description('cancel a running close; the period stays open and as it was')
    .argument('<close-id>')
    .option('--reason <text>', 'why, for the audit log')
    .action(
      act(
        ([id]) => apiPath`/api/v1/closes/${id}/cancel`,
        ([id]) => `close ${id}: cancel requested`,
      ),
    );

  program
    .command('reopen')
    .description('reopen (反结账) the latest closed period of a ledger')
    .argument('<ledger>')
    .argument('<period>', 'period, YYYY-MM', parsePeriod)
    .requiredOption('--reason <text>', 'why, for the audit log')
    .action(
      act(
        ([ledger, period]) => apiPath`/api/v1/ledgers/${ledger}/periods/${period}/reopen`,
        ([ledger, period]) => `${ledger} ${period}: reopened`,
      ),
    );
}
