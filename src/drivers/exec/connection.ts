/**
 * Opens one authenticated SSH connection with ssh2: directly, or through a channel of the jump
 * host's connection (ProxyJump). The host key is checked before authentication, so nothing is
 * sent, let alone executed, on a host that fails verification. Every failure becomes a
 * ConnectError whose message names the host and says what to do.
 */
import type { Client, ConnectConfig } from 'ssh2';
import { AuthError, authFailedMessage, planAuth } from './auth.js';
import { preferredHostKeyAlgorithms, verifyHostKey } from './host-keys.js';
import type { Ssh2Module } from './ssh2.js';
import type { Target } from './target.js';

/** A connection could not be opened; `message` is meant for the operator. */
export class ConnectError extends Error {}

/** Notes worth surfacing (a key added to known_hosts under accept-new). */
export type Notice = (message: string) => void;

const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Connects to `t`, through `via` when the target has a jump. Resolves once authenticated. */
export async function openConnection(
  ssh2: Ssh2Module,
  t: Target,
  via: Client | undefined,
  notice: Notice = () => {},
  signal?: AbortSignal,
): Promise<Client> {
  if (t.proxyCommand)
    throw new ConnectError(`${t.label}: ~/.ssh/config gives it a ProxyCommand, which cutover does not run; use ProxyJump instead`);
  let plan: ReturnType<typeof planAuth>;
  try {
    plan = planAuth(ssh2, t);
  } catch (e) {
    if (e instanceof AuthError) throw new ConnectError(e.message);
    throw e;
  }
  const deadline = Date.now() + t.connectTimeout;
  const sock = via ? await forward(via, t, signal) : undefined;
  const client = new ssh2.Client();
  let refusal: string | undefined;
  const config: ConnectConfig = {
    host: t.hostname,
    port: t.port,
    username: t.user,
    authHandler: plan.methods,
    readyTimeout: Math.max(1, deadline - Date.now()),
    keepaliveInterval: t.keepaliveInterval,
    keepaliveCountMax: t.keepaliveCountMax,
    algorithms: { serverHostKey: preferredHostKeyAlgorithms(t.knownHostsName, t.hostKeys, HOST_KEY_ALGORITHMS) as never },
    hostVerifier: (key: Buffer) => {
      const v = verifyHostKey(t.knownHostsName, key, t.hostKeys, t.label, t.port);
      if (!v.ok) refusal = v.reason;
      else if (v.added) notice(v.added);
      return v.ok;
    },
    ...(sock ? { sock } : {}),
  };
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => fail(new ConnectError(`${t.label}: the session is closing; connection abandoned`));
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (e: Error) => {
      if (settled) return;
      settle();
      client.removeAllListeners('ready');
      client.on('error', () => {}); // late errors of a connection being torn down
      client.end();
      (client as unknown as { _sock?: { destroy?: () => void } })._sock?.destroy?.();
      reject(e);
    };
    // ssh2's readyTimeout covers the handshake; this timer also covers a socket that never opens.
    timer = setTimeout(() => fail(new ConnectError(timeoutMessage(t))), Math.max(1, deadline - Date.now()) + 250);
    signal?.addEventListener('abort', onAbort, { once: true });
    client.once('ready', () => {
      if (settled) return void client.end();
      settle();
      resolve(client);
    });
    client.on('error', (e: Error & { level?: string; code?: string }) => {
      if (refusal) return fail(new ConnectError(refusal));
      if (e.level === 'client-authentication') return fail(new ConnectError(authFailedMessage(t, plan)));
      fail(new ConnectError(describe(t, e, via !== undefined)));
    });
    client.on('close', () =>
      fail(
        new ConnectError(
          refusal ?? `${t.label}: the connection closed during the SSH handshake; check sshd's log on the host (MaxStartups, AllowUsers)`,
        ),
      ),
    );
    try {
      if (signal?.aborted) return onAbort();
      client.connect(config);
    } catch (e) {
      fail(new ConnectError(`${t.label}: ${(e as Error).message}`));
    }
  });
}

/**
 * A channel from the jump host to the target, used as the target connection's socket. Gives up
 * at connectTimeout or when the session closes; a channel that opens after that is closed.
 */
function forward(via: Client, t: Target, signal?: AbortSignal): Promise<NonNullable<ConnectConfig['sock']>> {
  return new Promise((resolve, reject) => {
    let over = false;
    const giveUp = (e: Error) => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(e);
    };
    const onAbort = () => giveUp(new ConnectError(`${t.label}: the session is closing; connection abandoned`));
    const timer = setTimeout(
      () =>
        giveUp(
          new ConnectError(
            `${t.label}: the jump host did not open a channel to ${t.hostname}:${t.port} within ${t.connectTimeout / 1000}s`,
          ),
        ),
      t.connectTimeout,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) return onAbort();
    try {
      via.forwardOut('127.0.0.1', 0, t.hostname, t.port, (err, stream) => {
        if (over) return void (err ? undefined : stream.close());
        over = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err)
          reject(
            new ConnectError(
              `${t.label}: the jump host could not reach ${t.hostname}:${t.port} (${err.message}); check the name and port as the jump host sees them`,
            ),
          );
        else resolve(stream);
      });
    } catch (e) {
      giveUp(new ConnectError(`${t.label}: the connection to the jump host is gone (${(e as Error).message})`));
    }
  });
}

function timeoutMessage(t: Target): string {
  return `${t.label}: no SSH handshake with ${t.hostname}:${t.port} within ${t.connectTimeout / 1000}s (connectTimeout); the host may be down, firewalled or overloaded`;
}

function describe(t: Target, e: Error & { code?: string; level?: string }, viaJump: boolean): string {
  const where = `${t.hostname}:${t.port}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `${t.label}: connection refused by ${where}; is sshd running there, and is the port right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${t.label}: cannot resolve ${t.hostname}; check the name, or HostName in ~/.ssh/config`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${t.label}: ${where} is unreachable from here${viaJump ? '' : '; does it need a jump host (ssh.jump)?'}`;
    case 'ECONNRESET':
      return `${t.label}: ${where} reset the connection during the handshake; check sshd's log there`;
  }
  if (/timed out/i.test(e.message)) return timeoutMessage(t);
  return `${t.label}: SSH to ${where} failed: ${e.message}`;
}
