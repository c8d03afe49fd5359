import { rows } from '../../db/sql';
import { monthEndWorkflow } from '../../workflows/month-end/month-end-workflow';
import { addVoucher, createLedger } from '../fixtures/books';
import { fastCloseSettings } from '../helpers/temporal';
import { useCloseStack, waitUntil } from './close-harness';

describe('month-end for a federation', () => {
  const t = useCloseStack([
    ['system', 'scheduler'],
    ['clerk', 'accountant'],
    ['manager', 'finance_manager'],
  ]);

  it('when a federation closes its month, then every grassroots ledger is closed, a blocked one waits, and the month-end ends with each settled', async () => {
    const ds = t.db.dataSource;
    await createLedger(ds, { code: 'FED', firstPeriod: '2026-09', openingBalances: {} });
    const codes = ['U001', 'U002', 'U003', 'U004', 'U005'];
    for (const code of codes) {
      const l = await createLedger(ds, { code, parentCode: 'FED', firstPeriod: '2026-09', openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
      await addVoucher(ds, {
        ledgerId: l.id,
        period: '2026-09',
        preparer: 'clerk',
        approver: 'manager',
        state: code === 'U003' ? 'submitted' : 'posted',
        lines: [
          { account: '102', debit: 10_00 },
          { account: '401', credit: 10_00 },
        ],
      });
    }
    const handle = await t.stack.client.workflow.start(monthEndWorkflow, {
      taskQueue: t.stack.taskQueue,
      workflowId: 'month-end:test-fed-2026-09',
      args: [{ period: '2026-09', scope: { parent: 'FED' }, initiatedBy: 'system', concurrency: 2, closeSettings: fastCloseSettings }],
    });
    const result = await handle.result();
    expect(result).toEqual({ monthEndId: 'month-end:test-fed-2026-09', period: '2026-09', started: 5 });

    const runs = await rows<{ code: string; state: string; month_end_id: string }>(
      ds,
      `SELECT l.code, r.state, r.month_end_id FROM close_run r JOIN ledger l ON l.id = r.ledger_id ORDER BY l.code`,
    );
    expect(runs.map((r) => [r.code, r.state])).toEqual([
      ['U001', 'closed'],
      ['U002', 'closed'],
      ['U003', 'blocked'],
      ['U004', 'closed'],
      ['U005', 'closed'],
    ]);
    expect(new Set(runs.map((r) => r.month_end_id))).toEqual(new Set(['month-end:test-fed-2026-09']));
    const [run] = await rows<{ state: string; ledger_count: number }>(
      ds,
      `SELECT state, ledger_count FROM month_end_run WHERE id = 'month-end:test-fed-2026-09'`,
    );
    expect(run).toEqual({ state: 'completed', ledger_count: 5 });
    // The first closes, as many as the concurrency allows, were started together in one workflow task.
    const starts = ((await handle.fetchHistory()).events ?? [])
      .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)
      .filter((a) => a != null)
      .map((a) => [a!.workflowId, String(a!.workflowTaskCompletedEventId)]);
    expect(starts).toHaveLength(5);
    expect(starts[0][1]).toBe(starts[1][1]);
    await t.stack.client.workflow.getHandle('close:U003:2026-09').cancel();
  });

  it('when a month-end covers more ledgers than one run may start, then it continues as new, carrying its place and the closes in flight, and closes every ledger once', async () => {
    const ds = t.db.dataSource;
    await createLedger(ds, { code: 'FED2', firstPeriod: '2026-09', openingBalances: {} });
    const codes = ['V001', 'V002', 'V003', 'V004', 'V005', 'V006', 'V007'];
    for (const code of codes) {
      const l = await createLedger(ds, { code, parentCode: 'FED2', firstPeriod: '2026-09', openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
      await addVoucher(ds, {
        ledgerId: l.id,
        period: '2026-09',
        preparer: 'clerk',
        approver: 'manager',
        lines: [
          { account: '102', debit: 10_00 },
          { account: '401', credit: 10_00 },
        ],
      });
    }
    const workflowId = 'month-end:test-fed2-2026-09';
    const handle = await t.stack.client.workflow.start(monthEndWorkflow, {
      taskQueue: t.stack.taskQueue,
      workflowId,
      args: [
        {
          period: '2026-09',
          scope: { parent: 'FED2' },
          initiatedBy: 'system',
          concurrency: 2,
          closeSettings: fastCloseSettings,
          pageSize: 2,
          childrenPerRun: 2,
        },
      ],
    });
    // The handle follows the chain of runs to the last one's result.
    expect(await handle.result()).toEqual({ monthEndId: workflowId, period: '2026-09', started: 7 });
    const { runId: lastRunId } = await handle.describe();
    expect(lastRunId).not.toBe(handle.firstExecutionRunId);
    // Seven ledgers, two per run: at least four runs (visibility may lag a moment behind).
    await waitUntil(
      async () => {
        let runs = 0;
        for await (const _ of t.stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs++;
        return runs >= 4;
      },
      10_000,
      'four runs of the month-end listed',
    );

    const closes = await rows<{ code: string; state: string; n: number }>(
      ds,
      `SELECT l.code, min(r.state) AS state, count(*)::int AS n FROM close_run r JOIN ledger l ON l.id = r.ledger_id
       WHERE r.month_end_id = $1 GROUP BY l.code ORDER BY l.code`,
      [workflowId],
    );
    expect(closes).toEqual(codes.map((code) => ({ code, state: 'closed', n: 1 })));
    expect(await rows(ds, `SELECT state, ledger_count FROM month_end_run WHERE id = $1`, [workflowId])).toEqual([{ state: 'completed', ledger_count: 7 }]);
  });
});
