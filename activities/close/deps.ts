import type { DataSource } from 'typeorm';
import type { Logger } from '../../lib/logger';
import type { BankClient } from '../../integrations/bank';
import type { TaxPlatformClient } from '../../integrations/tax-platform';

/** What the activities are made from: handed in by the worker's composition root, never `new`ed here. */
export interface ActivityDeps {
  dataSource: DataSource;
  taxPlatform: TaxPlatformClient;
  bank: BankClient;
  logger: Logger;
  /** How often a step heartbeats while it works (ms). */
  heartbeatEveryMs?: number;
  /** How notices leave (#18): the time-out of one call, and the mail transport when SMTP is configured. */
  notify?: NotifyDeps;
  /** How long a step runs before its start is recorded apart from its end (ms; record-step.ts). */
  stepStartShownAfterMs?: number;
  /** How long the backup's freeze waits for an open writer of the period before retrying (ms; default 10 s). */
  periodLockWaitMs?: number;
}

/** A mail transport as nodemailer's createTransport makes it (tests hand in one to a loopback SMTP server). */
export interface Mailer {
  sendMail(message: { from: string; to: string; subject: string; text: string; headers?: Record<string, string>; messageId?: string }): Promise<unknown>;
}

export interface NotifyDeps {
  timeoutMs: number;
  mailer?: Mailer;
  from: string;
}

/** What every close step receives. */
export interface StepInput {
  closeId: string;
  ledger: string;
  period: string;
  initiatedBy: string;
  /** Attempts the step made as a local activity before it went on as an ordinary one (workflows/close/step-activities.ts). */
  attemptsBefore?: number;
}

/** A step that ends sooner than this has its start recorded with its end, in one statement. */
export const DEFAULT_STEP_START_SHOWN_AFTER_MS = 1_000;

/** How long a close step waits for an open writer of its period to commit before the attempt gives up. */
export const DEFAULT_PERIOD_LOCK_WAIT_MS = 10_000;

export function periodLockWait(deps: ActivityDeps): number {
  return deps.periodLockWaitMs ?? DEFAULT_PERIOD_LOCK_WAIT_MS;
}
