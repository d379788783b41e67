/**
 * One simulated host: an ssh2 server on 127.0.0.1 (its own port and host key) that speaks the
 * real SSH protocol to cutover's driver. It accepts one public key only, the user key generated
 * for this run, and runs each exec request in a real shell in the host's sandbox (exec.ts).
 * No interactive shells, no port forwarding: the demo needs commands, nothing else.
 */
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ParsedKey, ServerChannel } from 'ssh2';
import { runCommand, signalGroup, stopGroup, type HostShell } from './exec.js';

const { Server } = ssh2;

/** What a host needs to start. */
export interface SshHostOptions {
  name: string;
  /** The host's private key (OpenSSH format). */
  hostKey: string;
  /** The only user key it accepts. */
  userKey: ParsedKey;
  shell: HostShell;
}

/** A running simulated host. */
export interface SshHost {
  name: string;
  port: number;
  /** Exec requests it ran (for tests and the demo's summary). */
  commands(): number;
  stop(): Promise<void>;
}

/** True when `ctx` proves possession of `key` (or asks whether `key` would do). */
function keyAccepted(ctx: AuthContext, key: ParsedKey): boolean {
  if (ctx.method !== 'publickey') return false;
  if (ctx.key.algo !== key.type || !ctx.key.data.equals(key.getPublicSSH())) return false;
  // Without a signature the client only asks whether the key is acceptable; ssh2 then asks for one.
  return !ctx.signature || key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true;
}

/** Starts a host on 127.0.0.1 (a free port). */
export async function startSshHost(o: SshHostOptions): Promise<SshHost> {
  const sockets = new Set<Socket>();
  let commands = 0;
  const server = new Server({ hostKeys: [o.hostKey], ident: `cutover-demo-${o.name}` }, (client: Connection, info) => {
    // ssh2 hands over its own connection object; stopping needs the socket under it.
    const sock = (client as unknown as { _sock?: Socket })._sock;
    if (sock) {
      sockets.add(sock);
      sock.once('close', () => sockets.delete(sock));
    }
    client.on('error', () => {
      // A client that hangs up mid-handshake is not the demo's problem.
    });
    let user = 'deploy';
    client.on('authentication', (ctx) => {
      user = ctx.username;
      if (keyAccepted(ctx, o.userKey)) ctx.accept();
      else ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        let child: ChildProcess | undefined;
        session.on('env', (ok) => ok?.());
        session.on('pty', (_ok, no) => no?.());
        session.on('shell', (_ok, no) => no?.());
        session.on('subsystem', (_ok, no) => no?.());
        session.on('signal', (ok, _no, sig) => {
          ok?.();
          if (child) signalGroup(child, `SIG${sig.name}` as NodeJS.Signals);
        });
        session.on('exec', (ok, no, req) => {
          if (child) return no?.();
          const ch: ServerChannel = ok();
          commands++;
          child = runCommand(req.command, ch, o.shell, {
            USER: user,
            LOGNAME: user,
            SSH_CONNECTION: `${info.ip} ${info.port} 127.0.0.1 ${port}`,
          });
        });
        session.on('close', () => {
          if (child && child.exitCode === null && child.signalCode === null) stopGroup(child);
        });
      });
    });
    client.on('tcpip', (_ok, no) => no());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    name: o.name,
    port,
    commands: () => commands,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
