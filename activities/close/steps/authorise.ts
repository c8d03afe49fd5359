import { Context } from '@temporalio/activity';
import { AppError } from '../../../lib/errors';
import { inBooksTransaction, audit } from '../../../db/session';
import { one } from '../../../db/sql';
import { closeWorkflowId } from '../../../close';
import { assertClosable, periodAlreadyClosed } from '../../../books/close-preconditions';
import { registerCloseRun } from '../../../books/close-runs';
import { hasPermission } from '../../../books/ledgers';
import { closeLedger, rememberCloseLedger } from '../close-ledger';
import { actingUser } from '../../../books/initiators';
import { periodLockWait, type ActivityDeps, type StepInput } from '../deps';
import { recordedStep, type StepOutcome } from '../record-step';

export interface AuthoriseInput extends StepInput {
  monthEndId?: string | null;
}

/**
 * 1. Authorise: the close's preconditions hold (books/close-preconditions.ts, as the API checked them),
 * the close is registered, its initiator may close, and the period becomes `closing`, owned by this
 * close. Every failure here is a business rule (not retryable): the close fails with its code.
 */
export function createAuthorise(deps: ActivityDeps): (input: AuthoriseInput) => Promise<StepOutcome> {
  const authorise = recordedStep<AuthoriseInput>(deps, 'authorise', async (input) => {
    // The initiator's scope too: it may have changed since the API (or the month-end) accepted the close.
    // A schedule's run acts with the scheduler's rights (its scope was checked when it was created).
    if (!(await hasPermission(deps.dataSource, actingUser(input.initiatedBy), 'close:start', input.ledger))) {
      throw new AppError('PERMISSION_DENIED', `User "${input.initiatedBy}" lacks the permission close:start on ledger ${input.ledger}.`, {
        permission: 'close:start',
        user: input.initiatedBy,
      });
    }
    const ledger = await closeLedger(deps, input);
    const ledgerId = await inBooksTransaction(deps.dataSource, { actor: input.initiatedBy, lockWaitMs: periodLockWait(deps) }, async (em) => {
      const period = await one<{ state: string; close_id: string | null }>(
        em,
        `SELECT state, close_id FROM period WHERE ledger_id = $1 AND period = $2 FOR UPDATE`,
        [ledger.id, input.period],
      );
      if (period?.state === 'closed') throw periodAlreadyClosed(ledger.code, input.period);
      if (period?.state !== 'closing' || period.close_id !== input.closeId) {
        await em.query(`UPDATE period SET state = 'closing', close_id = $3 WHERE ledger_id = $1 AND period = $2`, [ledger.id, input.period, input.closeId]);
        await audit(em, { actor: input.initiatedBy, action: 'close.started', ledgerId: ledger.id, period: input.period, target: input.closeId });
      }
      return ledger.id;
    });
    return { details: { ledgerId } };
  });

  // The preconditions are checked before the close is registered: a request that fails them leaves nothing behind.
  return async (input) => {
    const ledger = await assertClosable(deps.dataSource, input.ledger, input.period, new Date());
    rememberCloseLedger(deps, input, ledger);
    const { workflowExecution } = Context.current().info;
    await registerCloseRun(deps.dataSource, {
      closeId: input.closeId,
      workflowId: workflowExecution?.workflowId ?? closeWorkflowId(input.ledger, input.period),
      runId: workflowExecution?.runId ?? null,
      ledgerId: ledger.id,
      period: input.period,
      initiatedBy: input.initiatedBy,
      monthEndId: input.monthEndId ?? null,
    });
    return authorise(input);
  };
}
