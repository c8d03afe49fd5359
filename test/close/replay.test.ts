import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from './record-history';

const files = fs.existsSync(HISTORIES_DIR) ? fs.readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')) : [];

describe('recorded close histories', () => {
  it('when the workflow code changes, then every recorded history still replays (running closes are not broken)', async () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const history: unknown = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
      await expect(Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } }, history, file)).resolves.toBeUndefined();
    }
  });
});
