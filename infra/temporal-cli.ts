import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../lib/config';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const cachedBinary = path.join(projectRoot, '.tools', 'bin', 'temporal');

export interface FoundCli {
  path: string;
  /** Where it came from, said at start so nobody wonders which server runs. */
  source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go install';
}

function onPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  const p = found.stdout.trim();
  return found.status === 0 && p ? p : undefined;
}

/**
 * Finds the Temporal CLI (whose `server start-dev` is the dev server), in this order:
 * TEMPORAL_CLI_PATH, `temporal` on PATH, the cached .tools/bin/temporal, then `go install` into that
 * cache when Go is present (about five minutes the first time). Otherwise throws saying what to install.
 */
export function findTemporalCli(explicit?: string, log: (msg: string) => void = () => {}): FoundCli {
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} does not exist (CONFIG_INVALID).`);
    return { path: explicit, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath();
  if (fromPath) return { path: fromPath, source: 'PATH' };
  if (fs.existsSync(cachedBinary)) return { path: cachedBinary, source: 'cache' };
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status === 0) {
    log(`Building the Temporal CLI with Go (${TEMPORAL_CLI_MODULE}); the first build takes about five minutes.`);
    execFileSync('go', ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: path.dirname(cachedBinary), CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return { path: cachedBinary, source: 'go install' };
  }
  throw new Error(
    'No Temporal server to start: install the Temporal CLI (`go install ' +
      TEMPORAL_CLI_MODULE +
      '`, or a release binary on PATH), set TEMPORAL_CLI_PATH to it, or set TEMPORAL_ADDRESS to an existing Temporal server.',
  );
}
