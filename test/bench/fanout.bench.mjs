#!/usr/bin/env node
// Fan-out of `true` to 100 loopback hosts (127.0.0.2 ... 127.0.0.101; sshd takes at most 16
// ListenAddress lines, so seven sshds with one host key serve 16 addresses each),
// cold: `cutover exec` (the built bin/cutover, a generated runbook, HOME in a temp dir) against
// `parallel-ssh -p 100` and `ansible -f 100 -m command -a true`, in one run, as ratios to pssh.
// Warm: with the pool already connected, the time from dispatch to the command running on all
// 100 hosts, read from the hosts' own clock (`date +%s%N`; loopback shares it), p50 of 5 runs.
// Budgets (DESIGN.md §5): cold at most 0.5x pssh's wall time; warm under 100 ms.
// The sshd sets SHLVL=1 so bash skips ~/.bashrc: the machine's rc files cost the same for every
// tool and are not what is measured. ansible-core is installed with apt-get when missing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = 100;
const RUNS = 3;
const addrs = Array.from({ length: N }, (_, i) => `127.0.0.${i + 2}`);
const user = userInfo().username;
const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-'));
const sshds = [];
let sshdLog = '';
const home = join(dir, 'home');
const ssh = join(home, '.ssh');
mkdirSync(ssh, { recursive: true, mode: 0o700 });
mkdirSync('/run/sshd', { recursive: true });

const keygen = (path) =>
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path]).status === 0 || fail(`ssh-keygen failed for ${path}`);
keygen(join(dir, 'host_ed25519'));
keygen(join(ssh, 'id_ed25519'));
const hostKey = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(ssh, 'id_ed25519.pub')));
writeFileSync(join(ssh, 'config'), '');

const port = await freePort();
writeFileSync(join(ssh, 'known_hosts'), addrs.map((a) => `[${a}]:${port} ${hostKey}\n`).join(''));

for (let i = 0; i < N; i += 16) {
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
  d.stderr.on('data', (b) => (sshdLog += b)); // shown only if something fails
  sshds.push(d);
}
await Promise.all(addrs.map((a) => waitForBanner(a, port)));
console.log(
  `Node ${process.version}; ssh2's native crypto binding: ${(await sshBinding(addrs[0], port)) ? 'loaded' : 'NOT loaded (ssh2 runs its JavaScript crypto)'}`,
);

const runbook = join(dir, 'runbook.yaml');
writeFileSync(
  runbook,
  [
    'name: fan-out benchmark',
    `ssh: { concurrency: ${N} }`,
    `hosts:\n  all: [${addrs.map((a) => `"${a}:${port}"`).join(', ')}]`,
    'phases:\n  - { id: p, title: P, steps: [ { id: s, title: S, manual: true } ] }',
    '',
  ].join('\n'),
);
const env = { ...process.env, HOME: home, SSH_AUTH_SOCK: '' };
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

try {
  const results = [];
  results.push({
    name: 'cutover exec',
    ms: await median(() => timed(process.execPath, [join(root, 'bin', 'cutover'), 'exec', '-f', runbook, 'all', '--', 'true'], env)),
  });
  const hostsFile = join(dir, 'pssh-hosts');
  writeFileSync(hostsFile, `${addrs.map((a) => `${a}:${port}`).join('\n')}\n`);
  results.push({
    name: 'parallel-ssh -p 100',
    ms: await median(() =>
      timed('parallel-ssh', ['-p', String(N), '-h', hostsFile, '-l', user, '-t', '120', '-x', sshOpts.join(' '), 'true'], env),
    ),
    pssh: true,
  });
  const ansible = ensureAnsible();
  if (ansible) results.push({ name: 'ansible -f 100 -m command', ms: await median(() => runAnsible(ansible), 1) });
  const pssh = results.find((r) => r.pssh).ms;
  console.log(`cold fan-out of \`true\` to ${N} loopback hosts (median of ${RUNS}; ansible: 1 run)`);
  for (const r of results)
    console.log(`  ${r.name.padEnd(28)} ${(r.ms / 1000).toFixed(2).padStart(6)} s   ${(r.ms / pssh).toFixed(2)}x pssh`);
  const ratio = results[0].ms / pssh;
  console.log(`  budget: cutover exec <= 0.5x pssh: ${ratio <= 0.5 ? 'met' : 'MISSED'} (${ratio.toFixed(2)}x)`);
  await warm();
} finally {
  for (const p of sshds) p.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

/** Whether ssh2 loaded its native crypto binding: it says so (debug) as it opens a connection. */
async function sshBinding(host, port) {
  const { default: ssh2 } = await import('ssh2');
  return new Promise((resolve) => {
    const c = new ssh2.Client();
    let said;
    c.on('error', () => resolve(said === 'Custom crypto binding available'));
    c.on('close', () => resolve(said === 'Custom crypto binding available'));
    c.connect({
      host,
      port,
      username: 'nobody',
      readyTimeout: 5000,
      hostVerifier: () => false,
      debug: (line) => {
        if (!/crypto binding/.test(line)) return;
        said = line;
        setImmediate(() => c.end());
      },
    });
  });
}

/**
 * Warm pool: from dispatch to (a) the last exec request on the wire, (b) the last exec confirmed
 * by sshd (it has forked the command), (c) the command running on the last host, by the host's
 * clock. ssh2's exec is wrapped to timestamp (a) and (b); it is the module the driver loads.
 */
async function warm() {
  const { ExecDriver } = await import(join(root, 'dist', 'drivers', 'exec', 'index.js'));
  const { default: ssh2 } = await import('ssh2');
  let sent = [];
  let confirmed = [];
  const exec = ssh2.Client.prototype.exec;
  ssh2.Client.prototype.exec = function (cmd, opts, cb) {
    if (typeof opts === 'function') [cb, opts] = [opts, {}];
    sent.push(Date.now());
    return exec.call(this, cmd, opts, (err, ch) => {
      confirmed.push(Date.now());
      cb(err, ch);
    });
  };
  const events = [];
  const driver = new ExecDriver({ ctx: { emit: (e) => events.push(e), now: Date.now }, home, env, runbook: { ssh: { concurrency: N } } });
  const hosts = addrs.map((a) => ({ host: a, port }));
  const failed = await driver.connect(hosts);
  if (failed.length) fail(`warm-up failed: ${failed[0].error}`);
  const figures = { sent: [], confirmed: [], running: [], total: [] };
  for (let i = 0; i < 6; i++) {
    events.length = 0;
    sent = [];
    confirmed = [];
    const t0 = Date.now();
    const r = await driver.runRemote({ step: 'warm', hosts, command: 'date +%s%N' });
    const total = Date.now() - t0;
    if (!r.ok || driver.connections !== N)
      fail(`warm run failed or reconnected: ${JSON.stringify(r.results.find((x) => x.status !== 'ok'))}`);
    if (i === 0) continue; // the first run warms the JIT, not the pool
    const remote = events.filter((e) => e.type === 'command/output').map((e) => Number(BigInt(e.text.trim()) / 1_000_000n));
    figures.sent.push(Math.max(...sent) - t0);
    figures.confirmed.push(Math.max(...confirmed) - t0);
    figures.running.push(Math.max(...remote) - t0);
    figures.total.push(total);
  }
  ssh2.Client.prototype.exec = exec;
  await driver.closeAll();
  const floor = median0(
    [1, 2, 3].map(() => {
      const t0 = performance.now();
      spawnSync('sh', ['-c', `seq ${N} | xargs -P ${N} -I{} bash -c 'date +%s%N' >/dev/null`]);
      return performance.now() - t0;
    }),
  );
  const p50 = (k) => `${median0(figures[k])} ms [${figures[k].join(', ')}]`;
  console.log(`warm pool, ${N} hosts, p50 of ${figures.total.length} runs, from dispatch to:`);
  console.log(`  last exec request sent          ${p50('sent')}`);
  console.log(`  last exec confirmed by sshd     ${p50('confirmed')}`);
  console.log(`  command running on all hosts    ${p50('running')}   (host clock)`);
  console.log(`  every result back               ${p50('total')}`);
  console.log(`  for scale, no SSH at all: starting ${N} \`bash -c date\` at once on this machine takes ${floor} ms (xargs -P ${N})`);
  const running = median0(figures.running);
  console.log(`  budget: command started on all ${N} under 100 ms: ${running < 100 ? 'met' : 'MISSED'} (${running} ms)`);
}

function ensureAnsible() {
  const has = () => spawnSync('sh', ['-c', 'command -v ansible'], { encoding: 'utf8' }).stdout.trim();
  if (!has()) {
    console.log('ansible not found: apt-get install -y ansible-core ...');
    const r = spawnSync(
      'sh',
      [
        '-c',
        'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ansible-core >/dev/null 2>&1 || (apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ansible-core >/dev/null 2>&1)',
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0 || !has()) {
      console.log('ansible-core could not be installed: comparing with pssh only');
      return undefined;
    }
  }
  return has();
}

async function runAnsible(bin) {
  const a = mkdtempSync(join(dir, 'ansible-')); // fresh control sockets: every run is cold
  const inv = join(a, 'inventory');
  writeFileSync(inv, `[all]\n${addrs.map((x) => `${x} ansible_port=${port}`).join('\n')}\n`);
  return timed(bin, ['all', '-i', inv, '-f', String(N), '-u', user, '-m', 'command', '-a', 'true'], {
    ...env,
    ANSIBLE_HOME: a,
    ANSIBLE_LOCAL_TEMP: join(a, 'tmp'),
    ANSIBLE_SSH_CONTROL_PATH_DIR: join(a, 'cp'),
    ANSIBLE_SSH_ARGS: sshOpts.join(' '),
    ANSIBLE_PRIVATE_KEY_FILE: join(ssh, 'id_ed25519'),
    ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
    ANSIBLE_NOCOLOR: '1',
  });
}

/** Wall time of a command that must exit 0, in ms. */
function timed(cmd, args, e) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { env: e, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : fail(`${cmd} exited ${code}: ${err.slice(0, 2000)}`)));
  });
}

async function median(f, runs = RUNS) {
  const xs = [];
  for (let i = 0; i < runs; i++) xs.push(await f());
  return median0(xs);
}
function median0(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]);
}

function freePort() {
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
    if (Date.now() > until) fail(`sshd on ${host}:${p} did not answer`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function fail(msg) {
  console.error(`fanout bench: ${msg}${sshdLog ? `\nsshd said:\n${sshdLog.slice(-2000)}` : ''}`);
  for (const p of sshds) p.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}
