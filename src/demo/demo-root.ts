/**
 * The demo's temporary directory, and what makes sure that it and every process the demo spawned
 * go even when the demo is killed with SIGKILL, when none of its own handlers can run:
 *  - a watchdog: a small node process in a session of its own (a Ctrl-C or a closed terminal
 *    does not reach it) whose stdin is a pipe from the demo. The kernel closes that pipe however
 *    the demo ends, SIGKILL included; at end of file the watchdog stops what still carries the
 *    demo's mark, removes the directory and exits. No polling, no native code.
 *  - the next demo: should the watchdog have died too (the OOM killer, a kill of the whole
 *    cgroup), `cutover demo` first reaps the directories under TMPDIR of demos no longer running.
 * An orderly end cleans up by itself (cleanup.ts), and the watchdog then finds nothing left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Cleanup } from './cleanup.js';
import { DEMO_MARK, demoReaper, type Owner, type Reaped } from './leftovers.js';

const PREFIX = 'cutover-demo-';
/** Where the watchdog finds the owner of the directory it watches over. */
const WATCHED = 'CUTOVER_DEMO_WATCHDOG';

// The watchdog's whole program. `__name` is esbuild's helper for keeping function names, which
// the reaper's source may call when it was transpiled by a test runner rather than by tsc.
const WATCHDOG = [
  "process.title = 'cutover-demo-watchdog';",
  'var __name = (f) => f;',
  `const reaper = (${demoReaper.toString()})(require('node:fs'));`,
  `const owner = JSON.parse(process.env.${WATCHED});`,
  'let done = false;',
  'const reap = () => { if (done) return; done = true; try { reaper.reap(owner, process.pid); } finally { process.exit(0); } };',
  "process.stdin.on('end', reap).on('error', reap).on('close', reap).resume();",
].join('\n');

/** Reaps what killed demos left under TMPDIR, then creates this demo's directory, watched over. */
export function createDemoRoot(cleanup: Cleanup, progress?: (line: string) => void): string {
  const tmp = resolve(tmpdir());
  for (const r of reapLeftovers(tmp)) {
    const stopped = r.stopped ? `; stopped ${r.stopped} of its processes` : '';
    progress?.(`removed ${r.root}, left behind by a demo that was killed (pid ${r.pid})${stopped}`);
  }
  const root = fs.mkdtempSync(join(tmp, PREFIX));
  const owner = claim(root);
  if (owner) watchOver(owner, cleanup);
  return root;
}

/** Reaps the demo directories under `tmp` whose demo no longer runs; says which. */
export function reapLeftovers(tmp: string, self = process.pid): (Owner & Reaped)[] {
  const reaper = demoReaper(fs);
  if (!reaper.boot()) return [];
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return [];
  }
  const reaped: (Owner & Reaped)[] = [];
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const owner = reaper.readOwner(join(tmp, name));
    if (owner && !reaper.alive(owner)) reaped.push({ ...owner, ...reaper.reap(owner, self) });
  }
  return reaped;
}

/** Writes owner.json: this process, its start time, the boot and pid namespace. Undefined without /proc. */
function claim(root: string): Owner | undefined {
  const reaper = demoReaper(fs);
  const boot = reaper.boot();
  const start = reaper.startOf(process.pid);
  if (!boot || start === undefined) return undefined;
  const owner: Owner = { root, pid: process.pid, start, boot, ns: reaper.pidns() };
  fs.writeFileSync(join(root, 'owner.json'), `${JSON.stringify(owner)}\n`, { mode: 0o600 });
  return owner;
}

/** Starts the watchdog; the cleanup lets it go last (it then checks that nothing is left). */
function watchOver(owner: Owner, cleanup: Cleanup): void {
  const env: NodeJS.ProcessEnv = { ...process.env, [WATCHED]: JSON.stringify(owner) };
  delete env[DEMO_MARK];
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['-e', WATCHDOG], { cwd: '/', env, detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {
    return; // without it, the next demo still reaps what a SIGKILL leaves
  }
  child.on('error', () => {});
  child.stdin!.on('error', () => {});
  // Neither the watchdog nor its pipe keeps the demo alive.
  child.unref();
  cleanup.add({ what: 'let the watchdog go', async: () => void child.stdin!.end(), sync: () => {} });
}
