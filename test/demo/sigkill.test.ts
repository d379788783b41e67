// `kill -9` of `cutover demo` leaves nothing behind: its watchdog stops Prometheus and the
// commands still running and removes the temporary directory; should the watchdog have been
// killed too, the next `cutover demo` reaps the leftovers before it starts.
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoReaper } from '../../src/demo/leftovers.js';
import { needBinary } from '../support/binaries.js';
import { tempDir } from '../support/sshd.js';
import { leftovers, processesUnder, startDemoChild } from './cli-child.js';

const prometheus = needBinary('prometheus', 'prometheus');
const reaper = demoReaper(fs);
/** Running: neither gone nor a zombie waiting for its new parent to reap it. */
const running = (pid: number) => reaper.startOf(pid) !== undefined;

const dirs: string[] = [];
const newDir = () => {
  const d = tempDir('cutover-sigkill-');
  dirs.push(d);
  return d;
};

/** The pid of the demo's Prometheus (its config is under `dir`), if it runs. */
const prometheusUnder = (dir: string) =>
  processesUnder(dir)
    .map((p) => p.match(/^(\d+): \S*prometheus /)?.[1])
    .find(Boolean);

/** The pid of the watchdog of the demo whose temporary files are under `dir`. */
function watchdogOf(dir: string): number | undefined {
  for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const env = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (env.includes(`CUTOVER_DEMO_WATCHDOG=`) && env.includes(join(dir, 'tmp'))) return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

describe('demo: nothing left behind after kill -9', () => {
  afterAll(() => {
    for (const d of dirs) {
      const pid = prometheusUnder(d);
      if (pid) process.kill(Number(pid), 'SIGKILL');
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('with the simulated endpoint: the temporary directory goes', async () => {
    const dir = newDir();
    const d = startDemoChild(dir, ['--yes', '--metrics', 'simulated']);
    await expect.poll(d.out, { timeout: 20_000 }).toMatch(/step change-approved passed/);
    expect(leftovers(dir)).toHaveLength(1);
    d.child.kill('SIGKILL');
    expect(await d.exited).toBe(137);
    await expect.poll(() => leftovers(dir), { timeout: 5_000 }).toEqual([]);
    await expect.poll(() => watchdogOf(dir), { timeout: 5_000 }).toBeUndefined();
  }, 30_000);

  it.skipIf(!prometheus)(
    'with a real Prometheus: the watchdog stops it and removes the directory',
    async () => {
      const dir = newDir();
      const d = startDemoChild(dir, ['--yes', '--metrics', 'prometheus']);
      await expect.poll(d.out, { timeout: 20_000 }).toMatch(/metrics: prometheus [\s\S]*step change-approved passed/);
      const prom = Number(prometheusUnder(dir));
      expect(running(prom)).toBe(true);
      d.child.kill('SIGKILL');
      expect(await d.exited).toBe(137);
      await expect.poll(() => running(prom), { timeout: 5_000 }).toBe(false);
      await expect.poll(() => leftovers(dir), { timeout: 5_000 }).toEqual([]);
      expect(processesUnder(dir)).toEqual([]);
    },
    30_000,
  );

  it.skipIf(!prometheus)(
    'with the watchdog killed too: the next demo reaps the leftovers first',
    async () => {
      const dir = newDir();
      const first = startDemoChild(dir, ['--yes', '--metrics', 'prometheus']);
      // Killed while Prometheus starts: it has its process and its directory, nothing more.
      await expect.poll(() => prometheusUnder(dir), { timeout: 10_000 }).toBeDefined();
      const prom = Number(prometheusUnder(dir));
      const watchdog = watchdogOf(dir)!;
      expect(watchdog).toBeDefined();
      process.kill(watchdog, 'SIGKILL');
      await expect.poll(() => running(watchdog), { timeout: 5_000 }).toBe(false);
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe(137);
      const [left] = leftovers(dir);
      expect(running(prom)).toBe(true);
      expect(left).toMatch(/^cutover-demo-/);

      const next = startDemoChild(dir, ['--yes', '--metrics', 'simulated']);
      await expect
        .poll(next.err, { timeout: 10_000 })
        .toMatch(
          new RegExp(
            `removed ${join(dir, 'tmp', left)}, left behind by a demo that was killed \\(pid ${first.child.pid}\\); stopped 1 of its processes`,
          ),
        );
      expect(running(prom)).toBe(false);
      expect(leftovers(dir)).not.toContain(left);
      await expect.poll(next.out, { timeout: 20_000 }).toMatch(/step change-approved passed/);
      next.child.kill('SIGINT');
      expect(await next.exited).toBe(1);
      expect(leftovers(dir)).toEqual([]);
      expect(processesUnder(dir)).toEqual([]);
    },
    30_000,
  );
});
