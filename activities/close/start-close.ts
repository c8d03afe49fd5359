import { Context } from '@temporalio/activity';
import { AppError } from '../../lib/errors';
import { hasEnded, isPeriod } from '../../lib/period';
import { inBooksTransaction, audit } from '../../db/session';
import { one } from '../../db/sql';
import { CLOSE_STEPS, closeWorkflowId, type StepStatus } from '../../workflows/close/status';
import { periodLockWait, type ActivityDeps, type StepInput } from './deps';
import { findLedger, hasPermission } from './ledger-lookup';
import { recordedStep, type StepOutcome } from './record-step';

export interface StartCloseInput extends StepInput {
  monthEndId?: string | null;
}

const initialSteps = (): StepStatus[] =>
  CLOSE_STEPS.map((name) => ({ name, state: 'pending', attempts: 0, startedAt: null, endedAt: null, lastError: null }));

/**
 * The `authorise` step: registers the close run, then checks the initiator may close, the period has
 * ended and is not closed, and marks the period as closing. Failures here are business rules:
 * non-retryable, with the code the user reads.
 */
export function createStartClose(deps: ActivityDeps): (input: StartCloseInput) => Promise<StepOutcome> {
  const authorise = recordedStep<StartCloseInput>(deps, 'authorise', async (input) => {
    const ledger = await findLedger(deps.dataSource, input.ledger);
    if (!ledger.active) throw new AppError('LEDGER_INACTIVE', `Ledger ${ledger.code} is not active.`);
    if (!(await hasPermission(deps.dataSource, input.initiatedBy, 'close:start'))) {
      throw new AppError('PERMISSION_DENIED', `User "${input.initiatedBy}" lacks the permission close:start.`, { permission: 'close:start', user: input.initiatedBy });
    }
    await inBooksTransaction(deps.dataSource, { actor: input.initiatedBy, lockWaitMs: periodLockWait(deps) }, async (em) => {
      const period = await one<{ state: string; close_id: string | null }>(em,
        `SELECT state, close_id FROM period WHERE ledger_id = $1 AND period = $2 FOR UPDATE`, [ledger.id, input.period]);
      if (period?.state === 'closed') {
        throw new AppError('PERIOD_ALREADY_CLOSED', `Period ${input.period} of ledger ${ledger.code} is already closed; reopen it first if it must change.`);
      }
      if (period?.state !== 'closing' || period.close_id !== input.closeId) {
        await em.query(`UPDATE period SET state = 'closing', close_id = $3 WHERE ledger_id = $1 AND period = $2`, [ledger.id, input.period, input.closeId]);
        await audit(em, { actor: input.initiatedBy, action: 'close.started', ledgerId: ledger.id, period: input.period, target: input.closeId });
      }
    });
    return { details: { ledgerId: ledger.id } };
  });

  // Checks that need no close run: a request that fails them leaves nothing behind (their codes are
  // not retryable, so the close fails at once; see activities/activity-failure.ts).
  return async (input) => {
    if (!isPeriod(input.period)) throw new AppError('PERIOD_INVALID', `"${input.period}" is not a period (YYYY-MM).`);
    const ledger = await findLedger(deps.dataSource, input.ledger);
    if (!hasEnded(input.period, new Date())) throw new AppError('PERIOD_IN_FUTURE', `Period ${input.period} has not ended yet; close it once the month is over.`);
    if (input.period < ledger.firstPeriod) {
      throw new AppError('PERIOD_NOT_FOUND', `Ledger ${ledger.code} starts in ${ledger.firstPeriod}; it has no period ${input.period}.`);
    }
    await registerCloseRun(deps, input, ledger.id);
    return authorise(input);
  };
}

/** Creates the close_run row (once), retiring any live row a terminated earlier workflow left behind. */
async function registerCloseRun(deps: ActivityDeps, input: StartCloseInput, ledgerId: number): Promise<void> {
  const { workflowExecution } = Context.current().info;
  await deps.dataSource.transaction(async (em) => {
    await em.query(`INSERT INTO period (ledger_id, period) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [ledgerId, input.period]);
    await em.query(
      `UPDATE close_run SET state = 'failed', ended_at = now(), updated_at = now(),
         errors = errors || jsonb_build_array(jsonb_build_object('code', 'CLOSE_SUPERSEDED', 'message', 'A newer close of this period replaced this one.'))
       WHERE ledger_id = $1 AND period = $2 AND state IN ('running', 'blocked') AND id <> $3`,
      [ledgerId, input.period, input.closeId]);
    await em.query(
      `INSERT INTO close_run (id, workflow_id, run_id, ledger_id, period, initiated_by, month_end_id, steps)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET run_id = EXCLUDED.run_id, updated_at = now()`,
      [input.closeId, workflowExecution?.workflowId ?? closeWorkflowId(input.ledger, input.period), workflowExecution?.runId ?? null, ledgerId, input.period, input.initiatedBy,
        input.monthEndId ?? null, JSON.stringify(initialSteps())]);
  });
}
