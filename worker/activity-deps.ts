import type { DataSource } from 'typeorm';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import type { ActivityDeps } from '../activities';
import { createHttpBankClient } from '../integrations/bank';
import { createHttpTaxPlatformClient } from '../integrations/tax-platform';

/** The activities' dependencies from config: the books' data source and the two external systems. */
export function activityDepsFromConfig(config: Config, dataSource: DataSource, logger: Logger, urls: { taxPlatform: string; bank: string }): ActivityDeps {
  return {
    dataSource,
    logger,
    taxPlatform: createHttpTaxPlatformClient({ baseUrl: urls.taxPlatform, logger, apiKey: config.TAX_PLATFORM_API_KEY, timeoutMs: config.EXTERNAL_TIMEOUT_MS }),
    bank: createHttpBankClient({ baseUrl: urls.bank, logger, apiKey: config.BANK_API_KEY, timeoutMs: config.EXTERNAL_TIMEOUT_MS }),
  };
}
