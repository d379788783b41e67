/**
 * Finding and removing what a `cutover demo` left behind when it was killed with SIGKILL (no
 * handler runs then): its Prometheus and the commands still running on its hosts (each in a
 * process group of its own, so they outlive it) and its temporary directory.
 *
 * A process is the demo's only when its environment carries CUTOVER_DEMO naming the demo's
 * directory or one inside it (the demo sets it on everything it spawns; what those spawn inherits
 * it) and it started after the demo, on the same boot and in the same pid namespace: a pid that
 * another process has taken since never matches, nor does a process that merely has the
 * directory open or on its command line.
 * A directory is the demo's only when it is a real directory (not a link) of this user holding an
 * owner.json of this user that names it.
 */

/** The environment variable that marks a process as a demo's (its value: the demo's directory). */
export const DEMO_MARK = 'CUTOVER_DEMO';

/** Marks the processes spawned with this environment as belonging to the demo in `dir`. */
export function demoMark(dir: string): Record<string, string> {
  return { [DEMO_MARK]: dir };
}

/** The demo a directory belongs to, as its owner.json says: its pid, that pid's start time, the boot. */
export interface Owner {
  root: string;
  pid: number;
  /** Clock ticks since boot (field 22 of /proc/PID/stat): with `boot`, tells the demo from a recycled pid. */
  start: number;
  /** /proc/sys/kernel/random/boot_id when the demo started. */
  boot: string;
  /** Its pid namespace: a demo in another one (a container sharing TMPDIR) is not for us to judge. */
  ns: string;
}

/** What reaping one demo did. */
export interface Reaped {
  stopped: number;
  removed: boolean;
}

/** The reaper's operations, on Linux's /proc. */
export interface DemoReaper {
  /** This boot's id, or undefined without /proc (then nothing is ever reaped). */
  boot(): string | undefined;
  /** This process's pid namespace ('' when unknown). */
  pidns(): string;
  /** Start time of a live process; undefined when it is gone or a zombie. */
  startOf(pid: number): number | undefined;
  /** The owner of `root` when it is provably a demo's directory of this user, else undefined. */
  readOwner(root: string): Owner | undefined;
  /** Whether the demo that owns a directory still runs. */
  alive(owner: Owner): boolean;
  /** SIGKILLs every process of the demo (until none is left), then removes its directory if it still has that owner. */
  reap(owner: Owner, self: number): Reaped;
}

/**
 * The reaper. It imports nothing and uses no name from this module (it gets `fs`, uses only
 * globals): the watchdog runs it from its source text, in a process that loads no module of ours.
 */
export function demoReaper(fs: typeof import('node:fs')): DemoReaper {
  const MARK = 'CUTOVER_DEMO=';
  const boot = (): string | undefined => {
    try {
      return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const pidns = (): string => {
    try {
      return fs.readlinkSync('/proc/self/ns/pid');
    } catch {
      return '';
    }
  };
  const startOf = (pid: number): number | undefined => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[0] === 'Z' || fields[0] === 'X' ? undefined : Number(fields[19]);
    } catch {
      return undefined;
    }
  };
  const readOwner = (root: string): Owner | undefined => {
    try {
      const dir = fs.lstatSync(root);
      if (!dir.isDirectory() || dir.uid !== process.getuid?.()) return undefined;
      const file = fs.lstatSync(`${root}/owner.json`);
      if (!file.isFile() || file.uid !== dir.uid) return undefined;
      const o = JSON.parse(fs.readFileSync(`${root}/owner.json`, 'utf8')) as Partial<Owner> | null;
      const ok =
        o?.root === root &&
        Number.isInteger(o.pid) &&
        Number.isInteger(o.start) &&
        typeof o.boot === 'string' &&
        o.boot !== '' &&
        typeof o.ns === 'string';
      return ok ? (o as Owner) : undefined;
    } catch {
      return undefined;
    }
  };
  // Its pid is only meaningful on the same boot and in the same pid namespace; in another
  // namespace the demo may well run, so it counts as alive.
  const alive = (o: Owner): boolean => o.boot === boot() && (o.ns !== pidns() || startOf(o.pid) === o.start);
  const marked = (o: Owner, self: number): number[] => {
    const pids: number[] = [];
    for (const entry of fs.readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid <= 1 || pid === self) continue;
      let env: string;
      try {
        env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
      } catch {
        continue; // gone, or another user's
      }
      if (!env.includes(MARK + o.root)) continue;
      const dir = env
        .split('\0')
        .find((v) => v.startsWith(MARK))
        ?.slice(MARK.length);
      if (dir !== o.root && !dir?.startsWith(`${o.root}/`)) continue;
      const start = startOf(pid);
      if (start !== undefined && start >= o.start) pids.push(pid);
    }
    return pids;
  };
  const reap = (o: Owner, self: number): Reaped => {
    const stopped = new Set<number>();
    // Another boot: its processes are gone, and pids and start times mean nothing any more.
    // Several rounds: a shell killed between two scans may have forked a child meanwhile.
    for (let round = 0; o.boot === boot() && o.ns === pidns() && round < 50; round++) {
      const pids = marked(o, self);
      if (!pids.length) break;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
          stopped.add(pid);
        } catch {
          // gone already
        }
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
    const now = readOwner(o.root);
    const removed = now !== undefined && now.pid === o.pid && now.start === o.start && now.boot === o.boot && now.ns === o.ns;
    if (removed) {
      try {
        fs.rmSync(o.root, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // another reaper is removing it at the same moment
      }
    }
    return { stopped: stopped.size, removed };
  };
  return { boot, pidns, startOf, readOwner, alive, reap };
}
