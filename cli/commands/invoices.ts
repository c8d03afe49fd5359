import type { Command } from 'commander';
import type { Blocker } from '../../close';
import { apiPath } from '../api-client';
import { ExitCode, parsePeriod } from '../args';
import { action } from '../context';
import { blockersTable } from '../format';

interface InvoiceSyncView {
  state: 'done' | 'running' | 'failed';
  workflowId: string;
  ledger: string;
  period: string;
  uploaded?: number;
  matched?: number;
  platform?: number;
  reconciledBy?: 'digest' | 'listing';
  differences?: Blocker[];
  error?: { code: string; message: string };
}

function describe(run: InvoiceSyncView): string {
  if (run.state === 'running') return `invoice sync ${run.ledger} ${run.period}: running (${run.workflowId}); ask again with closectl sync-invoices --status`;
  if (run.state === 'failed') return `invoice sync ${run.ledger} ${run.period}: failed, ${run.error?.code}: ${run.error?.message}`;
  const head = `invoice sync ${run.ledger} ${run.period}: ${run.uploaded} uploaded, ${run.matched} matched, platform holds ${run.platform} (by ${run.reconciledBy})`;
  const differences = run.differences ?? [];
  return differences.length === 0 ? `${head}; no differences` : `${head}\n${blockersTable(differences)}`;
}

/** 发票同步 ahead of the close: differences surface during the month, and the close then confirms by digest. */
export function registerInvoiceCommands(program: Command): void {
  program
    .command('sync-invoices')
    .description("sync a period's invoices with the tax platform ahead of the close; exits 2 when they differ")
    .argument('<ledger>', 'ledger code')
    .argument('<period>', 'period, YYYY-MM', parsePeriod)
    .option('--status', 'show the latest sync instead of starting one')
    .action(
      action<{ status?: boolean }>(async (ctx, [ledger, period], { status }) => {
        const path = apiPath`/api/v1/ledgers/${ledger}/periods/${period}/invoice-sync`;
        const run = (status ? await ctx.api.get(path) : await ctx.api.post(path)) as InvoiceSyncView;
        ctx.print(run, () => describe(run));
        if (run.state === 'failed') return ExitCode.FAILED;
        return (run.differences ?? []).length > 0 ? ExitCode.BLOCKED : ExitCode.OK;
      }),
    );
}
