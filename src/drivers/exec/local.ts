/**
 * Local commands (`local:` steps) with execa: an argv list runs as is, a string only through a
 * shell when the step says `shell: true`. The command gets its own process group, so timeout and
 * cancel reach what it started too (TERM, then KILL after a grace period), and a background
 * grandchild holding the output pipe cannot keep the step running. execa is imported on first
 * use: it costs more to load than the rest of the driver, and `cutover exec` never needs it.
 */
import { statSync } from 'node:fs';
import type { CommandOutput } from './output.js';
import { formatMs, type Outcome } from './outcome.js';

/** One local command. */
export interface LocalCommand {
  command: string | string[];
  shell?: boolean;
  cwd?: string;
  /** Added to cutover's own environment. */
  env?: Record<string, string>;
  timeout?: number;
  signal?: AbortSignal;
  output: CommandOutput;
  /** ms between TERM and KILL, and the wait for the output pipes after exit (default 2000). */
  killGrace?: number;
}

export { displayCommand } from '../../core/command-text.js';

/** Runs a local command; never throws. */
export async function runLocal(lc: LocalCommand): Promise<Outcome> {
  if (lc.signal?.aborted) return { code: null, error: 'cancelled before it started' };
  if (typeof lc.command === 'string' && !lc.shell)
    return { code: null, error: 'local: a string command runs through a shell; add shell: true, or write it as an argv list' };
  const argv = typeof lc.command === 'string' ? [lc.command] : lc.command;
  if (argv.length === 0 || argv[0] === '') return { code: null, error: 'local: the command is empty' };
  if (lc.cwd !== undefined && !isDir(lc.cwd))
    return { code: null, error: `local: the working directory ${lc.cwd} does not exist; fix cwd in the step` };
  const grace = lc.killGrace ?? 2000;
  const { execa } = await import('execa');
  // An abort during the import has already fired: a listener added now would never hear it.
  if (lc.signal?.aborted) return { code: null, error: 'cancelled before it started' };
  const child = execa(argv[0], argv.slice(1), {
    shell: lc.shell === true,
    ...(lc.cwd !== undefined ? { cwd: lc.cwd } : {}),
    env: lc.env ?? {},
    extendEnv: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    detached: true,
  });
  let stopping: string | undefined;
  const timers: NodeJS.Timeout[] = [];
  const group = (sig: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  const stop = (why: string) => {
    if (stopping) return;
    stopping = why;
    group('SIGTERM');
    timers.push(setTimeout(() => group('SIGKILL'), grace));
  };
  const onAbort = () => stop('cancelled');
  lc.signal?.addEventListener('abort', onAbort, { once: true });
  if (lc.timeout !== undefined) timers.push(setTimeout(() => stop(`timed out after ${formatMs(lc.timeout!)}`), lc.timeout));
  child.stdout?.on('data', (b: Buffer) => lc.output.write('stdout', b));
  child.stderr?.on('data', (b: Buffer) => lc.output.write('stderr', b));
  child.once('exit', () => {
    timers.push(
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, grace),
    );
  });
  const r = await child;
  for (const t of timers) clearTimeout(t);
  lc.signal?.removeEventListener('abort', onAbort);
  const spawnCode = (r as { code?: string }).code;
  if (r.exitCode === undefined && r.signal === undefined && spawnCode)
    return { code: null, error: spawnError(argv[0], spawnCode, lc.shell === true) };
  const o: Outcome = r.exitCode !== undefined ? { code: r.exitCode } : { code: null, ...(r.signal ? { signal: r.signal } : {}) };
  return { ...o, ...(stopping ? { error: stopping } : {}), started: true };
}

function spawnError(file: string, code: string, shell: boolean): string {
  if (code === 'ENOENT')
    return shell
      ? 'local: no shell to run the command (/bin/sh is missing)'
      : `local: command not found: ${file}; check PATH or give the full path`;
  if (code === 'EACCES') return `local: permission denied running ${file}; is it executable?`;
  return `local: cannot start ${file}: ${code}`;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
