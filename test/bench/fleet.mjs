// A fleet of loopback SSH hosts for the benchmarks (not a benchmark itself: run.mjs runs
// *.bench.mjs only): 127.0.0.2 ... as many hosts as asked, served by real OpenSSH sshds (an sshd
// takes at most 16 ListenAddress lines, so each serves 16 addresses) with one host key, a user
// key in a temp HOME, and known_hosts for every address. SHLVL=1 makes bash skip ~/.bashrc: the
// machine's rc files cost the same for every tool and are not what is measured.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Starts `n` hosts; `stop()` ends the sshds and removes the temp dir. */
export async function startFleet(n) {
  const addrs = Array.from({ length: n }, (_, i) => `127.0.0.${i + 2}`);
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-fleet-'));
  const home = join(dir, 'home');
  const ssh = join(home, '.ssh');
  mkdirSync(ssh, { recursive: true, mode: 0o700 });
  mkdirSync('/run/sshd', { recursive: true });
  keygen(join(dir, 'host_ed25519'));
  keygen(join(ssh, 'id_ed25519'));
  const hostKey = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(ssh, 'id_ed25519.pub')));
  writeFileSync(join(ssh, 'config'), '');
  const port = await freePort();
  writeFileSync(join(ssh, 'known_hosts'), addrs.map((a) => `[${a}]:${port} ${hostKey}\n`).join(''));
  const sshds = [];
  let log = '';
  for (let i = 0; i < n; i += 16) {
    const cfg = join(dir, `sshd_config_${i}`);
    writeFileSync(
      cfg,
      [
        `Port ${port}`,
        ...addrs.slice(i, i + 16).map((a) => `ListenAddress ${a}`),
        `HostKey ${join(dir, 'host_ed25519')}`,
        `PidFile ${join(dir, `sshd_${i}.pid`)}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'PermitRootLogin yes',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PrintMotd no',
        'MaxStartups 1000',
        'MaxSessions 100',
        'LogLevel ERROR',
        'SetEnv SHLVL=1',
        '',
      ].join('\n'),
    );
    const d = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    d.stderr.on('data', (b) => (log += b));
    sshds.push(d);
  }
  await Promise.all(addrs.map((a) => waitForBanner(a, port)));
  const sshOpts = [
    '-F',
    '/dev/null',
    '-o',
    `UserKnownHostsFile=${join(ssh, 'known_hosts')}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    `IdentityFile=${join(ssh, 'id_ed25519')}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
  ];
  return {
    addrs,
    /** The user the clients log in as (this process's). */
    user: userInfo().username,
    port,
    dir,
    home,
    ssh,
    /** The environment every client runs with: the temp HOME, no agent. */
    env: { ...process.env, HOME: home, SSH_AUTH_SOCK: '' },
    sshOpts,
    /** The sshd processes (their children, one per connection, are reaped into their CPU times). */
    pids: sshds.map((d) => d.pid),
    log: () => log,
    stop() {
      for (const d of sshds) d.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function keygen(path) {
  if (spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path]).status !== 0) throw new Error(`ssh-keygen failed for ${path}`);
}

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

async function waitForBanner(host, p) {
  const until = Date.now() + 15_000;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const c = connect({ host, port: p });
      const done = (v) => (c.destroy(), resolve(v));
      c.once('data', (d) => done(String(d).startsWith('SSH-')));
      c.once('error', () => done(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd on ${host}:${p} did not answer`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** CPU ms a process used, its reaped children included (utime + stime + cutime + cstime, from /proc). */
export function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14-17 of stat (1-based), counted after the command name: state is field 3.
  const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  return (ticks * 1000) / CLK_TCK;
}
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Median (rounded) of `xs`. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The value at percentile `p` (0..1) of `xs`, nearest rank. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))];
}
