import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=1, keeps a finished workflow's event history under test/histories/, where
 * the replay test checks that today's workflow code still replays it: a change that would break
 * running closes fails there. Record only from a tagged release of the workflow code.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), historyToJSON(history));
}
