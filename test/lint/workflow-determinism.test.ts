import path from 'node:path';
import { ESLint, type Linter } from 'eslint';

const root = path.join(__dirname, '..', '..');

async function lintWorkflow(code: string): Promise<string[]> {
  // The type-aware rule needs files in the TypeScript program; the import and clock rules do not.
  // The project's own config, loaded with require (ESLint's dynamic import does not run inside Jest).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const projectConfig = require('../../eslint.config.js') as Linter.Config[];
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    baseConfig: [
      ...projectConfig,
      {
        files: ['workflows/**/*.ts'],
        languageOptions: { parserOptions: { project: null, projectService: false } },
        rules: { '@typescript-eslint/no-floating-promises': 'off' },
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, 'workflows', 'close', 'example.ts') });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('the lint rule that keeps workflow code deterministic', () => {
  it.each([
    ["import fs from 'node:fs';\nexport const x = fs;", '@typescript-eslint/no-restricted-imports'],
    ["import { DataSource } from 'typeorm';\nexport const x = DataSource;", '@typescript-eslint/no-restricted-imports'],
    ["import { rows } from '../../db/sql';\nexport const x = rows;", '@typescript-eslint/no-restricted-imports'],
    ["import { createActivities } from '../../activities';\nexport const x = createActivities;", '@typescript-eslint/no-restricted-imports'],
    ['export const now = Date.now();', 'no-restricted-properties'],
    ['export const r = Math.random();', 'no-restricted-properties'],
    ['setTimeout(() => undefined, 10);', 'no-restricted-globals'],
  ])('when a workflow file contains %p, then lint reports %s', async (code, rule) => {
    expect(await lintWorkflow(code)).toContain(rule);
  });

  it('when a workflow imports only types from activities, then lint is satisfied', async () => {
    expect(await lintWorkflow("import type { CloseActivities } from '../../activities/close';\nexport type A = CloseActivities;")).toEqual([]);
  });
});
