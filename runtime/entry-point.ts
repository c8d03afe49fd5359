import { loadConfig, type Config } from '../lib/config';
import { createLogger, type Logger } from '../lib/logger';

/**
 * How every long-running entry point begins and fails: the configuration is validated (a bad
 * setting stops it with exit code 2, naming the variable, no stack trace), the logger is built from
 * it, and a failure to start is logged with its code and ends the process with exit code 1.
 */
export function runEntryPoint(what: string, main: (config: Config, logger: Logger) => Promise<void>): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.LOG_LEVEL);
  main(config, logger).catch((err: Error) => {
    logger.fatal({ err: err.message, code: (err as { code?: string }).code }, `${what} failed`);
    process.exit(1);
  });
}
