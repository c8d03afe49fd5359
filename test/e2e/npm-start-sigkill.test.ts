import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { commandLineOf, isAlive } from '../../infra/orphans';
import { freePort } from '../../infra/temporal-dev-server';

/**
 * `npm start` killed outright (SIGKILL: the out-of-memory killer, a careless operator) cannot stop
 * its servers. The next `npm start` with the same DATA_DIR must come up anyway: it stops what the
 * first one left (pid files, checked by command line) and the stand-ins leave with their parent.
 */
const root = path.resolve(__dirname, '../..');
const startScript = path.join(root, 'dist/scripts/start.js');

describe('npm start after an npm start killed with SIGKILL', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    // Under .data like the test run's own PostgreSQL: a folder the postgres user may enter.
    dataDir = path.join(root, '.data', `test-sigkill-${process.pid}`);
    fs.mkdirSync(dataDir, { recursive: true });
    port = await freePort();
    const { DATABASE_URL: _db, TEMPORAL_ADDRESS: _t, TAX_PLATFORM_URL: _tax, BANK_URL: _bank, ...inherited } = process.env;
    env = {
      ...inherited,
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: '0',
      TAX_STANDIN_PORT: String(await freePort()),
      BANK_STANDIN_PORT: String(await freePort()),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      TEMPORAL_CLI_PATH: process.env.TEST_TEMPORAL_CLI,
    };
  });

  afterAll(async () => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
    for (const pid of leftovers()) process.kill(pid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function start(): ChildProcess {
    const child = spawn(process.execPath, [startScript], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    (child as ChildProcess & { output: () => string }).output = () => output;
    started.push(child);
    return child;
  }

  async function ready(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}: ${(child as ChildProcess & { output: () => string }).output()}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`npm start not ready within 90 s: ${(child as ChildProcess & { output: () => string }).output()}`);
  }

  /** Processes started for this DATA_DIR or its ports: PostgreSQL, the Temporal dev server, the stand-ins. */
  function leftovers(): number[] {
    const marks = [dataDir, `--port ${env.TAX_STANDIN_PORT}`, `--port ${env.BANK_STANDIN_PORT}`];
    return fs
      .readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .filter((pid) => pid !== process.pid && isAlive(pid))
      .filter((pid) => {
        const cmd = commandLineOf(pid);
        return cmd !== null && marks.some((m) => cmd.includes(m));
      });
  }

  it('when npm start is SIGKILLed, then a second npm start stops what the first left, comes up, and Ctrl-C leaves nothing behind', async () => {
    const first = start();
    await ready(first);
    const servers = leftovers();
    expect(servers.length).toBeGreaterThanOrEqual(3);
    first.kill('SIGKILL');
    await new Promise<void>((resolve) => first.once('exit', () => resolve()));
    // The stand-ins leave with their parent; PostgreSQL and the Temporal dev server cannot, and stay.
    const standIns = (pid: number) => /dist\/simulators\/main\.js/.test(commandLineOf(pid) ?? '');
    const deadline = Date.now() + 10_000;
    while (leftovers().some(standIns) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(leftovers().filter(standIns)).toEqual([]);
    expect(leftovers().length).toBeGreaterThanOrEqual(2);

    const second = start();
    await ready(second);
    second.kill('SIGINT');
    await new Promise<void>((resolve) => second.once('exit', () => resolve()));
    expect(second.exitCode).toBe(0);
    const until = Date.now() + 20_000;
    while (leftovers().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect(leftovers().map((pid) => commandLineOf(pid))).toEqual([]);
  });
});
