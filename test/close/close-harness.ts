import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { rows } from '../../db/sql';
import { historyCostOf } from '../../infra/history-cost';
import { closeWorkflow } from '../../workflows/close/close-workflow';
import type { CloseSettings } from '../../close';
import { statusQuery } from '../../workflows/close/messages';
import { closeWorkflowId, type CloseState, type CloseStatus } from '../../close';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { fastCloseSettings, startTestStack, type TestStack } from '../helpers/temporal';

export async function addUser(ds: DataSource, name: string, role: string): Promise<void> {
  await ds.query(`INSERT INTO app_user (name, role) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, role]);
}

export async function startClose(
  stack: TestStack,
  ledger: string,
  period: string,
  initiatedBy = 'manager',
  settings: Partial<CloseSettings> = {},
): Promise<{ closeId: string; handle: WorkflowHandle<typeof closeWorkflow> }> {
  const closeId = randomUUID();
  const handle = await stack.client.workflow.start(closeWorkflow, {
    taskQueue: stack.taskQueue,
    workflowId: closeWorkflowId(ledger, period),
    args: [{ closeId, ledger, period, initiatedBy, settings: { ...fastCloseSettings, ...settings } }],
  });
  return { closeId, handle };
}

/** Polls the workflow's status query until it reaches one of the states (bounded). */
export async function waitForState(handle: WorkflowHandle, states: CloseState[], timeoutMs = 60_000): Promise<CloseStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: CloseStatus | undefined;
  while (Date.now() < deadline) {
    last = await handle.query(statusQuery).catch(() => last);
    if (last && states.includes(last.state)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`close did not reach ${states.join('/')} within ${timeoutMs} ms; last status: ${JSON.stringify(last?.state)} at ${last?.currentStep}`);
}

export async function waitUntil<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not met within ${timeoutMs} ms`);
}

export async function closeRun(
  ds: DataSource,
  closeId: string,
): Promise<{
  state: string;
  steps: Array<{ name: string; state: string; attempts: number; lastError: unknown; startedAt?: string; endedAt?: string | null }>;
  blockers: Array<{ code: string; items: unknown[] }>;
  errors: Array<{ code: string; step: string }>;
}> {
  const [row] = await rows<never>(ds, `SELECT state, steps, blockers, errors FROM close_run WHERE id = $1`, [closeId]);
  return row;
}

export async function balances(
  ds: DataSource,
  ledgerId: number,
  period: string,
): Promise<Record<string, { opening: string; debit: string | null; credit: string | null; closing: string | null }>> {
  const found = await rows<{ account_code: string; opening: string; debit: string | null; credit: string | null; closing: string | null }>(
    ds,
    `SELECT account_code, opening, debit, credit, closing FROM balance WHERE ledger_id = $1 AND period = $2`,
    [ledgerId, period],
  );
  return Object.fromEntries(found.map((b) => [b.account_code, { opening: b.opening, debit: b.debit, credit: b.credit, closing: b.closing }]));
}

/** One test file's books and worker: a fresh database copy, a real worker, the users the file names. */
export function useCloseStack(users: Array<[name: string, role: string]>): { db: TestDatabase; stack: TestStack } {
  const t = {} as { db: TestDatabase; stack: TestStack };
  beforeAll(async () => {
    t.db = await createTestDatabase();
    t.stack = await startTestStack(t.db.dataSource);
    for (const [name, role] of users) await addUser(t.db.dataSource, name, role);
  });
  afterAll(async () => {
    await t.stack?.stop();
    await t.db?.destroy();
  });
  return t;
}

/** What a close asked of Temporal, from its history: workflow tasks, the activities it scheduled on the server, its local activities' names. */
export async function historyCost(handle: WorkflowHandle): Promise<{ workflowTasks: number; serverActivities: string[]; localActivities: string[] }> {
  const { workflowTasks, serverActivities, localActivities } = historyCostOf(await handle.fetchHistory());
  return { workflowTasks, serverActivities, localActivities };
}
