import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readJournal, verifyChain } from '../../../src/journal/index.js';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main.js';
import { captureIo } from '../../support/io.js';
import { needBinary } from '../../support/binaries.js';
import { startSshd, type Sshd } from '../../support/sshd.js';
import { testHome } from './helpers.js';
import { failWrites } from '../../support/disk-full.js';

const sshdBin = needBinary('sshd', 'openssh-server');

describe.skipIf(!sshdBin)('cutover exec', () => {
  let sshd: Sshd;
  const h = testHome();
  let rb: string;
  const exec = async (...args: string[]) => {
    const io = captureIo({ HOME: h.home });
    const code = await runCli(['exec', ...args], io);
    return { code, out: io.stdout(), err: io.stderr() };
  };
  beforeAll(async () => {
    sshd = await startSshd({ addresses: ['127.0.0.2', '127.0.0.3'], authorizedKeys: [h.key.pub] });
    writeFileSync(h.knownHosts, sshd.knownHosts());
    rb = join(h.home, 'rb.yaml');
    writeFileSync(
      rb,
      [
        'name: exec test',
        `ssh: { knownHosts: ${h.knownHosts} }`,
        'hosts:',
        `  web: ["127.0.0.2:${sshd.port}", "127.0.0.3:${sshd.port}"]`,
        `  lone: ["127.0.0.2:${sshd.port}"]`,
        `  bad: ["127.0.0.2:1"]`,
        'phases:',
        '  - { id: p, title: P, steps: [ { id: s, title: S, manual: true } ] }',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(h.home, { recursive: true, force: true });
  });
  const a = () => `127.0.0.2:${sshd.port}`;
  const b = () => `127.0.0.3:${sshd.port}`;

  it('prefixes each line with its host, then a summary per host and totals; exit 0', async () => {
    const r = await exec('-f', rb, 'web', '--', 'echo', 'hello;', 'echo', 'oops', '>&2');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${a()} | hello\n`);
    expect(r.out).toContain(`${b()} | hello\n`);
    expect(r.err).toContain(`${a()} ! oops\n`);
    expect(r.out).toMatch(new RegExp(`${a()}  ok +\\S+ +exit 0\\n`));
    expect(r.out).toMatch(/2 hosts: 2 ok in \S+\n$/);
  });

  it('exits 1 when a host fails, and says which', async () => {
    const r = await exec('-f', rb, 'web', '--', 'set -- $SSH_CONNECTION; [ $3 = 127.0.0.3 ] && exit 7; true');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`${b()}  FAILED +\\S+ +exit 7\\n`));
    expect(r.out).toMatch(/2 hosts: 1 ok, 1 failed in/);
  });

  it('--max-fail 0 --batch 1 skips the rest after the first failure', async () => {
    const r = await exec('-f', rb, 'web', '--batch', '1', '--max-fail', '0', '--', 'exit 1');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`${b()}  skipped +not run: maxFail was exceeded\\n`));
    expect(r.out).toMatch(/1 failed, 1 skipped \(maxFail exceeded\)/);
  });

  it('--timeout stops a command and reports it', async () => {
    const r = await exec('-f', rb, 'lone', '--timeout', '300ms', '--', 'echo $$; exec sleep 20');
    expect(r.code).toBe(1);
    expect(r.out).toContain('timed out after 300ms');
    const pid = Number(/\| (\d+)/.exec(r.out)![1]);
    try {
      process.kill(pid, 'SIGKILL'); // as root, sshd does not deliver TERM (see ssh.test.ts)
    } catch {
      /* already gone */
    }
  });

  it('reports an unreachable host as an error line, no stack trace', async () => {
    const r = await exec('-f', rb, 'bad', '--', 'true');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /127\.0\.0\.2:1 {2}ERROR +\S+ +connection refused by 127\.0\.0\.2:1; is sshd running there, and is the port right\?\n/,
    );
    expect(r.out + r.err).not.toMatch(/\n\s+at /);
  });

  it('an unknown group: one line naming the known groups, exit 64', async () => {
    const r = await exec('-f', rb, 'nope', '--', 'true');
    expect(r.code).toBe(64);
    expect(r.err).toBe(`cutover exec: no host group 'nope' in ${rb}; known groups: web, lone, bad\n`);
  });

  it('a runbook with problems: FILE:LINE:COL lines, exit 64', async () => {
    const broken = join(h.home, 'broken.yaml');
    writeFileSync(broken, 'name: x\nphases:\n  - { id: p, title: P, steps: [ { id: s, title: S, run: { on: ghost, command: ls } } ] }\n');
    const r = await exec('-f', broken, 'web', '--', 'true');
    expect(r.code).toBe(64);
    expect(r.err).toMatch(new RegExp(`^${broken}:3:\\d+: unknown host group 'ghost'`));
  });

  it('usage mistakes exit 64 with a hint', async () => {
    expect((await exec('-f', rb, 'web')).code).toBe(64);
    expect((await exec('web', '--', 'true')).err).toContain('name the runbook with -f RUNBOOK');
    expect((await exec('-f', rb, 'web', '--batch', 'lots', '--', 'true')).err).toContain(
      "--batch 'lots' is not a number of hosts or a percentage",
    );
    expect((await exec('-f', rb, 'web', '--timeout', '5', '--', 'true')).code).toBe(64);
  });

  it('journals the run like a session: start, a note naming the group, every command, and the ending last', async () => {
    const state = join(h.home, 'exec-state');
    const io = captureIo({ HOME: h.home, XDG_STATE_HOME: state, USER: 'dora' });
    expect(await runCli(['exec', '-f', rb, 'web', '--', 'echo', 'audited'], io)).toBe(0);
    const path = /cutover exec: journal (\S+)\n/.exec(io.stderr())![1];
    expect(path.startsWith(join(state, 'cutover', 'sessions'))).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const events = readJournal(path).entries.map((e) => e.event as { type: string; text?: string; operator?: string; outcome?: string });
    expect(events[0]).toMatchObject({ type: 'session/started', operator: 'dora' });
    expect(events[1]).toMatchObject({ type: 'note/added', text: 'cutover exec on web (2 hosts)' });
    expect(events.filter((e) => e.type === 'command/exited')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'session/ended', outcome: 'completed' });
    expect(verifyChain(path).ok).toBe(true);
  });

  it('hides secret values in remote output, command lines, the screen and every byte of the journal, line 1 included', async () => {
    const secret = 'rmt-Q8w2E6r4T1y9U3i7';
    const ghp = `ghp_${'Zx9Yw8Vu7T'.repeat(4)}`;
    const file = join(h.home, 'secret-rb.yaml');
    writeFileSync(
      file,
      readFileSync(rb, 'utf8').replace(
        'phases:',
        `secrets: [CUTOVER_T_REMOTE]\nphases:\n  - { id: q, title: Q, steps: [ { id: t, title: T, run: { on: web, command: "curl -H 'token: ${ghp}' x" } } ] }`,
      ),
    );
    const state = join(h.home, 'exec-secret-state');
    const io = captureIo({ HOME: h.home, XDG_STATE_HOME: state, CUTOVER_T_REMOTE: secret });
    // The remote shell prints the value in two halves: the command line never holds it whole.
    const code = await runCli(
      ['exec', '-f', file, 'lone', '--', `printf '%s%s\\n' ${secret.slice(0, 9)} ${secret.slice(9)}; echo ${ghp}`],
      io,
    );
    expect(code).toBe(0);
    expect(io.stdout()).toContain('[REDACTED]\n');
    const path = /cutover exec: journal (\S+)\n/.exec(io.stderr())![1];
    const bytes = readFileSync(path, 'utf8');
    for (const s of [secret, ghp]) {
      expect(io.stdout() + io.stderr()).not.toContain(s);
      expect(bytes).not.toContain(s);
    }
    expect(bytes.split('\n')[0]).toContain(`"command":"curl -H 'token: [REDACTED]' x"`);
    // (printf and echo may come as one output event or two.)
    const printed = bytes
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'command/output')
      .map((e) => e.text)
      .join('');
    expect(printed).toBe('[REDACTED]\n[REDACTED]\n');
  });

  it('runs nothing when its journal cannot be created: one line, exit 74', async () => {
    const notADir = join(h.home, 'a-file');
    writeFileSync(notADir, 'x');
    const marker = join(h.home, 'must-not-exist');
    const io = captureIo({ HOME: h.home, XDG_STATE_HOME: notADir });
    expect(await runCli(['exec', '-f', rb, 'lone', '--', 'touch', marker], io)).toBe(74);
    expect(io.stderr()).toMatch(/^cutover exec: cannot create a journal in \S+: .*; nothing was run\n$/);
    expect(existsSync(marker)).toBe(false);
  });

  it('a journal that fails mid-run: NOT RECORDING on stderr, the command finishes, the rest in a fallback file, exit 74', async () => {
    failWrites((bytes) => !/"(session\/started|note\/added)"/.test(bytes), 'EIO');
    const tmp = join(h.home, 'tmp');
    mkdirSync(tmp, { recursive: true });
    const io = captureIo({ HOME: h.home, XDG_STATE_HOME: join(h.home, 'eio-state'), TMPDIR: tmp });
    try {
      expect(await runCli(['exec', '-f', rb, 'web', '--', 'echo', 'still runs'], io)).toBe(74);
    } finally {
      vi.restoreAllMocks();
    }
    expect(io.stdout()).toMatch(/2 hosts: 2 ok/);
    expect(io.stderr()).toMatch(/^cutover exec: NOT RECORDING: journal \S+: write failed \(EIO/m);
    const fallback = /they are in (\S+) \(0600\)/.exec(io.stderr())![1];
    const kept = readFileSync(fallback, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(kept.filter((e) => e.type === 'command/exited')).toHaveLength(2);
    expect(kept.at(-1)).toMatchObject({ type: 'session/ended', outcome: 'completed' });
  });
});
