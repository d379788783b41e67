// Every way out of `cutover demo` cleans up: a signal while the console runs (plain mode), and a
// signal while the fleet is still starting (a real Prometheus coming up). Afterwards no process
// started by the demo is left and its temporary directory is gone.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { which } from '../support/binaries.js';
import { tempDir } from '../support/sshd.js';
import { leftovers, processesUnder, startDemoChild } from './cli-child.js';

const dirs: string[] = [];
const newDir = () => {
  const d = tempDir('cutover-demo-sig-');
  dirs.push(d);
  return d;
};

describe('demo: cleanup on signals', () => {
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s during the run ends the session and removes everything',
    async (sig) => {
      const dir = newDir();
      const d = startDemoChild(dir, ['--yes', '--metrics', 'simulated']);
      await expect.poll(d.out, { timeout: 20_000 }).toMatch(/step change-approved passed/);
      expect(leftovers(dir)).toHaveLength(1);
      d.child.kill(sig);
      expect(await d.exited).toBe(1);
      expect(d.out()).toMatch(new RegExp(`session ended: aborted \\(${sig} received\\)`));
      expect(leftovers(dir)).toEqual([]);
      expect(processesUnder(dir)).toEqual([]);
    },
    30_000,
  );

  it.skipIf(!which('prometheus'))(
    'SIGTERM while prometheus starts stops it and removes everything',
    async () => {
      const dir = newDir();
      const d = startDemoChild(dir, ['--yes', '--metrics', 'prometheus']);
      await expect.poll(d.err, { timeout: 20_000 }).toMatch(/starting prometheus/);
      await expect.poll(() => processesUnder(dir).some((p) => /prometheus/.test(p)), { timeout: 10_000 }).toBe(true);
      d.child.kill('SIGTERM');
      expect(await d.exited).toBe(143);
      expect(leftovers(dir)).toEqual([]);
      expect(processesUnder(dir)).toEqual([]);
    },
    30_000,
  );
});
