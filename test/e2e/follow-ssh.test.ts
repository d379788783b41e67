// `cutover follow` over SSH, as `ssh ops-laptop cutover follow --latest`: a real OpenSSH sshd on
// loopback, the session journaled by the real JournalWriter. Without a pty (plain ssh) the story
// comes as lines and the command exits 0 when the session ends; with one (ssh -tt, in tmux) it is
// the console, live, and q quits.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needBinary } from '../support/binaries.js';
import { makeKey, startSshd, tempDir, type Sshd } from '../support/sshd.js';
import { liveJournal } from '../live/journal.js';

const sshdBin = needBinary('sshd', 'openssh-server');
const tmux = needBinary('tmux', 'tmux');
const bin = join(process.cwd(), 'bin', 'cutover');

describe.skipIf(!sshdBin || !tmux)('cutover follow over SSH', () => {
  let sshd: Sshd;
  let dir: string;
  let ssh: string[];
  const server = `cutover-follow-ssh-${process.pid}`;
  const t = (...args: string[]) => execFileSync(tmux!, ['-L', server, ...args], { encoding: 'utf8' });
  const screen = () => t('capture-pane', '-p', '-t', 'remote');
  /** The remote command: follow the newest journal of this test's sessions directory. */
  const follow = () => `XDG_STATE_HOME=${join(dir, 'state')} ${process.execPath} ${bin} follow --latest`;
  const sessions = () => join(dir, 'state', 'cutover', 'sessions');

  beforeAll(async () => {
    dir = tempDir('cutover-follow-ssh-');
    mkdirSync(sessions(), { recursive: true });
    const key = makeKey(dir, 'id_ed25519');
    sshd = await startSshd({ addresses: ['127.0.0.2'], authorizedKeys: [key.pub] });
    writeFileSync(join(dir, 'known_hosts'), sshd.knownHosts(), { mode: 0o600 });
    ssh = [
      '-i',
      key.path,
      '-o',
      `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-p',
      String(sshd.port),
      `${sshd.user}@127.0.0.2`,
    ];
  }, 60_000);

  afterAll(async () => {
    try {
      t('kill-server');
    } catch {
      /* never started */
    }
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('without a pty: the story as lines, exit 0 when the session ends', async () => {
    const j = await liveJournal(sessions(), { name: 'a.jsonl', operator: 'alice' });
    const child = spawn('ssh', [...ssh, follow()], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => void (out += d));
    child.stderr.on('data', (d) => void (err += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    await expect.poll(() => out, { timeout: 20_000 }).toMatch(/session started by alice: checkout-api/);
    await j.add({ type: 'step/started', phase: 'pre', step: 'backup' });
    await expect.poll(() => out, { timeout: 5000 }).toMatch(/step backup started: Database backup verified/);
    await j.add({ type: 'session/ended', outcome: 'quit' });
    expect(await exited).toBe(0);
    expect(out).toMatch(/session ended: quit\n$/);
    expect(err).toBe('');
  }, 60_000);

  it('with a pty (ssh -tt): the console, live, until q', async () => {
    const j = await liveJournal(sessions(), { name: 'b.jsonl', operator: 'bob' });
    t('new-session', '-d', '-s', 'remote', '-x', '160', '-y', '48', 'bash', '--norc', '--noprofile');
    t('send-keys', '-t', 'remote', "PS1='$ ' && clear && echo READY-$((40+2))", 'Enter');
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/^READY-42$/m);
    const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
    t('send-keys', '-t', 'remote', `ssh -tt ${ssh.map(quote).join(' ')} ${quote(follow())}`, 'Enter');
    await expect.poll(screen, { timeout: 20_000 }).toMatch(/◉ FOLLOWING {2}checkout-api/);
    expect(screen().split('\n')[1]).toMatch(/operator bob /);
    await j.add({ type: 'note/added', operator: 'bob', text: 'seen from afar' });
    await expect.poll(screen, { timeout: 5000 }).toMatch(/note \(bob\): seen from afar/);
    t('send-keys', '-t', 'remote', 'q');
    await expect.poll(screen, { timeout: 10_000 }).not.toMatch(/FOLLOWING/);
    // ssh has closed the connection once the local shell's prompt is back.
    await expect.poll(() => screen().trimEnd().split('\n').at(-1), { timeout: 10_000 }).toBe('$');
    t('send-keys', '-t', 'remote', 'echo EXIT=$?', 'Enter');
    await expect.poll(screen).toMatch(/EXIT=0/);
  }, 60_000);
});
