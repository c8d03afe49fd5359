import type { Command } from 'commander';
import { apiPath } from '../api-client';
import { act } from '../context';

/** The acts that clear blockers: approve and post vouchers (审核, 记账), defer a reimbursement. */
export function registerDocumentCommands(program: Command): void {
  program
    .command('approve')
    .description('approve (审核) a voucher; its preparer cannot approve it')
    .argument('<voucher-id>')
    .action(
      act(
        ([id]) => apiPath`/api/v1/vouchers/${id}/approve`,
        ([id]) => `voucher ${id}: approved`,
      ),
    );

  program
    .command('post')
    .description('post (记账) an approved voucher')
    .argument('<voucher-id>')
    .action(
      act(
        ([id]) => apiPath`/api/v1/vouchers/${id}/post`,
        ([id]) => `voucher ${id}: posted`,
      ),
    );

  program
    .command('defer')
    .description('defer an unpaid reimbursement (费用报销) to the next period')
    .argument('<reimbursement-id>')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .action(
      act(
        ([id]) => apiPath`/api/v1/reimbursements/${id}/defer`,
        ([id]) => `reimbursement ${id}: deferred to the next period`,
      ),
    );
}
