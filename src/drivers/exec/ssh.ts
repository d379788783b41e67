/**
 * One command on one host over a pooled connection. A reused connection that turns out to be
 * dead before the command starts is replaced once (the command never ran, so retrying is safe);
 * a connection lost while the command runs is reported, never retried, because its outcome is
 * unknown. Timeout and cancel send TERM (OpenSSH's sshd delivers it to the command's process
 * group, except in root sessions), then close the channel after a grace period.
 */
import type { Client, ClientChannel } from 'ssh2';
import { ConnectError } from './connection.js';
import type { CommandOutput } from './output.js';
import type { SshPool } from './pool.js';
import type { Target } from './target.js';
import { formatMs, type Outcome } from './outcome.js';

/** One remote command. */
export interface RemoteCommand {
  target: Target;
  command: string;
  output: CommandOutput;
  /** ms from the exec request (the command starting on the host); connecting has its own connectTimeout. */
  timeout?: number;
  signal?: AbortSignal;
  /** ms between TERM and closing the channel (default 2000). */
  killGrace?: number;
  /** Called as the exec request goes out, and when the host accepts it (its sshd is starting the command). */
  onRequested?: () => void;
  onAccepted?: () => void;
}

/** Runs a command on its target; never throws. */
export async function runRemote(pool: SshPool, rc: RemoteCommand): Promise<Outcome> {
  for (let attempt = 0; ; attempt++) {
    if (rc.signal?.aborted) return { code: null, error: 'cancelled before it started' };
    let lease: Awaited<ReturnType<SshPool['acquire']>>;
    try {
      lease = await abortable(pool.acquire(rc.target), rc.signal);
    } catch (e) {
      if (e === ABORTED) return { code: null, error: 'cancelled while connecting' };
      return { code: null, error: e instanceof ConnectError ? e.message : `${rc.target.label}: ${(e as Error).message}` };
    }
    let running: Promise<Outcome>;
    // The timeout runs from the exec request: a host that never confirms the command (sshd stuck
    // forking, a home directory on a hung NFS mount) must not hold the step forever either.
    const since = performance.now();
    try {
      ({ running } = await openExec(lease.client, rc, (ch) => watch(lease.client, ch, rc, since)));
    } catch (e) {
      if (e instanceof StartAbandoned) return { code: null, error: e.message, started: true };
      const dead = /not connected|no response from server/i.test((e as Error).message);
      if (dead) pool.drop(rc.target, lease.client);
      if (dead && !lease.fresh && attempt === 0) continue; // a dropped idle connection: reconnect once
      if (!dead && !socketAlive(lease.client)) {
        // The exec request was sent and the connection died before its answer: the command may
        // have run, so it is neither retried nor reported as never run.
        pool.drop(rc.target, lease.client);
        return {
          code: null,
          error: `${rc.target.label}: the connection was lost as the command was starting; it may have run, its outcome is unknown`,
          started: true,
        };
      }
      return { code: null, error: `${rc.target.label}: could not start the command: ${(e as Error).message}` };
    }
    return { ...(await running), started: true };
  }
}

/** The host did not confirm the exec request before a timeout or cancel; the command may still start. */
class StartAbandoned extends Error {}

/**
 * Opens the exec channel. `onChannel` runs inside ssh2's callback: a fast command's exit status
 * can arrive in the same network read as the channel confirmation, before any later tick. Gives
 * up on timeout or cancel; a channel that opens after that gets TERM and is closed.
 */
function openExec(
  client: Client,
  rc: RemoteCommand,
  onChannel: (ch: ClientChannel) => Promise<Outcome>,
): Promise<{ running: Promise<Outcome> }> {
  return new Promise((resolve, reject) => {
    let over = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = () => {
      over = true;
      clearTimeout(timer);
      rc.signal?.removeEventListener('abort', onAbort);
    };
    const giveUp = (why: string) => {
      if (over) return;
      settle();
      reject(new StartAbandoned(`${why}; ${rc.target.label} had not confirmed that the command started, so it may still run there`));
    };
    const onAbort = () => giveUp('cancelled');
    try {
      rc.onRequested?.();
      client.exec(rc.command, (err, ch) => {
        if (over) {
          if (!err) {
            try {
              ch.signal('TERM');
            } catch {
              // the channel is already closing
            }
            ch.close();
          }
          return;
        }
        settle();
        if (err) return reject(err);
        rc.onAccepted?.();
        resolve({ running: onChannel(ch) });
      });
    } catch (e) {
      settle();
      return reject(e);
    }
    if (over) return;
    if (rc.timeout !== undefined) timer = setTimeout(() => giveUp(`timed out after ${formatMs(rc.timeout!)}`), rc.timeout);
    rc.signal?.addEventListener('abort', onAbort, { once: true });
    if (rc.signal?.aborted) onAbort();
  });
}

/** Streams a started command's output and settles on its exit, timeout, cancel or a lost connection. */
function watch(client: Client, ch: ClientChannel, rc: RemoteCommand, since: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const grace = rc.killGrace ?? 2000;
    let exit: Outcome | undefined;
    let stopping: string | undefined;
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (o: Outcome) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      rc.signal?.removeEventListener('abort', onAbort);
      client.removeListener('close', onLost);
      ch.removeAllListeners('data');
      ch.stderr.removeAllListeners('data');
      resolve(stopping ? { ...o, error: stopping } : o);
    };
    const stop = (why: string) => {
      if (done || stopping) return;
      stopping = why;
      try {
        ch.signal('TERM');
      } catch {
        // the channel is already closing
      }
      timers.push(
        setTimeout(() => {
          // No exit status after TERM: sshd ignored it (OpenSSH does for root logins, which run
          // without privilege separation) or the command traps it. Closing the channel does not
          // kill a command without a terminal, so say that it may still run.
          if (!exit) stopping = `${why}; TERM got no answer, so the command may still be running on ${rc.target.label}`;
          ch.close();
          finish(exit ?? { code: null });
        }, grace),
      );
    };
    const onAbort = () => stop('cancelled');
    const lost: Outcome = {
      code: null,
      error: `${rc.target.label}: the connection was lost while the command ran; its outcome is unknown`,
    };
    const onLost = () => finish(exit ?? lost);
    ch.on('data', (b: Buffer) => rc.output.write('stdout', b));
    ch.stderr.on('data', (b: Buffer) => rc.output.write('stderr', b));
    ch.on('exit', (code: number | null, sig?: string) => {
      if (done) return; // settled already (lost, or given up on): no timer to leave behind
      exit =
        code !== null && code !== undefined
          ? { code }
          : { code: null, ...(sig ? { signal: sig.startsWith('SIG') ? sig : `SIG${sig}` } : {}) };
      // Output still in flight arrives before close; a background process holding the pipe open
      // must not hold the step forever, so close is awaited for at most the grace period.
      timers.push(
        setTimeout(() => {
          ch.close();
          finish(exit!);
        }, grace),
      );
    });
    // ssh2 closes the channels of a dropped connection before it reports the connection closed.
    ch.on('close', () =>
      finish(exit ?? (socketAlive(client) ? { code: null, error: `${rc.target.label}: the command ended without an exit status` } : lost)),
    );
    client.once('close', onLost);
    rc.signal?.addEventListener('abort', onAbort, { once: true });
    if (rc.signal?.aborted) onAbort();
    if (rc.timeout !== undefined)
      timers.push(
        setTimeout(() => stop(`timed out after ${formatMs(rc.timeout!)}`), Math.max(0, rc.timeout - (performance.now() - since))),
      );
  });
}

function socketAlive(client: Client): boolean {
  const sock = (client as unknown as { _sock?: { writable?: boolean; destroyed?: boolean } })._sock;
  return !!sock && sock.writable !== false && !sock.destroyed;
}

const ABORTED = Symbol('aborted');

function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
