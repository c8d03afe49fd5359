import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createActivities, type Activities, type ActivityDeps } from '../../activities';
import { createHttpBankClient } from '../../integrations/bank';
import { createHttpTaxPlatformClient } from '../../integrations/tax-platform';
import { createLogger } from '../../lib/logger';

/** The tests' own logger: quiet unless LOG_LEVEL asks for more. */
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
import { startBankStandIn } from '../../simulators/bank/server';
import { startTaxPlatformStandIn } from '../../simulators/tax-platform/server';
import { createCloseWorker } from '../../worker/create-worker';
import type { CloseSettings } from '../../close';

/** Short timings so a test sees re-checks and retries within seconds (no time-skipping server here). */
export const fastCloseSettings: CloseSettings = { recheckMs: 1_000, retryInitialMs: 200, retryMaxMs: 1_000, heartbeatTimeoutMs: 5_000, stepTimeoutMs: 60_000 };

export const TEST_TAX_KEY = 'test-tax-key';
export const TEST_BANK_KEY = 'test-bank-key';

export interface TestStack {
  client: Client;
  taskQueue: string;
  taxPlatformUrl: string;
  bankUrl: string;
  /** A worker; more can be started (and stopped) to test crashes and several workers. */
  startWorker(overrides?: Partial<ActivityDeps>, wrap?: (activities: Activities) => Activities): Promise<RunningWorker>;
  worker: RunningWorker;
  stop(): Promise<void>;
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/**
 * A real worker on the run's Temporal dev server, on a task queue of its own, with the real
 * stand-ins for the tax platform and the bank, over a test file's own database.
 */
export async function startTestStack(dataSource: DataSource): Promise<TestStack> {
  const address = process.env.TEST_TEMPORAL_ADDRESS!;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const tax = await startTaxPlatformStandIn({ port: 0, apiKey: TEST_TAX_KEY });
  const bank = await startBankStandIn({ port: 0, apiKey: TEST_BANK_KEY });
  const workers = new Set<RunningWorker>();

  const startWorker = async (overrides: Partial<ActivityDeps> = {}, wrap: (a: Activities) => Activities = (a) => a): Promise<RunningWorker> => {
    const nativeConnection = await NativeConnection.connect({ address });
    const deps: ActivityDeps = {
      dataSource,
      logger: logger.child({ test: taskQueue }),
      taxPlatform: createHttpTaxPlatformClient({
        baseUrl: tax.url,
        logger,
        apiKey: TEST_TAX_KEY,
        timeoutMs: 2_000,
        maxAttempts: 2,
        backoffBaseMs: 20,
        backoffMaxMs: 100,
      }),
      bank: createHttpBankClient({ baseUrl: bank.url, logger, apiKey: TEST_BANK_KEY, timeoutMs: 2_000, maxAttempts: 2, backoffBaseMs: 20, backoffMaxMs: 100 }),
      heartbeatEveryMs: 500,
      ...overrides,
    };
    const worker = await createCloseWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: wrap(createActivities(deps)),
      workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE,
      shutdownForceTime: 2_000,
    });
    const running = worker.run();
    const handle: RunningWorker = {
      worker,
      stop: async () => {
        workers.delete(handle);
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
        await nativeConnection.close();
      },
    };
    workers.add(handle);
    return handle;
  };

  const first = await startWorker();
  return {
    client,
    taskQueue,
    taxPlatformUrl: tax.url,
    bankUrl: bank.url,
    startWorker,
    worker: first,
    stop: async () => {
      for (const w of [...workers]) await w.stop();
      await tax.close();
      await bank.close();
      await connection.close();
    },
  };
}
