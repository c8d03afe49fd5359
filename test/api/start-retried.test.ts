import { randomUUID } from 'node:crypto';
import { createCloseService } from '../../api/services/close-service';
import { closeWorkflowId } from '../../close';
import { rows } from '../../db/sql';
import { closeWorkflow } from '../../workflows/close/close-workflow';
import { createLedger } from '../fixtures/books';
import { fastCloseSettings } from '../helpers/temporal';
import { startApiHarness, type ApiHarness } from './harness';

/**
 * Found by the chaos soak: a start whose first attempt started the workflow but failed before
 * registering it, retried while no worker answers the status query, registered a close id the
 * workflow does not carry — a row running for ever, or marked CLOSE_SUPERSEDED by the workflow's own.
 */
describe('starting a close again while no worker answers', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('given a close workflow started but never registered, when the start is retried with no worker up, then the workflow’s own close id is registered and answered, not a new one', async () => {
    await createLedger(h.ds, { code: 'RETRY-1', firstPeriod: '2026-09', openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    // A task queue no worker polls: the status query cannot be answered, as with every worker down.
    const taskQueue = `no-worker-${randomUUID()}`;
    const closes = createCloseService({ dataSource: h.ds, temporalClient: h.stack.client, taskQueue, closeSettings: fastCloseSettings });
    const first = randomUUID();
    const handle = await h.stack.client.workflow.start(closeWorkflow, {
      taskQueue,
      workflowId: closeWorkflowId('RETRY-1', '2026-09'),
      args: [{ closeId: first, ledger: 'RETRY-1', period: '2026-09', initiatedBy: 'fm', settings: fastCloseSettings }],
    });
    try {
      const user = { id: 0, name: 'fm2', role: 'finance_manager', permissions: new Set(['close:start']), scopeLedgerId: null, scope: null };
      const answer = await closes.start(user, { ledger: 'RETRY-1', period: '2026-09' });
      expect({ created: answer.created, id: answer.close.id, initiatedBy: answer.close.initiatedBy }).toEqual({ created: false, id: first, initiatedBy: 'fm' });
      const registered = await rows<{ id: string; state: string }>(
        h.ds,
        `SELECT c.id, c.state FROM close_run c JOIN ledger l ON l.id = c.ledger_id WHERE l.code = 'RETRY-1'`,
      );
      expect(registered).toEqual([{ id: first, state: 'running' }]);
    } finally {
      await handle.terminate('test over');
    }
  });
});
