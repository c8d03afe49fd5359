import type { DataSource } from 'typeorm';
import type { Logger } from '../../lib/logger';
import type { BankClient } from '../transfers/bank-client';
import type { TaxPlatformClient } from '../invoices/tax-platform-client';

/** What the activities are made from: handed in by the worker's composition root, never `new`ed here. */
export interface ActivityDeps {
  dataSource: DataSource;
  taxPlatform: TaxPlatformClient;
  bank: BankClient;
  logger: Logger;
  /** How often a step heartbeats while it works (ms). */
  heartbeatEveryMs?: number;
}

/** What every close step receives. */
export interface StepInput {
  closeId: string;
  ledger: string;
  period: string;
  initiatedBy: string;
}
