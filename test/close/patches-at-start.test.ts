import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { closeWorkflowId } from '../../close';
import { closeWorkflow } from '../../workflows/close/close-workflow';
import { PATCHES_IN_ONE_PATCH } from '../../workflows/close/patches';
import { createLedger } from '../fixtures/books';
import { fastCloseSettings } from '../helpers/temporal';
import { useCloseStack, waitForState } from './close-harness';

/**
 * Found by the chaos soak: a close whose authorise step (a local activity) outlived a workflow task's
 * heartbeat had its patch marker recorded a workflow task later than its replay asked for it, and
 * after a worker kill it failed on nondeterminism for good. The patches are now decided before the
 * close's first await; this makes such a close and replays its history as a new worker would.
 */
describe('a close whose first step outlives a workflow task', () => {
  const t = useCloseStack([['manager', 'finance_manager']]);

  it('when authorise waits on the period longer than a workflow task heartbeat, then the close closes and its history replays', async () => {
    const ds = t.db.dataSource;
    await createLedger(ds, { code: 'SLOWAUTH', firstPeriod: '2026-09', openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    // Another transaction holds the period row: authorise waits for it, past the 1.6 s heartbeat of a 2 s task.
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT 1 FROM period p JOIN ledger l ON l.id = p.ledger_id WHERE l.code = 'SLOWAUTH' AND p.period = '2026-09' FOR UPDATE`);
    const handle = await t.stack.client.workflow.start(closeWorkflow, {
      taskQueue: t.stack.taskQueue,
      workflowId: closeWorkflowId('SLOWAUTH', '2026-09'),
      workflowTaskTimeout: '2s',
      args: [{ closeId: randomUUID(), ledger: 'SLOWAUTH', period: '2026-09', initiatedBy: 'manager', settings: fastCloseSettings }],
    });
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await runner.commitTransaction();
    await runner.release();
    expect((await waitForState(handle, ['closed', 'failed'])).state).toBe('closed');

    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    // The authorise step's result was recorded after a workflow task that completed while it ran.
    const firstLocal = events.findIndex((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    const completedBefore = events.slice(0, firstLocal).filter((e) => e.workflowTaskCompletedEventAttributes).length;
    expect(completedBefore).toBeGreaterThanOrEqual(2);
    // The patches were decided in the first workflow task (today all by one), and a new worker replays the close.
    const patchIds = events
      .slice(0, firstLocal)
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .map((e) => Buffer.from(e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0].data!).toString());
    expect(patchIds.some((p) => p.includes(PATCHES_IN_ONE_PATCH))).toBe(true);
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } }, history, handle.workflowId),
    ).resolves.toBeUndefined();
  });
});
