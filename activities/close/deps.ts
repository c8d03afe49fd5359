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
  /** How long the backup's freeze waits for an open writer of the period before retrying (ms; default 10 s). */
  periodLockWaitMs?: number;
}

/** What every close step receives. */
export interface StepInput {
  closeId: string;
  ledger: string;
  period: string;
  initiatedBy: string;
}

/** How long a close step waits for an open writer of its period to commit before the attempt gives up. */
export const DEFAULT_PERIOD_LOCK_WAIT_MS = 10_000;

export function periodLockWait(deps: ActivityDeps): number {
  return deps.periodLockWaitMs ?? DEFAULT_PERIOD_LOCK_WAIT_MS;
}
