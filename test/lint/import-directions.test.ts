import path from 'node:path';
import { ESLint, type Linter } from 'eslint';

const root = path.join(__dirname, '..', '..');

/** Lints `code` as if it were the file at `file`, with the project's own rules (type-aware ones off: the file is not in the program). */
async function lint(file: string, code: string): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const projectConfig = require('../../eslint.config.js') as Linter.Config[];
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    baseConfig: [
      ...projectConfig,
      {
        files: ['**/*.ts'],
        languageOptions: { parserOptions: { project: null, projectService: false } },
        rules: { '@typescript-eslint/no-floating-promises': 'off' },
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe("the floor plan's import directions, enforced by lint", () => {
  it.each([
    ['db/example.ts', "import { createActivities } from '../activities';"],
    ['db/seed/example.ts', "import type { CloseView } from '../../api/services/close-view';"],
    ['db/example.ts', "import { closeWorkflow } from '../workflows/close/close-workflow';"],
    ['lib/example.ts', "import { findLedger } from '../books/ledgers';"],
    ['lib/example.ts', "import { CLOSE_STEPS } from '../close';"],
    ['close/example.ts', "import { rows } from '../db/sql';"],
    ['books/example.ts', "import { createCloseActivities } from '../activities/close';"],
    ['books/checks/example.ts', "import { createApp } from '../../api/app';"],
    ['api/services/example.ts', "import { createCloseActivities } from '../../activities/close';"],
    ['api/example.ts', "import type { StepOutcome } from '../activities/close/record-step';"],
    ['workflows/close/example.ts', "import { findLedger } from '../../books/ledgers';"],
    ['workflows/close/example.ts', "import { createCloseActivities } from '../../activities/close';"],
    ['activities/close/example.ts', "import { createApp } from '../../api/app';"],
    ['notifications/example.ts', "import { rows } from '../db/sql';"],
    ['notifications/example.ts', "import { createActivities } from '../activities';"],
    ['lib/example.ts', "import { renderNotice } from '../notifications/notice';"],
  ])('when %s does %p, then lint refuses it', async (file, code) => {
    expect((await lint(file, `${code}\nexport const x = 1;`)).join('\n')).toMatch(/no-restricted-imports/);
  });

  it.each([
    ['api/services/example.ts', "import { cancelSignal } from '../../workflows/close/messages';"],
    ['api/services/example.ts', "import { findLedger } from '../../books/ledgers';"],
    ['workflows/close/example.ts', "import type { CloseActivities } from '../../activities/close';"],
    ['activities/close/example.ts', "import { registerCloseRun } from '../../books/close-runs';"],
    ['books/example.ts', "import { CLOSE_STEPS } from '../close';"],
    ['lib/example.ts', "import type { NativeConnectionOptions } from '@temporalio/worker';"],
    ['notifications/example.ts', "import { blockerMessage } from '../i18n/messages';"],
    ['activities/notifications/example.ts', "import { renderNotice } from '../../notifications/notice';"],
    ['workflows/notifications/example.ts', "import type { NotificationSettings } from '../../notifications/settings';"],
  ])('when %s does %p, then lint is satisfied', async (file, code) => {
    expect((await lint(file, `${code}\nexport const x = 1;`)).filter((m) => !m.startsWith('@typescript-eslint/no-unused-vars'))).toEqual([]);
  });
});
