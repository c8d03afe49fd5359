import type { Config } from './config';
import { defaultCloseSettings, type CloseSettings } from '../close';

/** The timings a close is started with, from the service's configuration. */
export function closeSettingsFromConfig(config: Config): CloseSettings {
  return {
    ...defaultCloseSettings,
    recheckMs: config.CLOSE_RECHECK_MS,
    retryInitialMs: config.CLOSE_RETRY_INITIAL_MS,
    retryMaxMs: config.CLOSE_RETRY_MAX_MS,
  };
}
