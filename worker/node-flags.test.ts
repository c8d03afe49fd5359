import fs from 'node:fs';
import path from 'node:path';
import { WORKER_NODE_FLAGS } from './node-flags';

describe("the worker's Node flags (worker/node-flags.ts)", () => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

  it.each([
    ['worker', 'dist/worker/main.js'],
    ['start', 'dist/scripts/start.js'],
  ])('when the product runs a worker through `npm run %s`, then node gets every flag before %s', (script, entry) => {
    expect(scripts[script]).toBe(`node ${WORKER_NODE_FLAGS.join(' ')} ${entry}`);
  });

  it('when the benchmarks start a worker process, then it gets the same flags', () => {
    const stack = fs.readFileSync(path.join(__dirname, '..', 'bench', 'stack.ts'), 'utf8');
    expect(stack).toMatch(/spawn\(process\.execPath, \[\.\.\.WORKER_NODE_FLAGS, path\.join\(projectRoot, 'dist', 'worker', 'main\.js'\)\]/);
  });
});
