import { InvalidArgumentError, Option, type Command } from 'commander';
import { apiPath } from '../api-client';
import { ExitCode, parseLedgerList, parsePositiveInt, usageError } from '../args';
import { action } from '../context';
import { schedulesTable } from '../format';
import type { ScheduleView } from '../types';

interface CreateOptions {
  parent?: string;
  ledgers?: string[];
  day?: number;
  hour?: number;
  minute?: number;
  timeZone?: string;
  concurrency?: number;
  paused?: boolean;
  note?: string;
}

function parseBounded(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** Month-end schedules (Temporal schedules): one per scope, firing on a day of the month. */
export function registerScheduleCommands(program: Command): void {
  const schedules = program.command('schedules').description('automatic month-end closes: list, create, pause, unpause, trigger, backfill, delete');

  schedules
    .command('list')
    .description('list the schedules')
    .action(
      action(async (ctx) => {
        const page = await ctx.api.get<{ items: ScheduleView[] }>('/api/v1/schedules');
        ctx.print(page, () => (page.items.length === 0 ? 'no schedules' : schedulesTable(page.items, ctx.timeZone)));
        return ExitCode.OK;
      }),
    );

  schedules
    .command('show')
    .description('show one schedule')
    .argument('<schedule-id>')
    .action(
      action(async (ctx, [id]) => {
        const schedule = await ctx.api.get<ScheduleView>(apiPath`/api/v1/schedules/${id}`);
        ctx.print(schedule, () => schedulesTable([schedule], ctx.timeZone));
        return ExitCode.OK;
      }),
    );

  schedules
    .command('create')
    .description('create a schedule that closes the previous month, on a day of each month')
    .argument('<schedule-id>')
    .option('--parent <ledger>', 'every child ledger of this one')
    .option('--ledgers <a,b,c>', 'these ledgers', parseLedgerList)
    .addOption(new Option('--day <1-31>', 'day of the month (default 1)').argParser(parseBounded(1, 31)))
    .addOption(new Option('--hour <0-23>', 'hour (default 1)').argParser(parseBounded(0, 23)))
    .addOption(new Option('--minute <0-59>', 'minute (default 0)').argParser(parseBounded(0, 59)))
    .option('--time-zone <zone>', 'IANA time zone (default Asia/Shanghai)')
    .option('--concurrency <n>', 'ledgers closed at the same time', parsePositiveInt)
    .option('--paused', 'create it paused')
    .option('--note <text>', 'a note for whoever reads the schedule later')
    .action(
      action<CreateOptions>(async (ctx, [id], o) => {
        if (!o.parent === !o.ledgers) throw usageError('give exactly one of --parent <ledger> or --ledgers a,b,c');
        const body = {
          id,
          parent: o.parent,
          ledgers: o.ledgers,
          dayOfMonth: o.day,
          hour: o.hour,
          minute: o.minute,
          timeZone: o.timeZone,
          concurrency: o.concurrency,
          paused: o.paused,
          note: o.note,
        };
        const created = await ctx.api.post<ScheduleView>('/api/v1/schedules', withoutUndefined(body));
        ctx.print(created, () => `schedule ${id}: created\n${schedulesTable([created], ctx.timeZone)}`);
        return ExitCode.OK;
      }),
    );

  for (const act of ['pause', 'unpause', 'trigger'] as const) {
    schedules
      .command(act)
      .description({ pause: 'pause a schedule', unpause: 'unpause a schedule', trigger: 'run a schedule now' }[act])
      .argument('<schedule-id>')
      .option('--note <text>', 'why, kept with the schedule')
      .action(
        action<{ note?: string }>(async (ctx, [id], { note }) => {
          const body = await ctx.api.post(apiPath`/api/v1/schedules/${id}/${act}`, act === 'trigger' ? {} : withoutUndefined({ note }));
          ctx.print(body, () => `schedule ${id}: ${act === 'trigger' ? 'triggered' : `${act}d`}`);
          return ExitCode.OK;
        }),
      );
  }

  schedules
    .command('backfill')
    .description('run the month-ends a schedule missed between two instants')
    .argument('<schedule-id>')
    .requiredOption('--from <iso-datetime>', 'e.g. 2026-01-01T00:00:00+08:00')
    .requiredOption('--to <iso-datetime>', 'e.g. 2026-04-01T00:00:00+08:00')
    .action(
      action<{ from: string; to: string }>(async (ctx, [id], { from, to }) => {
        const body = await ctx.api.post(apiPath`/api/v1/schedules/${id}/backfill`, { from, to });
        ctx.print(body, () => `schedule ${id}: backfill from ${from} to ${to} requested`);
        return ExitCode.OK;
      }),
    );

  schedules
    .command('delete')
    .description('delete a schedule')
    .argument('<schedule-id>')
    .action(
      action(async (ctx, [id]) => {
        const body = await ctx.api.delete(apiPath`/api/v1/schedules/${id}`);
        ctx.print(body, () => `schedule ${id}: deleted`);
        return ExitCode.OK;
      }),
    );
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
