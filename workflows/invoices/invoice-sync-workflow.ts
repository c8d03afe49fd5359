import { proxyActivities } from '@temporalio/workflow';
import type { InvoiceSyncActivities } from '../../activities/invoices/sync-ahead';
import { stepRetry } from '../../close';
import { INVOICE_SYNC_MAX_ATTEMPTS, type InvoiceSyncInput, type InvoiceSyncSummary } from './invoice-sync';

/**
 * 发票同步 ahead of the close, under the workflow id invoice-sync:<ledger>:<period>: the same upload
 * and reconciliation as the close's step, run during the month so differences surface early and the
 * close itself finds the platform already in agreement (it then confirms by digest, in milliseconds).
 * Technical failures are retried with back-off, a bounded number of times; business rules fail it.
 */
export async function invoiceSyncWorkflow(input: InvoiceSyncInput): Promise<InvoiceSyncSummary> {
  const s = input.settings;
  const { syncInvoicesAhead } = proxyActivities<InvoiceSyncActivities>({
    startToCloseTimeout: s.stepTimeoutMs,
    heartbeatTimeout: s.heartbeatTimeoutMs,
    retry: { ...stepRetry(s), maximumAttempts: INVOICE_SYNC_MAX_ATTEMPTS },
  });
  return syncInvoicesAhead(input);
}
