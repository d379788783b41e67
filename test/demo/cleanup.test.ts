// The demo's last-resort cleanup, in a process of its own: a crash (an uncaught error) runs the
// synchronous undos and exits 70 with one line and no stack trace; a plain exit runs them too.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/sshd.js';

// The compiled module, as bin/cutover runs it (`npx tsc -p .` builds it).
const MODULE = pathToFileURL(join(process.cwd(), 'dist', 'demo', 'cleanup.js')).href;

describe('demo cleanup on the way out', () => {
  const dir = tempDir('cutover-demo-cleanup-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (name: string, ending: string) => {
    const marker = join(dir, name);
    const script = [
      `import { Cleanup } from ${JSON.stringify(MODULE)};`,
      `import { writeFileSync } from 'node:fs';`,
      `const c = new Cleanup();`,
      `c.add({ what: 'first', async: () => {}, sync: () => writeFileSync(${JSON.stringify(marker)}, 'first;', { flag: 'a' }) });`,
      `c.add({ what: 'second', async: () => {}, sync: () => writeFileSync(${JSON.stringify(marker)}, 'second;', { flag: 'a' }) });`,
      `setTimeout(() => { ${ending} }, 10);`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    return { ...r, undone: existsSync(marker) ? readFileSync(marker, 'utf8') : '' };
  };

  it('a crash undoes everything, newest first, and says so in one line', () => {
    const r = run('crash', "throw new Error('boom in the demo');");
    expect(r.status).toBe(70);
    expect(r.stderr).toBe('cutover demo: internal error: boom in the demo\n');
    expect(r.undone).toBe('second;first;');
  });

  it('an unhandled rejection is a crash too', () => {
    const r = run('rejection', "Promise.reject(new Error('lost promise'));");
    expect(r.status).toBe(70);
    expect(r.stderr).toBe('cutover demo: internal error: lost promise\n');
    expect(r.undone).toBe('second;first;');
  });

  it('a plain process exit undoes everything', () => {
    const r = run('exit', 'process.exit(0);');
    expect(r.status).toBe(0);
    expect(r.undone).toBe('second;first;');
  });
});
