import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Client } from 'pg';
import { projectRoot } from '../lib/config';
import { createDataSource, migrateToLatest } from '../db/data-source';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';
import { findTemporalCli } from '../infra/temporal-cli';
import { freePort, startTemporalDevServer } from '../infra/temporal-dev-server';

/**
 * Once per `npm test`: a real PostgreSQL (DATABASE_URL, or embedded) holding a migrated template
 * database that every test file copies; a real Temporal dev server on a free port; and the
 * workflow bundle, built once so each test file's worker starts in milliseconds.
 */
export default async function globalSetup(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'close-test-'));
  const started: Array<() => Promise<void>> = [];
  const say = (m: string) => process.stderr.write(`[test setup] ${m}\n`);

  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    // A data folder per run, so two test runs on one machine do not collide.
    const dataDir = path.join(projectRoot, '.data', `test-postgres-${process.pid}`);
    const db = await startEmbeddedPostgres(dataDir, await freePort());
    started.push(async () => {
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    adminUrl = db.url;
    say('PostgreSQL: embedded');
  } else say('PostgreSQL: DATABASE_URL');

  const template = `close_test_tpl_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const ds = createDataSource(withDatabase(adminUrl, template), 2);
  await ds.initialize();
  await migrateToLatest(ds);
  await ds.destroy();

  const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH, say);
  say(`Temporal CLI: ${cli.path} (${cli.source})`);
  const server = await startTemporalDevServer({ cliPath: cli.path, port: await freePort(), uiPort: 0, dbFile: path.join(scratch, 'temporal.db') });
  started.push(server.stop);

  // Tests that run the product's binaries (closectl, npm start) run the compiled tree: built once here,
  // as `npm run build` does. Type errors elsewhere still emit; a missing output is what fails.
  try {
    execFileSync(process.execPath, [path.join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: projectRoot,
      stdio: 'pipe',
    });
  } catch (err) {
    if (!fs.existsSync(path.join(projectRoot, 'dist/scripts/start.js'))) throw err;
    say('npm run build reported errors; the tests run what it emitted');
  }
  buildDashboardWhenStale(say);

  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietBundlerLogger });
  const bundlePath = path.join(scratch, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);

  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_PG_TEMPLATE = template;
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_TEMPORAL_CLI = cli.path;
  (globalThis as Record<string, unknown>).__closeTestTeardown = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  };
}

/**
 * The browser tests read the dashboard as `npm run build` leaves it in dist/web: built again here
 * when a file under web/ (or the code labels it builds in) is newer than the last build.
 */
function buildDashboardWhenStale(say: (m: string) => void): void {
  const built = path.join(projectRoot, 'dist/web/index.html');
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const full = path.join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
    }, 0);
  const sources = Math.max(newest(path.join(projectRoot, 'web')), fs.statSync(path.join(projectRoot, 'i18n/labels.ts')).mtimeMs);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  say('dashboard: building web/ into dist/web');
  execFileSync(process.execPath, [path.join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: projectRoot,
    stdio: 'pipe',
  });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const quietBundlerLogger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (m: string) => process.stderr.write(`[bundler] ${m}\n`),
  error: (m: string) => process.stderr.write(`[bundler] ${m}\n`),
  log: () => {},
};
