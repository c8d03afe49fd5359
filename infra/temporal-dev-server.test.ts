import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_SERVER_DYNAMIC_CONFIG, freePort, startTemporalDevServer } from './temporal-dev-server';

describe('the Temporal dev server the product starts', () => {
  it("runs with the dynamic config that lifts its single shard's transfer-queue poll limit, and stops", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-server-test-'));
    const server = await startTemporalDevServer({
      cliPath: process.env.TEST_TEMPORAL_CLI!,
      port: await freePort(),
      uiPort: 0,
      dbFile: path.join(dir, 'temporal.db'),
    });
    try {
      const args = fs.readFileSync(`/proc/${server.process.pid}/cmdline`, 'utf8').split('\0');
      expect(DEV_SERVER_DYNAMIC_CONFIG['history.transferProcessorMaxPollRPS']).toBeGreaterThanOrEqual(1_000);
      for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) {
        const at = args.indexOf(`${key}=${value}`);
        expect(at).toBeGreaterThan(0);
        expect(args[at - 1]).toBe('--dynamic-config-value');
      }
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(server.process.exitCode !== null || server.process.signalCode !== null).toBe(true);
  });
});
