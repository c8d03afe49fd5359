import { CommanderError, InvalidArgumentError } from 'commander';
import {
  CliError,
  describeError,
  errorLine,
  ExitCode,
  exitCodeForCloseState,
  exitCodeForMonthEnd,
  listQuery,
  parseLedgerList,
  parsePeriod,
  parsePositiveInt,
  parseTimeZone,
  resolveConnection,
} from './args';
import { buildProgram } from './program';

describe('exit codes', () => {
  it('when a close is closed or still running, then 0; blocked 2; failed or cancelled 3', () => {
    expect(exitCodeForCloseState('closed')).toBe(0);
    expect(exitCodeForCloseState('running')).toBe(0);
    expect(exitCodeForCloseState('blocked')).toBe(2);
    expect(exitCodeForCloseState('failed')).toBe(3);
    expect(exitCodeForCloseState('cancelled')).toBe(3);
  });

  it('when a month-end has a failed ledger and a blocked one, then the failure decides', () => {
    expect(exitCodeForMonthEnd({ failed: 1, cancelled: 0, blocked: 5 })).toBe(3);
    expect(exitCodeForMonthEnd({ failed: 0, cancelled: 0, blocked: 5 })).toBe(2);
    expect(exitCodeForMonthEnd({ failed: 0, cancelled: 0, blocked: 0 })).toBe(0);
  });

  it('when the API refuses, then its code and message make one line with exit 5', () => {
    const reported = describeError(new CliError('UNAUTHENTICATED', 'The token is unknown\n or revoked.', ExitCode.API_ERROR));
    expect(reported.exitCode).toBe(5);
    expect(errorLine(reported)).toBe('error UNAUTHENTICATED: The token is unknown or revoked.');
  });

  it('when commander refuses the arguments, then it is a usage error, exit 4', () => {
    const reported = describeError(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"));
    expect(reported).toEqual({ code: 'USAGE', message: "unknown option '--x'", exitCode: 4 });
  });

  it('when help was asked for, then it is a success; when it was shown for want of a command, a usage error', () => {
    expect(describeError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)')).exitCode).toBe(0);
    expect(describeError(new CommanderError(0, 'commander.help', '(outputHelp)')).exitCode).toBe(0);
    expect(describeError(new CommanderError(1, 'commander.help', '(outputHelp)'))).toEqual({
      code: 'USAGE',
      message: 'no command given; see closectl --help',
      exitCode: 4,
    });
  });

  it('when something unforeseen is thrown, then exit 1 with its message, never a stack', () => {
    expect(errorLine(describeError(new TypeError('x is undefined')))).toBe('error UNEXPECTED: x is undefined');
  });
});

describe('argument parsers', () => {
  it('when a period is YYYY-MM, then it passes; otherwise commander reports it', () => {
    expect(parsePeriod('2026-10')).toBe('2026-10');
    expect(() => parsePeriod('2026-13')).toThrow(InvalidArgumentError);
    expect(() => parsePeriod('202610')).toThrow(InvalidArgumentError);
  });

  it('when ledgers are comma-separated with spaces or empty parts, then they are trimmed and kept in order', () => {
    expect(parseLedgerList('GH-001, GH-002,,GH-003 ')).toEqual(['GH-001', 'GH-002', 'GH-003']);
    expect(() => parseLedgerList(' , ')).toThrow(InvalidArgumentError);
  });

  it('when --tz names a zone the runtime knows, then it passes; otherwise commander reports it', () => {
    expect(parseTimeZone('Asia/Shanghai')).toBe('Asia/Shanghai');
    expect(parseTimeZone('UTC')).toBe('UTC');
    expect(() => parseTimeZone('Asia/Peking-ish')).toThrow(InvalidArgumentError);
  });

  it('when a count is not a whole number above zero, then it is refused', () => {
    expect(parsePositiveInt('45')).toBe(45);
    for (const bad of ['0', '-1', '1.5', 'ten', '']) expect(() => parsePositiveInt(bad)).toThrow(InvalidArgumentError);
  });
});

describe('list filters', () => {
  it('when filters are given, then they become the API query', () => {
    expect(listQuery({ blocked: true, ledger: 'GH-001', period: '2026-10', limit: 20 })).toEqual({
      state: 'blocked',
      ledger: 'GH-001',
      period: '2026-10',
      limit: '20',
    });
    expect(listQuery({ failed: true, stalled: 45 })).toEqual({ state: 'failed', stalled: '45' });
    expect(listQuery({})).toEqual({});
    expect(listQuery({ late: true })).toEqual({ late: 'true' });
  });

  it('when --stalled has no minutes, then commander applies 30; with minutes, those', () => {
    const parsedList = (args: string[]) => {
      const program = buildProgram();
      const list = program.commands.find((c) => c.name() === 'list')!;
      list.action(() => {});
      program.parse(['node', 'closectl', 'list', ...args]);
      return listQuery(list.opts());
    };
    expect(parsedList(['--stalled'])).toEqual({ stalled: '30' });
    expect(parsedList(['--stalled', '90', '--blocked'])).toEqual({ stalled: '90', state: 'blocked' });
  });

  it('when both --blocked and --failed are given, then it is a usage error', () => {
    const program = buildProgram();
    program.commands.find((c) => c.name() === 'list')!.action(() => {});
    expect(() => program.parse(['node', 'closectl', 'list', '--blocked', '--failed'])).toThrow(/cannot be used with/);
  });
});

describe('resolveConnection', () => {
  it('when the URL ends in slashes, then they are dropped; an empty token counts as none', () => {
    expect(resolveConnection({ url: 'http://api.example:8080//', token: '' })).toEqual({ url: 'http://api.example:8080', token: undefined });
  });

  it('when the URL is not one, then it is a usage error', () => {
    expect(() => resolveConnection({ url: 'not a url' })).toThrow(expect.objectContaining({ exitCode: 4 }));
  });
});
