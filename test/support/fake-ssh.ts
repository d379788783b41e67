/**
 * An in-process SSH server (ssh2's Server) for the faults a real sshd cannot produce on demand:
 * a connection dropped mid-command, a session request answered by hanging up, hostile output,
 * signals acted on. Authentication accepts any key; the host key is fresh per server.
 */
import { newKeyPair } from '../../src/demo/keys.js';
import type { Connection, ServerChannel } from 'ssh2';
import { createRequire } from 'node:module';
import { createServer, type Server as NetServer, type Socket } from 'node:net';

/** What a test does with one exec request. */
export type ExecHandler = (command: string, ch: ServerChannel, conn: FakeConnection) => void;

/** One client connection, numbered from 1, with a way to cut it abruptly. */
export interface FakeConnection {
  n: number;
  /** Sessions opened on this connection so far. */
  sessions: number;
  drop(): void;
  /** Called when the client sends a signal on a session of this connection. */
  onSignal?: (name: string, ch: ServerChannel) => void;
}

/** A running fake server. */
export interface FakeSsh {
  host: string;
  port: number;
  /** `[host]:port ssh-ed25519 AAAA...` for known_hosts. */
  knownHosts: string;
  connections: FakeConnection[];
  /** Return true from this to hang up instead of opening the session. */
  hangUpOnSession?: (conn: FakeConnection) => boolean;
  /** What to do with an exec request instead of accepting it: never answer, or hang up. */
  onExecRequest?: (command: string, conn: FakeConnection) => 'hold' | 'drop' | undefined;
  /** Exec requests received (answered or not). */
  execRequests: number;
  /** When set, port-forwarding (ProxyJump) requests are never answered. */
  holdTcpip?: boolean;
  /** Port-forwarding requests received. */
  tcpipRequests: number;
  stop(): Promise<void>;
}

/** Starts the fake server on `host`. */
export async function startFakeSsh(host: string, onExec: ExecHandler): Promise<FakeSsh> {
  const { default: ssh2 } = (await import('ssh2')) as unknown as { default: typeof import('ssh2') };
  // newKeyPair derives the public half from the private key: ssh2's generator sometimes writes an unreadable one.
  const keys = newKeyPair('fake-ssh');
  const sockets = new Set<Socket>();
  const fake: FakeSsh = { host, port: 0, knownHosts: '', connections: [], execRequests: 0, tcpipRequests: 0, stop: async () => {} };
  const server = new ssh2.Server({ hostKeys: [keys.private] }, (client: Connection) => {
    const sock = (client as unknown as { _sock: Socket })._sock;
    const conn: FakeConnection = { n: fake.connections.length + 1, sessions: 0, drop: () => sock.destroy() };
    fake.connections.push(conn);
    client.on('error', () => {});
    client.on('authentication', (ctx) => ctx.accept());
    client.on('tcpip', (_accept, reject) => {
      fake.tcpipRequests++;
      if (!fake.holdTcpip) reject();
    });
    client.on('ready', () =>
      client.on('session', (accept) => {
        conn.sessions++;
        if (fake.hangUpOnSession?.(conn)) return conn.drop();
        const session = accept();
        let channel: ServerChannel | undefined;
        session.on('signal', (ok, _no, info) => {
          ok?.();
          if (channel) conn.onSignal?.(info.name, channel);
        });
        session.on('exec', (ok, _no, info) => {
          fake.execRequests++;
          const instead = fake.onExecRequest?.(info.command, conn);
          if (instead === 'drop') return conn.drop();
          if (instead === 'hold') return;
          channel = ok();
          onExec(info.command, channel, conn);
        });
      }),
    );
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  fake.port = (server.address() as { port: number }).port;
  fake.knownHosts = `[${host}]:${fake.port} ${keys.public}\n`;
  fake.stop = () => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  };
  return fake;
}

/**
 * Ends the channel with an exit-signal of any name, hostile ones included (ssh2's server only
 * sends the names it knows, so the name is added to its table first).
 */
export function exitWithSignal(ch: ServerChannel, name: string): void {
  const { SIGNALS } = createRequire(import.meta.url)('ssh2/lib/protocol/constants.js') as { SIGNALS: Record<string, number> };
  SIGNALS[name.toUpperCase()] = 1;
  ch.exit(name);
}

/** A TCP server that accepts connections and never says a word: a handshake that never ends. */
export async function startSilentServer(host: string): Promise<{ port: number; accepted(): number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: NetServer = createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return {
    port: (server.address() as { port: number }).port,
    accepted: () => accepted,
    stop: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
