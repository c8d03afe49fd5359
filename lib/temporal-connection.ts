import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from './config';

export interface TemporalTarget {
  connectionOptions: NativeConnectionOptions;
  namespace: string;
}

/**
 * Where Temporal is. With TEMPORAL_ADDRESS set, Temporal's own conventions apply (envconfig: address,
 * namespace, TLS, API key, profiles), so one build runs against a self-hosted cluster or Temporal
 * Cloud. Without it, the dev server `npm start` runs on this machine.
 */
export function temporalTarget(config: Config, devAddress?: string): TemporalTarget {
  if (config.TEMPORAL_ADDRESS) {
    const loaded = loadClientConnectConfig();
    return {
      connectionOptions: { ...loaded.connectionOptions, address: config.TEMPORAL_ADDRESS },
      namespace: loaded.namespace ?? config.TEMPORAL_NAMESPACE,
    };
  }
  return { connectionOptions: { address: devAddress ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}` }, namespace: config.TEMPORAL_NAMESPACE };
}
