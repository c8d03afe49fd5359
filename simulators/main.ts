import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { startBankStandIn } from './bank/server';
import type { RunningStandIn } from './common/json-app';
import { startTaxPlatformStandIn } from './tax-platform/server';
import { exitWithParent } from '../infra/orphans';

const USAGE = 'usage: node dist/simulators/main.js tax|bank [--port N] [--host HOST] [--seed N]';

export interface StandInArgs {
  kind: 'tax' | 'bank';
  port?: number;
  host?: string;
  seed?: number;
}

export function parseStandInArgs(argv: string[]): StandInArgs {
  const [kind, ...rest] = argv;
  if (kind !== 'tax' && kind !== 'bank') throw new Error(`Name the stand-in to start. ${USAGE}`);
  const args: StandInArgs = { kind };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value. ${USAGE}`);
    if (flag === '--host') args.host = value;
    else if (flag === '--port' || flag === '--seed') {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 0 || (flag === '--port' && number > 65535))
        throw new Error(`${flag} takes a whole number, not "${value}". ${USAGE}`);
      if (flag === '--port') args.port = number;
      else args.seed = number;
    } else throw new Error(`Unknown option ${flag}. ${USAGE}`);
  }
  return args;
}

/** Starts one stand-in as its own process; a parent waits for the `READY <url>` line on stdout. */
async function main(): Promise<void> {
  const args = parseStandInArgs(process.argv.slice(2));
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const standIn: RunningStandIn =
    args.kind === 'tax'
      ? await startTaxPlatformStandIn({
          port: args.port ?? config.TAX_STANDIN_PORT,
          host: args.host,
          apiKey: config.TAX_PLATFORM_API_KEY,
          seed: args.seed,
          logger,
        })
      : await startBankStandIn({ port: args.port ?? config.BANK_STANDIN_PORT, host: args.host, apiKey: config.BANK_API_KEY, seed: args.seed, logger });
  logger.info({ standIn: args.kind, url: standIn.url }, 'stand-in listening');
  process.stdout.write(`READY ${standIn.url}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ standIn: args.kind, signal }, 'stand-in stopping');
    standIn.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stand-in did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const parent = Number(process.env.STANDIN_PARENT_PID);
  if (Number.isInteger(parent) && parent > 0) exitWithParent(parent, () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`stand-in failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
