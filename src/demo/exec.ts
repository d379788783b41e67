/**
 * Runs one command a simulated host received: `bash -c COMMAND` in the host's sandbox, in its own
 * process group, stdout and stderr streamed back over the channel, then the exit status (or the
 * signal that ended it). A signal request or a closed channel ends the whole process group, TERM
 * then KILL, as sshd does for a session without a terminal that the client abandons.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { ServerChannel } from 'ssh2';

/** Where and how a host runs commands. */
export interface HostShell {
  /** The sandbox: cwd and HOME. */
  dir: string;
  /** Environment of every command (PATH starts with the tools). */
  env: NodeJS.ProcessEnv;
}

/** ms between TERM and KILL for a command that is told to stop. */
export const KILL_GRACE_MS = 1500;

/** Every command still running on any host, so an exiting process can end them all. */
export const runningCommands = new Set<ChildProcess>();

/** Sends `signal` to the command's process group (the command and what it started). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** TERM, then KILL after the grace period if it is still there. */
export function stopGroup(child: ChildProcess): void {
  signalGroup(child, 'SIGTERM');
  const t = setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS);
  t.unref();
  child.once('exit', () => clearTimeout(t));
}

/** Runs `command` for `ch`; returns the child so the session can deliver signals to it. */
export function runCommand(command: string, ch: ServerChannel, shell: HostShell, extraEnv: Record<string, string>): ChildProcess {
  const child = spawn('bash', ['-c', command], {
    cwd: shell.dir,
    env: { ...shell.env, ...extraEnv },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  runningCommands.add(child);
  let channelOpen = true;
  const write = (to: { write(b: Buffer): unknown }) => (b: Buffer) => {
    if (channelOpen) to.write(b);
  };
  child.stdout!.on('data', write(ch));
  child.stderr!.on('data', write(ch.stderr));
  ch.on('close', () => {
    channelOpen = false;
    // The client went away (or gave up on the command): nothing may keep running for it.
    if (runningCommands.has(child)) stopGroup(child);
  });
  child.on('error', (e) => {
    runningCommands.delete(child);
    if (!channelOpen) return;
    ch.stderr.write(`cannot start bash on this demo host: ${e.message}\n`);
    ch.exit(127);
    ch.end();
  });
  // 'close' waits for the pipes; a background process that keeps them open must not hold the
  // exit status back, so it is sent at most a moment after the command itself exits.
  let finished = false;
  const finish = (code: number | null, signal: NodeJS.Signals | null) => {
    if (finished) return;
    finished = true;
    runningCommands.delete(child);
    if (!channelOpen) return;
    if (code !== null) ch.exit(code);
    else ch.exit((signal ?? 'SIGKILL').replace(/^SIG/, ''), false, '');
    ch.end();
  };
  child.on('exit', (code, signal) => {
    const t = setTimeout(() => finish(code, signal), 200);
    t.unref();
    child.once('close', () => {
      clearTimeout(t);
      finish(code, signal);
    });
  });
  return child;
}
