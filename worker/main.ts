import { openRuntime, startWorker } from '../runtime/compose';
import { runEntryPoint } from '../runtime/entry-point';
import { installTemporalLogging } from './runtime-logger';

/**
 * `npm run worker`: one worker process. Start several side by side (on one machine or many) to
 * share the closes; Temporal hands each step to one of them and retries it elsewhere if one dies.
 */
runEntryPoint('the worker', async (config, logger) => {
  installTemporalLogging(logger);
  const rt = await openRuntime(config, logger);
  const started = await startWorker(rt);
  const stop = async () => {
    await started.stop();
    await rt.db.stop();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await started.done;
  await rt.db.stop();
});
