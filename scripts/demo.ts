import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { seedDemo } from '../db/seed/demo';
import { standInAdmin } from '../simulators/common/admin-client';

interface DemoExternalState {
  blockedLedger: string | null;
  bankTransfers: unknown[];
  platformInvoices: unknown[];
}

const stateFile = (config: Config) => path.join(config.DATA_DIR, 'demo-external.json');

/**
 * On an empty database, the demo federation; its bank and tax-platform side is kept in a file so the
 * in-memory stand-ins can be given it again at every start.
 */
export async function loadDemo(ds: DataSource, config: Config, logger: Logger): Promise<DemoExternalState | null> {
  const written = await seedDemo(ds);
  if (written) {
    const state: DemoExternalState = {
      blockedLedger: written.ledgers.find((l) => l.hasBlockers)?.code ?? null,
      bankTransfers: written.bank.transfers,
      platformInvoices: written.taxPlatform.invoices,
    };
    fs.mkdirSync(config.DATA_DIR, { recursive: true });
    fs.writeFileSync(stateFile(config), JSON.stringify(state));
    logger.info({ ledgers: written.ledgers.map((l) => l.code), period: written.period }, 'demo federation written');
  }
  return fs.existsSync(stateFile(config)) ? (JSON.parse(fs.readFileSync(stateFile(config), 'utf8')) as DemoExternalState) : null;
}

/** Tells the stand-ins (never a real bank or platform) what the demo's blockers need them to say. */
export async function restoreDemoExternalState(config: Config, urls: { taxPlatform: string; bank: string }, logger: Logger): Promise<void> {
  if (!fs.existsSync(stateFile(config))) return;
  const state = JSON.parse(fs.readFileSync(stateFile(config), 'utf8')) as DemoExternalState;
  if (!config.BANK_URL && state.bankTransfers.length > 0) await standInAdmin(urls.bank).request('PUT', '/transfers', { transfers: state.bankTransfers });
  if (!config.TAX_PLATFORM_URL && state.platformInvoices.length > 0)
    await standInAdmin(urls.taxPlatform).request('POST', '/invoices', { invoices: state.platformInvoices });
  logger.info({ transfers: state.bankTransfers.length, invoices: state.platformInvoices.length }, 'demo state given to the stand-ins');
}
