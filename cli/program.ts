import { Command, Option } from 'commander';
import { DEFAULT_TIME_ZONE } from '../lib/local-time';
import { DEFAULT_API_URL, exitCodeHelp, parseTimeZone } from './args';
import { registerReportCommand } from './commands/report';
import { registerCheckCommand } from './commands/check';
import { registerCloseCommands } from './commands/closes';
import { registerDocumentCommands } from './commands/documents';
import { registerInvoiceCommands } from './commands/invoices';
import { registerMonthEndCommand } from './commands/month-end';
import { registerScheduleCommands } from './commands/schedules';

/** closectl: the period-end close (期末结账) from a terminal or a script, over the public API. */
export function buildProgram(): Command {
  const program = new Command('closectl')
    .description('Start, watch and unblock period-end closes (期末结账) through the close API.')
    .addOption(new Option('--url <url>', 'API base URL').env('CLOSE_API_URL').default(DEFAULT_API_URL))
    .addOption(new Option('--token <token>', 'API bearer token').env('CLOSE_API_TOKEN'))
    .option('--json', "print the API's JSON instead of text (for scripts)")
    .addOption(new Option('--tz <zone>', 'time zone times are shown in, as TZ takes it').default(DEFAULT_TIME_ZONE).argParser(parseTimeZone))
    .showSuggestionAfterError()
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', `\nEnvironment: CLOSE_API_URL, CLOSE_API_TOKEN (flags win).\n\n${exitCodeHelp}`);

  registerCloseCommands(program);
  registerCheckCommand(program);
  registerReportCommand(program);
  registerDocumentCommands(program);
  registerInvoiceCommands(program);
  registerMonthEndCommand(program);
  registerScheduleCommands(program);

  // Commander's errors (unknown option, missing argument, no command) are reported by closectl as
  // one line with exit 4, so its own error output and its help-on-error are silenced.
  const quiet = (command: Command) => {
    command.exitOverride().configureOutput({ outputError: () => {}, writeErr: () => {} });
    command.commands.forEach(quiet);
  };
  quiet(program);
  return program;
}
