import type { Command } from 'commander';
import { ExitCode, exitCodeForMonthEnd, parseLedgerList, parsePeriod, usageError } from '../args';
import { action, type CommandContext } from '../context';
import { followMonthEnd, silentTerminal } from '../follow';
import { monthEndLedgersTable, monthEndLine } from '../format';
import type { MonthEndView } from '../types';

interface MonthEndOptions {
  parent?: string;
  ledgers?: string[];
  follow?: boolean;
}

function describeRun(run: MonthEndView): string {
  const head = `month-end ${run.id}: period ${run.period}, ${run.state}`;
  if (!run.summary) return head;
  const ledgers = monthEndLedgersTable(run.summary);
  return [head, monthEndLine(run.summary), ...(ledgers ? ['', ledgers] : [])].join('\n');
}

function outcome(ctx: CommandContext, run: MonthEndView): number {
  ctx.print(run, () => describeRun(run));
  return run.summary ? exitCodeForMonthEnd(run.summary) : ExitCode.OK;
}

export function registerMonthEndCommand(program: Command): void {
  program
    .command('month-end')
    .description('close many ledgers for a period: every child of a parent ledger, or a list')
    .argument('<period>', 'period, YYYY-MM', parsePeriod)
    .option('--parent <ledger>', "every ledger under this one (e.g. a federation's grassroots unions)")
    .option('--ledgers <a,b,c>', 'these ledgers', parseLedgerList)
    .option('-f, --follow', 'show live counts until every close ends or waits on blockers')
    .action(
      action<MonthEndOptions>(async (ctx, [period], options) => {
        if (!options.parent === !options.ledgers) throw usageError('give exactly one of --parent <ledger> or --ledgers a,b,c');
        const scope = options.parent ? { parent: options.parent } : { ledgers: options.ledgers };
        const run = await ctx.api.post<MonthEndView>('/api/v1/month-ends', { period, ...scope });
        if (!options.follow) return outcome(ctx, run);
        if (!ctx.json) ctx.out.write(`month-end ${run.id}: started for ${period}\n`);
        return outcome(ctx, await followMonthEnd(ctx.api, run.id, ctx.json ? silentTerminal : ctx.out));
      }),
    );
}
