import fs from 'node:fs';
import path from 'node:path';
import { createDemoUsers } from '../api/services/user-service';
import { loadConfig, type Config } from '../lib/config';
import { createLogger, type Logger } from '../lib/logger';
import { findTemporalCli } from '../infra/temporal-cli';
import { startTemporalDevServer } from '../infra/temporal-dev-server';
import { startStandInProcess } from '../infra/stand-in-process';
import { commandLineOf, forgetChild, isAlive, recordChild, stopOrphan } from '../infra/orphans';
import { installTemporalLogging } from '../worker/runtime-logger';
import { externalUrls } from '../worker/run-worker';
import { openRuntime, startApi, startWorker } from '../runtime/compose';
import { periodOf, previousPeriod } from '../lib/period';
import { loadDemo, restoreDemoExternalState } from './demo';

type Stop = () => Promise<void>;

/**
 * `npm start`: the whole product on one machine. What is not configured is started here —
 * PostgreSQL (embedded), the Temporal dev server with its Web UI, the tax platform and bank
 * stand-ins — then the worker and the API. Ctrl-C stops everything it started, in reverse order.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  installTemporalLogging(logger);
  const stops: Stop[] = [];
  // Each part gets a bounded time to stop, so one that hangs cannot keep the rest running.
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      const timeout = new Promise<void>((resolve) =>
        setTimeout(() => {
          logger.warn('a part did not stop within 20 s; going on');
          resolve();
        }, 20_000).unref(),
      );
      await Promise.race([stop().catch((err: Error) => logger.warn({ err: err.message }, 'while stopping')), timeout]);
    }
  };
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping everything npm start started');
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  try {
    claimDataDir(config.DATA_DIR);
    stops.push(async () => forgetChild(config.DATA_DIR, 'start'));
    // Servers an earlier npm start started and left running when it was killed are stopped first:
    // reusing them would leave them running for ever, since nothing here would own them.
    await stopOrphan(config.DATA_DIR, 'postgres', { signal: 'SIGINT', graceMs: 30_000, log: (m) => logger.warn(m) });
    const temporal = config.TEMPORAL_ADDRESS ? null : await temporalDevServer(config, logger, stops);
    const urls = await externalSystems(config, logger, stops);

    const rt = await openRuntime(config, logger, { temporalAddress: temporal?.address, urls });
    if (rt.db.started) recordChild(config.DATA_DIR, 'postgres', rt.db.started.pid, [rt.db.started.dataDir]);
    stops.push(async () => {
      await rt.db.stop();
      forgetChild(config.DATA_DIR, 'postgres');
    });
    const demo = config.DEMO_DATA ? await loadDemo(rt.db.dataSource, config, logger) : null;
    const tokens = config.DEMO_DATA ? await createDemoUsers(rt.db.dataSource) : [];
    if (demo) await restoreDemoExternalState(config, urls, logger);

    const worker = await startWorker(rt);
    stops.push(worker.stop);
    const api = await startApi(rt);
    stops.push(api.stop);
    printWelcome(config, {
      webUi: temporal?.uiUrl ?? null,
      database: rt.db.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL',
      urls,
      tokens,
      demoLedger: demo?.blockedLedger ?? undefined,
    });
  } catch (err) {
    logger.fatal({ err: (err as Error).message, code: (err as { code?: string }).code }, 'npm start failed');
    await stopAll();
    process.exit(1);
  }
}

/** The Temporal dev server on DATA_DIR/temporal.db (its Web UI on TEMPORAL_UI_PORT), replacing one a killed npm start left. */
async function temporalDevServer(config: Config, logger: Logger, stops: Stop[]): Promise<{ address: string; uiUrl: string | null }> {
  const cli = findTemporalCli(config.TEMPORAL_CLI_PATH, (m) => logger.info(m));
  logger.info({ path: cli.path, source: cli.source }, 'Temporal CLI found');
  const dbFile = path.join(config.DATA_DIR, 'temporal.db');
  await stopOrphan(config.DATA_DIR, 'temporal', { log: (m) => logger.warn(m) });
  const server = await startTemporalDevServer({
    cliPath: cli.path,
    port: config.TEMPORAL_DEV_PORT,
    uiPort: config.TEMPORAL_UI_PORT,
    dbFile,
    log: (line) => logger.debug({ temporal: line }),
  });
  recordChild(config.DATA_DIR, 'temporal', server.process.pid, [cli.path, 'start-dev', dbFile]);
  stops.push(async () => {
    await server.stop();
    forgetChild(config.DATA_DIR, 'temporal');
  });
  return { address: server.address, uiUrl: server.uiUrl };
}

/** The tax platform and bank: the configured ones, or stand-ins started here as their own processes. */
async function externalSystems(config: Config, logger: Logger, stops: Stop[]): Promise<{ taxPlatform: string; bank: string }> {
  const urls = externalUrls(config);
  for (const kind of ['tax', 'bank'] as const) {
    if (kind === 'tax' ? config.TAX_PLATFORM_URL : config.BANK_URL) continue;
    await stopOrphan(config.DATA_DIR, kind, { log: (m) => logger.warn(m) });
    const standIn = await startStandInProcess(kind, kind === 'tax' ? config.TAX_STANDIN_PORT : config.BANK_STANDIN_PORT, (l) =>
      logger.debug({ standIn: kind, l }),
    );
    recordChild(config.DATA_DIR, kind, standIn.pid, standIn.signature);
    stops.push(async () => {
      await standIn.stop();
      forgetChild(config.DATA_DIR, kind);
    });
    if (kind === 'tax') urls.taxPlatform = standIn.url;
    else urls.bank = standIn.url;
  }
  return urls;
}

/**
 * One `npm start` per DATA_DIR: a second one would stop the first one's servers as orphans. The
 * claim is this process's pid, checked by its command line as the servers' pid files are.
 */
function claimDataDir(dataDir: string): void {
  const file = path.join(dataDir, 'run', 'start.json');
  try {
    const earlier = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number; signature: string[] };
    const cmd = commandLineOf(earlier.pid);
    if (earlier.pid !== process.pid && isAlive(earlier.pid) && cmd && earlier.signature.every((part) => cmd.includes(part))) {
      throw new Error(`Another npm start (pid ${earlier.pid}) is running with DATA_DIR ${dataDir}; stop it first, or give this one another DATA_DIR.`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
  }
  recordChild(dataDir, 'start', process.pid, [process.argv[1] ?? 'start']);
}

function printWelcome(
  config: Config,
  info: {
    webUi: string | null;
    database: string;
    urls: { taxPlatform: string; bank: string };
    tokens: Array<{ name: string; role: string; token: string; password: string }>;
    demoLedger?: string;
  },
): void {
  const api = `http://${config.HOST}:${config.PORT}`;
  const manager = info.tokens.find((t) => t.role === 'finance_manager');
  const lines = [
    '',
    'Close orchestrator is running.',
    `  Dashboard and API  ${api}/            (API docs: ${api}/docs)`,
    `  Temporal Web UI    ${info.webUi ?? '(external Temporal: see its own UI)'}`,
    `  Books              ${info.database}`,
    `  Tax platform       ${info.urls.taxPlatform}${config.TAX_PLATFORM_URL ? '' : '  (stand-in)'}`,
    `  Bank               ${info.urls.bank}${config.BANK_URL ? '' : '  (stand-in)'}`,
    ...(info.tokens.length > 0
      ? [
          '',
          'Demo users: a token for scripts and a first password for the dashboard each (shown once; kept hashed):',
          ...info.tokens.map((t) => `  ${t.role.padEnd(16)} ${t.name.padEnd(24)} ${t.token}  ${t.password}`),
        ]
      : []),
    ...(manager && info.demoLedger
      ? [
          '',
          'Start a close:',
          `  curl -s -X POST ${api}/api/v1/closes -H 'Authorization: Bearer ${manager.token}' -H 'content-type: application/json' -d '{"ledger":"${info.demoLedger}","period":"${previousMonth()}"}'`,
        ]
      : []),
    '',
    'Ctrl-C stops everything started here; data stays in ' + config.DATA_DIR,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
}

function previousMonth(): string {
  return previousPeriod(periodOf(new Date()));
}

main().catch((err: Error) => {
  // A bad setting (CONFIG_INVALID) says which one; no stack trace for a person to wade through.
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
});
