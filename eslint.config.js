// Lint: TypeScript's recommended rules everywhere; workflow code additionally kept deterministic —
// no Node built-ins, no database, no clock or randomness of its own, no floating promises.
const tseslint = require('typescript-eslint');
const reactHooks = require('eslint-plugin-react-hooks');

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

// The floor plan's import directions (README, What runs where): each layer names the folders it must
// not import from. The workflow layer's own rule below adds determinism and type-only activities.
const layers = {
  lib: ['close', 'notifications', 'integrations', 'db', 'books', 'activities', 'workflows', 'api', 'worker', 'scripts', 'infra', 'cli', 'simulators', 'bench'],
  close: ['notifications', 'db', 'books', 'activities', 'workflows', 'api', 'worker', 'scripts', 'infra', 'cli', 'simulators', 'bench'],
  integrations: ['close', 'notifications', 'db', 'books', 'activities', 'workflows', 'api', 'worker', 'scripts', 'infra', 'cli', 'simulators', 'bench'],
  db: ['notifications', 'books', 'activities', 'workflows', 'api', 'worker', 'scripts', 'cli', 'bench'],
  // Notices as words, bodies and signatures (#18): pure, so every channel is tested without a server.
  notifications: ['integrations', 'db', 'books', 'activities', 'workflows', 'api', 'worker', 'scripts', 'infra', 'cli', 'simulators', 'bench'],
  books: ['activities', 'workflows', 'api', 'worker', 'scripts', 'cli', 'bench'],
  activities: ['api', 'worker', 'scripts', 'cli', 'bench'],
  api: ['activities', 'worker', 'scripts', 'bench'],
};
// A relative import that reaches the folder (`../worker`, `../../api/app`), not a package of that name.
const forbidden = (layer, folders) =>
  folders.map((f) => ({
    regex: `^\\.\\.?/(\\.\\./)*${f}(/|$)`,
    message: `${layer}/ imports nothing from ${f}/ (README: What runs where).`,
  }));
const layerRules = Object.entries(layers).map(([layer, folders]) => ({
  files: [`${layer}/**/*.ts`],
  ignores: [`${layer}/**/*.test.ts`],
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: forbidden(layer, folders) }] },
}));

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.tools/**', 'coverage/**', 'test-artifacts/**', 'bin/**', '*.config.js', 'web/vite.config.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Every promise is awaited, returned or handed on, everywhere: a forgotten one fails silently.
    files: ['**/*.ts'],
    ignores: ['web/**'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  ...layerRules,
  {
    // The dashboard: browser code, type-checked against its own tsconfig (DOM, JSX).
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: { parserOptions: { project: './web/tsconfig.json', tsconfigRootDir: __dirname } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((m) => [
              { name: m, message: 'Workflow code is deterministic: no Node built-ins.' },
              { name: `node:${m}`, message: 'Workflow code is deterministic: no Node built-ins.' },
            ]),
            { name: 'typeorm', message: 'Workflow code never touches the database: do it in an activity.' },
            { name: 'pg', message: 'Workflow code never touches the database: do it in an activity.' },
            { name: '@temporalio/activity', message: 'Activities run on the worker, not in the workflow.' },
          ],
          patterns: [
            { group: ['**/db/*', '**/db/**'], message: 'Workflow code never touches the database: do it in an activity.' },
            { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Workflows import only types from activities.' },
            ...forbidden('workflows', ['books', 'api', 'worker', 'scripts', 'infra', 'cli', 'bench']),
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use workflowInfo() times or activity results, not the clock.' },
        { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow, not Math.random.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() or condition() from @temporalio/workflow.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
