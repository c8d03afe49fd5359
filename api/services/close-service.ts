import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/errors';
import { audit } from '../../db/session';
import { assertClosable } from '../../books/close-preconditions';
import { registerCloseRun } from '../../books/close-runs';
import { closeWorkflowId, LIVE_STATES, type CloseSettings, type CloseStatus } from '../../close';
import { closeWorkflow, type CloseInput } from '../../workflows/close/close-workflow';
import { cancelSignal, resumeSignal, statusQuery } from '../../workflows/close/messages';
import type { ApiUser } from '../auth';
import { acceptedDifferences, type AcceptedDifference } from '../../books/invoices/reconciliation-store';
import { withNextAttempts } from './step-retries';
import { findClose, findCloseRow, findLiveClose, listCloses, viewFromStatus, type CloseFilter, type CloseView } from './close-view';

export interface CloseServiceDeps {
  dataSource: DataSource;
  temporalClient: Client;
  taskQueue: string;
  closeSettings: CloseSettings;
}

/** How long starting a close waits for the workflow to answer its status query. */
const STATUS_WAIT_MS = 5_000;

/**
 * Whether a workflow ends within STATUS_WAIT_MS (a close whose run has ended in the books does, at
 * once); the wait for its result is aborted past that, as statusOf's query is.
 */
async function ended(client: Client, handle: WorkflowHandle): Promise<boolean> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), STATUS_WAIT_MS);
  try {
    await client.connection.withAbortSignal(abort.signal, () => handle.result());
    return true;
  } catch {
    // Failed or cancelled has ended too; only a wait cut short has not.
    return !abort.signal.aborted;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starting, resuming and cancelling closes. A close runs as the workflow close:<ledger>:<period>;
 * starting one that already runs answers with that one instead of a second.
 */
export function createCloseService(deps: CloseServiceDeps) {
  const db = deps.dataSource;

  async function start(user: ApiUser, input: { ledger: string; period: string }): Promise<{ created: boolean; close: CloseView }> {
    const ledger = await assertClosable(db, input.ledger, input.period, new Date(), user.scopeLedgerId);

    const closeId = randomUUID();
    const workflowId = closeWorkflowId(ledger.code, input.period);
    const startOrFind = () =>
      deps.temporalClient.workflow.start(closeWorkflow, {
        taskQueue: deps.taskQueue,
        workflowId,
        args: [{ closeId, ledger: ledger.code, period: input.period, initiatedBy: user.name, settings: deps.closeSettings }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
    let handle = await startOrFind();
    let status = await statusOf(deps.temporalClient, handle);
    if (status && status.closeId !== closeId) {
      const theirs = await findClose(db, status.closeId);
      if (theirs && !LIVE_STATES.includes(theirs.state) && (await ended(deps.temporalClient, handle))) {
        // That close had already ended in the books (closed, and the period since reopened) while its
        // workflow finished its last moment: the period is free, and this close starts after it.
        handle = await startOrFind();
        status = await statusOf(deps.temporalClient, handle);
      }
    }
    if (status && status.closeId !== closeId) {
      return { created: false, close: (await findClose(db, status.closeId)) ?? viewFromStatus(status) };
    }
    if (!status) {
      // The workflow did not answer in time: the database tells whether another close holds the period.
      const live = await findLiveClose(db, ledger.id, input.period);
      if (live && live.id !== closeId) return { created: false, close: live };
      // Or a start that answered no one (a retried call whose first attempt started the workflow and
      // failed before registering it): the workflow carries its own close id, read from its start event,
      // and that id is the one registered — never one the workflow does not know.
      const started = await startedInput(deps.temporalClient, handle).catch(() => undefined);
      if (started && started.closeId !== closeId) {
        await registerCloseRun(db, {
          closeId: started.closeId,
          workflowId,
          runId: handle.firstExecutionRunId,
          ledgerId: ledger.id,
          period: input.period,
          initiatedBy: started.initiatedBy,
        });
        const theirs = await findClose(db, started.closeId);
        if (theirs) return { created: false, close: theirs };
      }
    }
    // Registered now, so GET answers at once; the first step's own registration then finds the row.
    await registerCloseRun(db, { closeId, workflowId, runId: handle.firstExecutionRunId, ledgerId: ledger.id, period: input.period, initiatedBy: user.name });
    const close = (await findClose(db, closeId)) ?? (status ? viewFromStatus(status) : undefined);
    if (!close) throw new AppError('INTERNAL', `Close ${closeId} was started but is not registered yet.`);
    return { created: true, close };
  }

  /** One close, with the invoice differences accepted for its period (they are part of its record). */
  async function get(user: ApiUser, id: string): Promise<CloseView & { acceptedDifferences: AcceptedDifference[] }> {
    const close = await findCloseRow(db, id, user.scopeLedgerId);
    if (!close) throw new AppError('CLOSE_NOT_FOUND', `There is no close with id ${id}.`);
    const { ledgerId, ...view } = close;
    return { ...(await withNextAttempts(deps.temporalClient, view)), acceptedDifferences: await acceptedDifferences(db, ledgerId, close.period) };
  }

  /** Resume and cancel reach only a live close; the act is audited with who asked and why. */
  async function signalLive(user: ApiUser, id: string, act: 'resume' | 'cancel', reason?: string): Promise<CloseView> {
    const close = await findCloseRow(db, id, user.scopeLedgerId);
    if (!close) throw new AppError('CLOSE_NOT_FOUND', `There is no close with id ${id}.`);
    if (!LIVE_STATES.includes(close.state)) throw new AppError('CLOSE_NOT_ACTIVE', `Close ${id} has already ended (${close.state}).`, { state: close.state });
    const handle = deps.temporalClient.workflow.getHandle(close.workflowId);
    try {
      if (act === 'resume') await handle.signal(resumeSignal, { by: user.name });
      else await handle.signal(cancelSignal, { by: user.name, reason });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new AppError('CLOSE_NOT_ACTIVE', `Close ${id} is no longer running.`);
      throw err;
    }
    await audit(db.manager, { actor: user.name, action: `close.${act}_requested`, ledgerId: close.ledgerId, period: close.period, target: id, reason });
    const { ledgerId: _ledgerId, ...view } = close;
    return view;
  }

  /**
   * After an act on a ledger's period: the close waiting on it (if one is live) re-checks now, so a
   * cleared blocker needs no manual resume. Best effort: a close that just ended has nothing to re-check.
   */
  async function recheck(ledgerId: number, period: string, user: ApiUser): Promise<void> {
    const live = await findLiveClose(db, ledgerId, period);
    if (!live) return;
    await deps.temporalClient.workflow
      .getHandle(live.workflowId)
      .signal(resumeSignal, { by: user.name })
      .catch(() => undefined);
  }

  return {
    start,
    get,
    recheck,
    list: (user: ApiUser, filter: CloseFilter) => listCloses(db, user.scopeLedgerId, filter),
    resume: (user: ApiUser, id: string) => signalLive(user, id, 'resume'),
    cancel: (user: ApiUser, id: string, reason?: string) => signalLive(user, id, 'cancel', reason),
  };
}

export type CloseService = ReturnType<typeof createCloseService>;

/** The input a close workflow was started with, from its first history event (no worker needed). */
async function startedInput(client: Client, handle: { workflowId: string; firstExecutionRunId: string }): Promise<CloseInput | undefined> {
  const res = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: handle.workflowId, runId: handle.firstExecutionRunId },
    maximumPageSize: 1,
  });
  const payload = res.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return payload ? client.options.loadedDataConverter.payloadConverter.fromPayload<CloseInput>(payload) : undefined;
}

/**
 * The workflow's own status, retried briefly while its first task is still on the way to a worker.
 * Each query is aborted at the deadline, so none goes on retrying in the background while Temporal
 * is down (an abandoned call would, and fail its process once the connection closes).
 */
async function statusOf(client: Client, handle: WorkflowHandle<typeof closeWorkflow>): Promise<CloseStatus | null> {
  const deadline = Date.now() + STATUS_WAIT_MS;
  while (Date.now() < deadline) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), Math.max(1, deadline - Date.now()));
    try {
      return await client.connection.withAbortSignal(abort.signal, () => handle.query(statusQuery));
    } catch {
      if (abort.signal.aborted) return null;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      clearTimeout(timer);
    }
  }
  return null;
}
