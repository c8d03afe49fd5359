import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';

export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=1, keeps a finished workflow's event history under test/histories/, where
 * the replay test checks that today's workflow code still replays it: a change that would break
 * running closes fails there. Record only from a released version of the workflow code.
 * (The Temporal CLI writes the history JSON; the SDK's protobuf JSON writer fails inside Jest's module registry.)
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const { runId } = await handle.describe();
  const json = execFileSync(
    process.env.TEST_TEMPORAL_CLI!,
    ['workflow', 'show', '--address', process.env.TEST_TEMPORAL_ADDRESS!, '--workflow-id', handle.workflowId, '--run-id', runId, '--output', 'json'],
    { encoding: 'utf8' },
  );
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
}
