import type { Command } from 'commander';
import { apiPath } from '../api-client';
import { ExitCode } from '../args';
import { action } from '../context';

/** The acts that clear blockers: approve and post vouchers (审核, 记账), defer a reimbursement. */
export function registerDocumentCommands(program: Command): void {
  program.command('approve')
    .description('approve (审核) a voucher; its preparer cannot approve it')
    .argument('<voucher-id>')
    .action(action(async (ctx, [voucherId]) => {
      const body = await ctx.api.post(apiPath`/api/v1/vouchers/${voucherId}/approve`);
      ctx.print(body, () => `voucher ${voucherId}: approved`);
      return ExitCode.OK;
    }));

  program.command('post')
    .description('post (记账) an approved voucher')
    .argument('<voucher-id>')
    .action(action(async (ctx, [voucherId]) => {
      const body = await ctx.api.post(apiPath`/api/v1/vouchers/${voucherId}/post`);
      ctx.print(body, () => `voucher ${voucherId}: posted`);
      return ExitCode.OK;
    }));

  program.command('defer')
    .description('defer an unpaid reimbursement (费用报销) to the next period')
    .argument('<reimbursement-id>')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .action(action<{ reason: string }>(async (ctx, [reimbursementId], { reason }) => {
      const body = await ctx.api.post(apiPath`/api/v1/reimbursements/${reimbursementId}/defer`, { reason });
      ctx.print(body, () => `reimbursement ${reimbursementId}: deferred to the next period`);
      return ExitCode.OK;
    }));
}
