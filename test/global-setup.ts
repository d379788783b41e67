/**
 * Compiles src/ to dist/ once before the suite: tests that need a real separate process (SIGKILL,
 * resume, a terminal in tmux) run `bin/cutover` or import dist/, so they must never see a stale
 * build, even when vitest is run on its own instead of through `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export default function build(): void {
  const root = resolve(import.meta.dirname, '..');
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
}
