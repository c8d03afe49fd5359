import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities';
import { withRunAhead } from '../activities/close';
import { activityFailureInterceptor } from './activity-failure-interceptor';

export interface CloseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** A prebuilt bundle (tests build one for the whole run); otherwise workflows/ is bundled at start. */
  workflowBundlePath?: string;
  identity?: string;
  maxConcurrentActivityTaskExecutions?: number;
  /** After this long, shutdown stops waiting for activities that ignore cancellation (a crash, as far as Temporal can tell). */
  shutdownForceTime?: number;
}

/** A worker that runs closes and month-ends: workflows from workflows/, activities as handed in. */
export async function createCloseWorker(opts: CloseWorkerOptions): Promise<Worker> {
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = opts.workflowBundlePath
    ? { workflowBundle: { codePath: opts.workflowBundlePath } }
    : { workflowsPath: require.resolve('../workflows') };
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: withRunAhead(opts.activities),
    interceptors: { activity: [activityFailureInterceptor] },
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.shutdownForceTime ? { shutdownForceTime: opts.shutdownForceTime } : {}),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 50,
    ...workflows,
  });
}
