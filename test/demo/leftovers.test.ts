// The reaper's rules, on directories and processes made to look like a killed demo's: what is
// provably a dead demo's goes; a live demo, a recycled pid, a process that is not marked (or
// predates the demo, or is marked for another directory), another boot's processes and a
// directory that is not a demo's own are never touched. And the watchdog, started in-process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../../src/demo/cleanup.js';
import { createDemoRoot, reapLeftovers } from '../../src/demo/demo-root.js';
import { demoReaper, type Owner } from '../../src/demo/leftovers.js';
import { tempDir } from '../support/sshd.js';

const reaper = demoReaper(fs);
const running = (c: ChildProcess) => reaper.startOf(c.pid!) !== undefined;
const boot = reaper.boot()!;
const self = reaper.startOf(process.pid)!;
const ns = reaper.pidns();
/** A pid that no process has any more. */
const deadPid = () => spawnSync('true').pid!;

const children: ChildProcess[] = [];
/** `sleep 60`, in a group of its own like the demo's children; `mark` is its CUTOVER_DEMO. */
function sleeper(mark?: string): ChildProcess {
  const env = { ...process.env, ...(mark ? { CUTOVER_DEMO: mark } : {}) };
  const c = spawn('sleep', ['60'], { env, detached: true, stdio: 'ignore' });
  children.push(c);
  return c;
}

describe('demo leftovers: what is reaped and what is never touched', () => {
  const tmp = tempDir('cutover-leftovers-');
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  /** A directory like a demo's, with an owner.json saying `owner` (fields given override the defaults). */
  const demoDir = (name: string, owner: Partial<Owner> = {}) => {
    const root = join(tmp, `cutover-demo-${name}`);
    fs.mkdirSync(join(root, 'hosts'), { recursive: true, mode: 0o700 });
    const o: Owner = { root, pid: deadPid(), start: self, boot, ns, ...owner };
    fs.writeFileSync(join(root, 'owner.json'), JSON.stringify(o));
    return o;
  };

  it("reaps a dead demo's directory and its marked processes, and only those", () => {
    const dead = demoDir('dead');
    const host = sleeper(join(dead.root, 'hosts', 'web1'));
    const prom = sleeper(join(dead.root, 'prometheus'));
    const unmarked = sleeper();
    const sibling = sleeper(`${dead.root}x`); // a prefix of its mark, not a directory inside it
    const reaped = reapLeftovers(tmp);
    expect(reaped.map((r) => [r.root, r.stopped, r.removed])).toEqual([[dead.root, 2, true]]);
    expect(fs.existsSync(dead.root)).toBe(false);
    expect([running(host), running(prom), running(unmarked), running(sibling)]).toEqual([false, false, true, true]);
  });

  it('never kills a recycled pid: the demo is dead when its pid has another start time', () => {
    const other = sleeper(); // has the pid now, started at another time
    const recycled = demoDir('recycled', { pid: other.pid!, start: self - 1 });
    const marked = sleeper(recycled.root);
    expect(reapLeftovers(tmp).map((r) => r.root)).toEqual([recycled.root]);
    expect([running(other), running(marked)]).toEqual([true, false]);
  });

  it('leaves a live demo alone, and a marked process that started before the demo', () => {
    const live = demoDir('live', { pid: process.pid, start: self });
    const liveChild = sleeper(live.root);
    const early = sleeper(join(tmp, 'cutover-demo-later'));
    const later = demoDir('later', { start: reaper.startOf(early.pid!)! + 1 });
    expect(reapLeftovers(tmp).map((r) => [r.root, r.stopped])).toEqual([[later.root, 0]]);
    expect(fs.existsSync(live.root)).toBe(true);
    expect([running(liveChild), running(early)]).toEqual([true, true]);
    fs.rmSync(live.root, { recursive: true });
  });

  it('kills nothing for a demo of another boot (its pids mean nothing now), and removes its directory', () => {
    const old = demoDir('old-boot', { boot: 'another-boot' });
    const marked = sleeper(old.root);
    expect(reapLeftovers(tmp).map((r) => [r.root, r.stopped, r.removed])).toEqual([[old.root, 0, true]]);
    expect(running(marked)).toBe(true);
  });

  it("never touches a directory that is not provably a demo's own", () => {
    const bare = join(tmp, 'cutover-demo-bare'); // no owner.json (an older demo's, or one being created)
    fs.mkdirSync(bare);
    demoDir('copied', { root: join(tmp, 'cutover-demo-elsewhere') }); // its owner.json names another directory
    const copied = join(tmp, 'cutover-demo-copied');
    const target = demoDir('target');
    const link = join(tmp, 'cutover-demo-link');
    fs.symlinkSync(target.root, link);
    fs.writeFileSync(join(target.root, 'owner.json'), JSON.stringify({ ...target, root: link }));
    const garbled = demoDir('garbled');
    fs.writeFileSync(join(garbled.root, 'owner.json'), '{"root": ');
    const container = demoDir('container', { ns: 'pid:[1]' }); // its pid means nothing in this namespace
    const foreign = process.getuid?.() === 0 ? demoDir('foreign') : undefined;
    if (foreign) fs.chownSync(foreign.root, 65534, 65534);
    expect(reapLeftovers(tmp)).toEqual([]);
    for (const p of [bare, copied, target.root, link, garbled.root, container.root, ...(foreign ? [foreign.root] : [])])
      expect(fs.existsSync(p)).toBe(true);
  });

  it('the watchdog, once let go, stops what still carries the mark and removes the directory', async () => {
    const cleanup = new Cleanup({ hook: false });
    const root = createDemoRoot(cleanup);
    expect(reaper.readOwner(root)).toMatchObject({ root, pid: process.pid, boot, ns });
    const straggler = sleeper(join(root, 'hosts', 'db1'));
    await cleanup.run();
    await expect.poll(() => fs.existsSync(root), { timeout: 5_000 }).toBe(false);
    await expect.poll(() => running(straggler), { timeout: 5_000 }).toBe(false);
  });
});
