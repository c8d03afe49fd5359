import { WorkflowFailedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { AppError, ErrorCodes, type ErrorCode } from '../../lib/errors';
import { findLedger } from '../../books/ledgers';
import { assertSyncable } from '../../books/invoice-sync-periods';
import type { CloseSettings } from '../../close';
import { invoiceSyncWorkflowId, type InvoiceSyncSummary } from '../../workflows/invoices/invoice-sync';
import { invoiceSyncWorkflow } from '../../workflows/invoices/invoice-sync-workflow';
import type { ApiUser } from '../auth';

export interface InvoiceSyncServiceDeps {
  dataSource: DataSource;
  temporalClient: Client;
  taskQueue: string;
  closeSettings: CloseSettings;
  /** How long POST waits for the sync to finish before answering 202 with where to look. */
  answerWaitMs?: number;
}

export type InvoiceSyncView =
  | ({ state: 'done'; workflowId: string } & InvoiceSyncSummary)
  | { state: 'running'; workflowId: string; ledger: string; period: string }
  | { state: 'failed'; workflowId: string; ledger: string; period: string; error: { code: string; message: string } };

const DEFAULT_ANSWER_WAIT_MS = 15_000;

/**
 * Invoice sync ahead of the close (workflow invoice-sync:<ledger>:<period>): asked for while one
 * runs, it joins that one. Refused for a period that is closed or being closed.
 */
export function createInvoiceSyncService(deps: InvoiceSyncServiceDeps) {
  const db = deps.dataSource;

  async function start(user: ApiUser, input: { ledger: string; period: string }): Promise<InvoiceSyncView> {
    const ledger = await findLedger(db, input.ledger, user.scopeLedgerId);
    if (!ledger.active) throw new AppError('LEDGER_INACTIVE', `Ledger ${ledger.code} is not active.`);
    await assertSyncable(db, ledger.id, ledger.code, input.period);
    const handle = await deps.temporalClient.workflow.start(invoiceSyncWorkflow, {
      taskQueue: deps.taskQueue,
      workflowId: invoiceSyncWorkflowId(ledger.code, input.period),
      args: [{ ledger: ledger.code, period: input.period, requestedBy: user.name, settings: deps.closeSettings }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    const ended = await settled(deps.temporalClient, handle, deps.answerWaitMs ?? DEFAULT_ANSWER_WAIT_MS);
    if (ended?.state === 'failed' && isErrorCode(ended.error.code)) throw new AppError(ended.error.code, ended.error.message);
    return viewOf(ended, handle.workflowId, ledger.code, input.period);
  }

  /** The latest run: running, its summary, or why it failed. */
  async function latest(user: ApiUser, ledgerCode: string, period: string): Promise<InvoiceSyncView> {
    const ledger = await findLedger(db, ledgerCode, user.scopeLedgerId);
    const handle = deps.temporalClient.workflow.getHandle<typeof invoiceSyncWorkflow>(invoiceSyncWorkflowId(ledger.code, period));
    try {
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') return { state: 'running', workflowId: handle.workflowId, ledger: ledger.code, period };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError)
        throw new AppError('INVOICE_SYNC_NOT_FOUND', `No invoice sync has run for ${ledger.code} ${period}; start one with POST.`);
      throw err;
    }
    return viewOf(await settled(deps.temporalClient, handle, 5_000), handle.workflowId, ledger.code, period);
  }

  return { start, latest };
}

export type InvoiceSyncService = ReturnType<typeof createInvoiceSyncService>;

type Ended = { state: 'done'; summary: InvoiceSyncSummary } | { state: 'failed'; error: { code: string; message: string } };

/** What the API answers of a run: its summary, why it failed, or (null: not ended yet) that it runs. */
function viewOf(ended: Ended | null, workflowId: string, ledger: string, period: string): InvoiceSyncView {
  if (ended === null) return { state: 'running', workflowId, ledger, period };
  return ended.state === 'done' ? { ...ended.summary, state: 'done', workflowId } : { state: 'failed', workflowId, ledger, period, error: ended.error };
}

/**
 * The run's outcome, or null if it is still running after `waitMs`. The wait is aborted then, so no
 * long poll for the result goes on in the background.
 */
async function settled(client: Client, handle: WorkflowHandle<typeof invoiceSyncWorkflow>, waitMs: number): Promise<Ended | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), waitMs);
  try {
    const summary = await client.connection.withAbortSignal(abort.signal, () => handle.result());
    return { state: 'done', summary };
  } catch (err) {
    if (abort.signal.aborted) return null;
    return { state: 'failed', error: failureOf(err) };
  } finally {
    clearTimeout(timer);
  }
}

function failureOf(err: unknown): { code: string; message: string } {
  let cause: unknown = err instanceof WorkflowFailedError ? err.cause : err;
  if (cause instanceof ActivityFailure) cause = cause.cause;
  if (cause instanceof ApplicationFailure) return { code: cause.type ?? 'INTERNAL', message: cause.message };
  return { code: 'INTERNAL', message: (err as Error).message ?? String(err) };
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ErrorCodes, code);
}
