// SIGTERM to `cutover run` while a command runs on a real sshd host: the command is cancelled, its exit
// (or "outcome unknown") is journaled before session/ended, which is the last event; and what happens to
// the remote process is what the README says: cutover runs commands without a pty, so OpenSSH closes the
// channel without killing them: a silent command runs to its end, a chatty one dies on its next write (SIGPIPE).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal, verifyChain } from '../../src/journal/index.js';
import { needBinary } from '../support/binaries.js';
import { makeKey, startSshd, tempDir, type Sshd } from '../support/sshd.js';

const sshdBin = needBinary('sshd', 'openssh-server');
const bin = join(process.cwd(), 'bin', 'cutover');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!sshdBin)('signals against a real sshd', () => {
  let sshd: Sshd;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('cutover-signal-');
    const key = makeKey(dir, 'id_ed25519');
    sshd = await startSshd({ addresses: ['127.0.0.2', '127.0.0.3'], authorizedKeys: [key.pub] });
    writeFileSync(join(dir, 'known_hosts'), sshd.knownHosts(), { mode: 0o600 });
    const out = join(dir, 'out');
    mkdirSync(out);
    // 127.0.0.2 runs a silent command; 127.0.0.3 a chatty one that records its pid.
    const command = `if [ "$(echo $SSH_CONNECTION | cut -d' ' -f3)" = 127.0.0.2 ]; then touch ${out}/silent-started; sleep 6; touch ${out}/silent-done; else echo $$ > ${out}/chatty.pid; while :; do echo tick; sleep 0.2; done; fi`;
    writeFileSync(
      join(dir, 'rb.yaml'),
      `name: signal test
ssh: { user: ${sshd.user}, identityFile: ${key.path}, knownHosts: ${join(dir, 'known_hosts')} }
hosts:
  web: ["127.0.0.2:${sshd.port}", "127.0.0.3:${sshd.port}"]
phases:
  - id: one
    title: One
    steps:
      - { id: long, title: A long command, run: { on: web, command: ${JSON.stringify(command)} } }
`,
    );
  }, 60_000);

  afterAll(async () => {
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM: exits journaled before session/ended; a silent remote command runs on, a chatty one dies of SIGPIPE', async () => {
    const state = join(dir, 'state');
    const child = spawn(process.execPath, [bin, 'run', '-f', join(dir, 'rb.yaml'), '--yes'], {
      env: { ...process.env, XDG_STATE_HOME: state, USER: 'alice' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const journal = () => {
      const d = join(state, 'cutover', 'sessions');
      const f = existsSync(d) ? readdirSync(d).find((n) => n.endsWith('.jsonl')) : undefined;
      return f ? join(d, f) : undefined;
    };
    // Both commands started (on a busy machine one host can be slower) and the chatty one is printing: then the signal.
    await expect
      .poll(() => existsSync(join(dir, 'out', 'silent-started')) && existsSync(join(dir, 'out', 'chatty.pid')) && /tick/.test(stdout), {
        timeout: 20_000,
      })
      .toBe(true);
    const pid = Number(readFileSync(join(dir, 'out', 'chatty.pid'), 'utf8'));
    expect(alive(pid)).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(1);

    const events = readJournal(journal()!).entries.map(
      (e) => e.event as { type: string; host?: string; error?: string; outcome?: string; reason?: string },
    );
    expect(events.at(-1)).toMatchObject({ type: 'session/ended', outcome: 'aborted', reason: 'SIGTERM received' });
    const exits = events.filter((e) => e.type === 'command/exited');
    expect(exits.map((e) => e.host).sort()).toEqual([`127.0.0.2:${sshd.port}`, `127.0.0.3:${sshd.port}`]);
    // Tests run as root, whose sessions OpenSSH does not signal: the record says the command may still run.
    for (const e of exits) expect(e.error).toMatch(/cancelled|may still be running/);
    expect(events.findIndex((e) => e.type === 'step/failed')).toBeGreaterThan(events.findIndex((e) => e.type === 'command/exited'));
    expect(verifyChain(journal()!).ok).toBe(true);

    // The remote side, as documented: the chatty command dies on its next write, the silent one finishes.
    await expect.poll(() => alive(pid), { timeout: 20_000 }).toBe(false);
    await expect.poll(() => existsSync(join(dir, 'out', 'silent-done')), { timeout: 15_000 }).toBe(true);
  }, 60_000);
});
