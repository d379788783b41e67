/**
 * A real OpenSSH sshd for tests, on loopback addresses (127.0.0.2, 127.0.0.3, ...: each address is
 * a host of its own) and a free port, with generated host keys, a temp authorized_keys, and its
 * log (-e) kept for assertions. Nothing touches the real ~/.ssh.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/demo/ports.js';
export { freePort };

/** A running sshd. */
export interface Sshd {
  port: number;
  addresses: string[];
  dir: string;
  /** The host key as `ssh-ed25519 AAAA...`. */
  hostKey: string;
  /** known_hosts lines for every address (`[addr]:port key`). */
  knownHosts(): string;
  /** Everything sshd logged so far. */
  log(): string;
  /** The user commands run as (the current user: tests run as root in CI). */
  user: string;
  stop(): Promise<void>;
}

/** Options for startSshd. */
export interface SshdOptions {
  addresses: string[];
  /** Public key lines allowed to log in (options like from="..." allowed). */
  authorizedKeys: string[];
  /** Extra sshd_config lines. */
  config?: string[];
  /**
   * VERBOSE by default. DEBUG1 logs forwarding requests (for ProxyJump assertions), but sshd then
   * also sends its debug lines to the sessions' stderr, so only use it on a jump host.
   */
  logLevel?: 'VERBOSE' | 'DEBUG1';
}

/** A temp dir removed by the caller (or left for the OS when a test crashes). */
export function tempDir(prefix = 'cutover-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Generates an ed25519 key pair; `passphrase` encrypts the private key. */
export function makeKey(dir: string, name: string, passphrase = ''): { path: string; pub: string } {
  const path = join(dir, name);
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return { path, pub: readFileSync(`${path}.pub`, 'utf8').trim() };
}

/** Resolves when `host:port` answers with an SSH banner; rejects at the deadline. */
export async function waitForBanner(host: string, port: number, deadlineMs = 10_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect({ host, port });
      const done = (v: boolean) => {
        c.destroy();
        resolve(v);
      };
      c.once('data', (d) => done(d.toString('latin1').startsWith('SSH-')));
      c.once('error', () => done(false));
      c.setTimeout(1000, () => done(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd on ${host}:${port} did not answer within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts sshd and waits until every address answers. */
export async function startSshd(o: SshdOptions): Promise<Sshd> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir
  const dir = tempDir('cutover-sshd-');
  makeKey(dir, 'host_ed25519');
  const hostKey = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  writeFileSync(join(dir, 'authorized_keys'), `${o.authorizedKeys.join('\n')}\n`, { mode: 0o600 });
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const cfg = [
      `Port ${port}`,
      ...o.addresses.map((a) => `ListenAddress ${a}`),
      `HostKey ${join(dir, 'host_ed25519')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'PermitRootLogin yes',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PrintMotd no',
      `LogLevel ${o.logLevel ?? 'VERBOSE'}`,
      'MaxStartups 500',
      'MaxSessions 50',
      'AllowTcpForwarding yes',
      // bash sources ~/.bashrc for commands run by sshd unless SHLVL says it is nested: skip it, so
      // whatever the machine's rc files do neither slows nor changes the tests.
      'SetEnv SHLVL=1',
      ...(o.config ?? []),
    ];
    writeFileSync(join(dir, 'sshd_config'), `${cfg.join('\n')}\n`);
    let log = '';
    const proc: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc.stderr!.on('data', (d: Buffer) => void (log += d.toString()));
    const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
    // A banner alone could come from another worker's sshd that took the same port first; this
    // sshd's own log saying it listens on every address is what proves the port is ours.
    const listening = () => o.addresses.every((a) => log.includes(`Server listening on ${a} port ${port}.`));
    const up = Promise.all(o.addresses.map((a) => waitForBanner(a, port))).then(async () => {
      const until = Date.now() + 5000;
      while (!listening() && proc.exitCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      return listening() ? ('up' as const) : ('exited' as const);
    });
    let first: 'up' | 'exited';
    try {
      first = await Promise.race([up, exited.then(() => 'exited' as const)]);
    } catch (e) {
      proc.kill('SIGKILL'); // never leave an sshd behind the test run
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${(e as Error).message}; sshd logged:\n${log}`);
    }
    if (first === 'exited') {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
      if (attempt < 3 && /Address already in use/.test(log)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start:\n${log}`);
    }
    return {
      port,
      addresses: o.addresses,
      dir,
      hostKey,
      user: userInfo().username,
      knownHosts: () => o.addresses.map((a) => `[${a}]:${port} ${hostKey}\n`).join(''),
      log: () => log,
      stop: async () => {
        if (proc.exitCode === null && proc.signalCode === null) {
          proc.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

/** A real ssh-agent on a socket in `dir`. */
export interface Agent {
  sock: string;
  /** ssh-add a key; the passphrase goes through SSH_ASKPASS. */
  add(path: string, passphrase?: string): void;
  stop(): Promise<void>;
}

/** Starts `ssh-agent -D -a SOCK` and waits for its socket. */
export async function startAgent(dir: string): Promise<Agent> {
  const sock = join(dir, 'agent.sock');
  const proc = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const until = Date.now() + 5000;
  while (spawnSync('test', ['-S', sock]).status !== 0) {
    if (Date.now() > until) {
      proc.kill('SIGKILL');
      throw new Error('ssh-agent did not create its socket');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    sock,
    add: (path, passphrase = '') => {
      const askpass = join(dir, 'askpass.sh');
      writeFileSync(askpass, `#!/bin/sh\necho '${passphrase}'\n`, { mode: 0o700 });
      const env = { ...process.env, SSH_AUTH_SOCK: sock, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' };
      const r = spawnSync('ssh-add', [path], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (r.status !== 0) throw new Error(`ssh-add failed: ${r.stderr}`);
    },
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
