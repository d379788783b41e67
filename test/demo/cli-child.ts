/**
 * `cutover demo` as its own process (the built bin/cutover), for the tests that need a real exit:
 * plain mode with --yes, signals, and what is left behind afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The launcher the README tells people to run. */
export const BIN = join(process.cwd(), 'bin', 'cutover');

/** A running `cutover demo` and what it printed so far. */
export interface DemoChild {
  child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves with the exit code (or 128 + signal number when killed by one). */
  exited: Promise<number>;
}

/** Starts `cutover demo ARGS` with its temp files under `dir/tmp` and journals under `dir/state`. */
export function startDemoChild(dir: string, args: string[]): DemoChild {
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  mkdirSync(join(dir, 'state'), { recursive: true });
  const child = spawn(process.execPath, [BIN, 'demo', ...args], {
    env: { ...process.env, TMPDIR: join(dir, 'tmp'), XDG_STATE_HOME: join(dir, 'state'), USER: 'bob', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
  const exited = new Promise<number>((resolve) => child.once('exit', (code, sig) => resolve(code ?? 128 + (sig === 'SIGKILL' ? 9 : 15))));
  return { child, out: () => out, err: () => err, exited };
}

/** What the demo left in its temp dir (nothing, when it cleaned up). */
export function leftovers(dir: string): string[] {
  return readdirSync(join(dir, 'tmp'));
}

/** Processes whose command line mentions `dir` (a Prometheus the demo started has its config there). */
export function processesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (cmd.includes(dir) && Number(pid) !== process.pid) out.push(`${pid}: ${cmd.trim()}`);
  }
  return out;
}
