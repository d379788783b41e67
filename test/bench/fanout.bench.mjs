#!/usr/bin/env node
// Cold fan-out of `true` to 10, 50, 100 and 200 loopback hosts (fleet.mjs: real sshds), side by
// side with its peers, fairly (issue 15):
//   - `cutover exec` (the built bin/cutover; ssh2 negotiates curve25519-sha256 and aes128-gcm);
//   - `parallel-ssh` told to use the same key exchange and cipher, and again with OpenSSH's
//     defaults (sntrup761x25519-sha512, chacha20-poly1305: ssh2 offers neither, so cutover cannot
//     be configured to match that row; it is there to show what the defaults cost);
//   - ansible (at 100 hosts) with its own default multiplexing (ControlMaster/ControlPersist),
//     the same key exchange added through ANSIBLE_SSH_EXTRA_ARGS.
// Runs are interleaved (A B C A B C ...), medians of RUNS (at least 5). For each run: wall time,
// the client's CPU (its process tree, read as our reaped children's CPU from /proc/self/stat),
// the sshds' CPU (their reaped per-connection children included) and the limit ratio
// wall / ((client CPU + sshd CPU) / cores): 1.0 means the machine's cores were busy the whole time.
// Budgets, each checked: cutover's client CPU <= 0.5x pssh's at the same key exchange; wall
// <= 0.8x pssh's at 100 and 200 hosts; limit ratio <= 1.2.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, processCpuMs, startFleet } from './fleet.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '10,50,100,200').split(',').map(Number);
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));
const CORES = availableParallelism();
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const bin = new URL('../../bin/cutover', import.meta.url).pathname;
const SAME = ['-o', 'KexAlgorithms=curve25519-sha256', '-o', 'Ciphers=aes128-gcm@openssh.com', '-o', 'HostKeyAlgorithms=ssh-ed25519'];
const fleet = await startFleet(Math.max(...SIZES));
const rows = [];
let failed = false;
try {
  const ansible = SIZES.includes(100) && !process.env.BENCH_NO_ANSIBLE ? ensureAnsible() : undefined;
  for (const n of SIZES) {
    const hosts = fleet.addrs.slice(0, n);
    const runbook = join(fleet.dir, `runbook-${n}.yaml`);
    writeFileSync(
      runbook,
      [
        'name: fan-out benchmark',
        `ssh: { concurrency: ${n} }`,
        `hosts:\n  all: [${hosts.map((a) => `"${a}:${fleet.port}"`).join(', ')}]`,
        'phases:\n  - { id: p, title: P, steps: [ { id: s, title: S, manual: true } ] }',
        '',
      ].join('\n'),
    );
    const hostsFile = join(fleet.dir, `pssh-hosts-${n}`);
    writeFileSync(hostsFile, `${hosts.map((a) => `${a}:${fleet.port}`).join('\n')}\n`);
    const pssh = (extra) => [
      'parallel-ssh',
      ['-p', String(n), '-h', hostsFile, '-l', fleet.user, '-t', '120', '-x', [...fleet.sshOpts, ...extra].join(' '), 'true'],
    ];
    const tools = [
      { name: 'cutover exec', cmd: [bin, ['exec', '-f', runbook, 'all', '--', 'true']] },
      { name: 'pssh, same kex+cipher', cmd: pssh(SAME), peer: true },
      { name: 'pssh, OpenSSH defaults', cmd: pssh([]) },
      ...(ansible && n === 100 ? [{ name: 'ansible (its multiplexing)', ansible: true }] : []),
    ];
    const samples = new Map(tools.map((t) => [t.name, []]));
    for (let r = 0; r < RUNS; r++)
      for (const t of tools) samples.get(t.name).push(t.ansible ? await runAnsible(ansible, hosts) : await measure(...t.cmd));
    const med = (name, k) => median(samples.get(name).map((s) => s[k]));
    for (const t of tools) {
      const wall = med(t.name, 'wall');
      const client = med(t.name, 'client');
      const sshd = med(t.name, 'sshd');
      rows.push({ n, name: t.name, wall, client, sshd, limit: med(t.name, 'limit'), peer: t.peer });
    }
  }
  const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`.padStart(8);
  console.log(`cold fan-out of \`true\`, interleaved, medians of ${RUNS} runs, ${CORES} cores`);
  console.log(`  hosts  tool                          wall   client CPU   sshd CPU   limit ratio`);
  for (const r of rows)
    console.log(
      `  ${String(r.n).padStart(5)}  ${r.name.padEnd(28)} ${fmt(r.wall)} ${fmt(r.client)}   ${fmt(r.sshd)}   ${r.limit.toFixed(2)}`,
    );
  for (const n of SIZES) {
    const me = rows.find((r) => r.n === n && r.name === 'cutover exec');
    const peer = rows.find((r) => r.n === n && r.peer);
    const checks = [
      [`client CPU ${(me.client / peer.client).toFixed(2)}x pssh's (budget <= 0.5x)`, me.client / peer.client <= 0.5],
      ...(n >= 100 ? [[`wall ${(me.wall / peer.wall).toFixed(2)}x pssh's (budget <= 0.8x)`, me.wall / peer.wall <= 0.8]] : []),
      [`limit ratio ${me.limit.toFixed(2)} (budget <= 1.2)`, me.limit <= 1.2],
    ];
    console.log(
      `  ${n} hosts, cutover vs pssh at the same key exchange: ${checks.map(([t, ok]) => `${t} ${ok ? 'OK' : 'OVER'}`).join('; ')}`,
    );
  }
} catch (e) {
  console.error(`fanout bench: ${e.message}\nsshd said: ${fleet.log().slice(-2000)}`);
  failed = true;
} finally {
  fleet.stop();
}
process.exit(failed ? 1 : 0);

/** Our reaped children's CPU ms (utime + stime of every child process tree that has been waited for). */
function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / CLK_TCK;
}

/** The sshds' CPU, their reaped per-connection children included. */
function sshdCpuMs() {
  return fleet.pids.reduce((n, pid) => n + processCpuMs(pid), 0);
}

/** Waits until every sshd has reaped its per-connection children (so their CPU is counted). */
async function sshdsIdle() {
  const end = Date.now() + 10_000;
  while (fleet.pids.some((pid) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim() !== '')) {
    if (Date.now() > end) throw new Error('sshd connections did not close within 10 s of the run');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** One run of a command that must exit 0: wall, client CPU, sshd CPU, limit ratio. */
async function measure(cmd, args, after = async () => {}) {
  await sshdsIdle();
  const c0 = childrenCpuMs();
  const s0 = sshdCpuMs();
  const t0 = performance.now();
  await new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: fleet.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 2000)}`))));
  });
  const wall = performance.now() - t0;
  await after();
  await sshdsIdle();
  const client = childrenCpuMs() - c0;
  const sshd = sshdCpuMs() - s0;
  return { wall, client, sshd, limit: wall / ((client + sshd) / CORES) };
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

/** One cold ansible run (fresh control sockets), its persistent masters stopped after it so their CPU is counted. */
async function runAnsible(ansible, hosts) {
  const a = mkdtempSync(join(fleet.dir, 'ansible-'));
  const inv = join(a, 'inventory');
  writeFileSync(inv, `[all]\n${hosts.map((x) => `${x} ansible_port=${fleet.port}`).join('\n')}\n`);
  const cp = join(a, 'cp');
  const env = {
    ANSIBLE_HOME: a,
    ANSIBLE_LOCAL_TEMP: join(a, 'tmp'),
    ANSIBLE_SSH_CONTROL_PATH_DIR: cp,
    // Added to ansible's own ssh arguments (which keep ControlMaster=auto, ControlPersist=60s).
    ANSIBLE_SSH_EXTRA_ARGS: [...fleet.sshOpts, ...SAME].join(' '),
    ANSIBLE_PRIVATE_KEY_FILE: join(fleet.ssh, 'id_ed25519'),
    ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
    ANSIBLE_NOCOLOR: '1',
  };
  const saved = fleet.env;
  fleet.env = { ...saved, ...env };
  try {
    return await measure(
      ansible,
      ['all', '-i', inv, '-f', String(hosts.length), '-u', fleet.user, '-m', 'command', '-a', 'true'],
      async () => {
        // The masters went to the background (not our children): end them so sshd's side closes.
        spawnSync('pkill', ['-f', cp]);
      },
    );
  } finally {
    fleet.env = saved;
  }
}
