import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import type { CloseReport } from '../../api/services/close-report';
import { apiPath } from '../api-client';
import { ExitCode, parsePeriod, usageError } from '../args';
import { action } from '../context';
import { closeReportText } from '../report-format';

interface ReportOptions {
  csv?: boolean;
  xlsx?: boolean;
  out?: string;
}

/** Which file to ask for: the flag, else the --out file's extension; none means the text report. */
function fileFormat(options: ReportOptions): 'csv' | 'xlsx' | undefined {
  if (options.csv) return 'csv';
  if (options.xlsx) return 'xlsx';
  if (options.out === undefined) return undefined;
  const extension = /\.(csv|xlsx)$/i.exec(options.out)?.[1]?.toLowerCase();
  if (!extension) throw usageError(`say --csv or --xlsx for ${options.out} (or name it .csv or .xlsx)`);
  return extension as 'csv' | 'xlsx';
}

/** 结账报告 of a closed period: as text, or saved as the CSV or XLSX the API builds. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('the close report (结账报告) of a closed period; --csv or --xlsx with --out FILE saves it for Excel')
    .argument('<ledger>', 'ledger code (账套)')
    .argument('<period>', 'period, YYYY-MM', parsePeriod)
    .addOption(new Option('--csv', 'save as CSV (UTF-8 with BOM, opens in Excel); to stdout without --out').conflicts('xlsx'))
    .option('--xlsx', 'save as an Excel workbook (needs --out)')
    .option('--out <file>', 'the file to write')
    .action(
      action<ReportOptions>(async (ctx, [ledger, period], options) => {
        const path = apiPath`/api/v1/ledgers/${ledger}/periods/${period}/report`;
        const format = fileFormat(options);
        if (format === undefined) {
          const report = await ctx.api.get<CloseReport>(path);
          ctx.print(report, () => closeReportText(report, ctx.timeZone));
          return ExitCode.OK;
        }
        // A workbook's bytes would garble a terminal; a CSV may go to stdout for a pipe.
        if (format === 'xlsx' && options.out === undefined) throw usageError('--xlsx needs --out FILE');
        const file = await ctx.api.download(path, { format, tz: ctx.timeZone });
        if (options.out === undefined) {
          ctx.out.write(file.toString('utf8'));
          return ExitCode.OK;
        }
        await writeFile(options.out, file);
        ctx.print(
          { ledger, period, format, file: options.out, bytes: file.length },
          () => `${ledger} ${period}: close report saved to ${options.out} (${format}, ${file.length} bytes)`,
        );
        return ExitCode.OK;
      }),
    );
}
