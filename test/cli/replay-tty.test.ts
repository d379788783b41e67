// `cutover replay` in a real terminal (tmux 160x45): the read-only console on the alternate
// screen, transport keys from the keyboard, and the shell's screen back after q.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needBinary } from '../support/binaries.js';

const tmux = needBinary('tmux', 'tmux');
const JOURNAL = 'fixtures/sessions/checkout-rolled-back.jsonl';

describe.skipIf(!tmux)('cutover replay on a terminal', () => {
  const session = `cutover-replay-${process.pid}`;
  const t = (...args: string[]) => execFileSync(tmux!, ['-L', session, ...args], { encoding: 'utf8' });
  const screen = () => t('capture-pane', '-p', '-t', session);
  afterAll(() => {
    try {
      t('kill-server');
    } catch {
      /* already gone */
    }
  });

  it('plays, seeks by key, shows no acting key, and restores the terminal on q', async () => {
    t('new-session', '-d', '-s', session, '-x', '160', '-y', '45', '-c', process.cwd(), 'bash', '--norc', '--noprofile');
    t('send-keys', '-t', session, "PS1='$ ' && clear && echo BEFORE-REPLAY-$((40+2))", 'Enter');
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/^BEFORE-REPLAY-42$/m);
    const cmd = `node bin/cutover replay ${JOURNAL} --speed 0.25`;
    t('send-keys', '-t', session, cmd, 'Enter');
    await expect.poll(screen, { timeout: 20_000 }).toMatch(/▶ REPLAY {2}checkout-api v2\.1\.0/);
    expect(screen().split('\n')[1]).toMatch(/^ ▶ 0\.25x T\+00:0\d \/ T\+02:30 /);
    t('send-keys', '-t', session, ' ');
    await expect.poll(() => screen().split('\n')[1]).toMatch(/^ ❚❚ 0\.25x /);
    t('send-keys', '-t', session, 'n');
    await expect.poll(screen).toMatch(/GO by alice: backup verified, green healthy/);
    t('send-keys', '-t', session, 'S-Right');
    await expect.poll(() => screen().split('\n')[1]).toMatch(/T\+01:45 \/ T\+02:30/);
    t('send-keys', '-t', session, '9');
    await expect.poll(() => screen().split('\n')[1]).toMatch(/T\+02:15 \/ T\+02:30/);
    expect(screen()).toMatch(/OK traffic by alice/);
    expect(screen()).not.toMatch(/roll back…|R roll back/);
    t('send-keys', '-t', session, 'q');
    await expect.poll(screen, { timeout: 10_000 }).not.toMatch(/▶ REPLAY/);
    t('send-keys', '-t', session, 'echo EXIT=$?', 'Enter');
    await expect.poll(screen).toMatch(/EXIT=0/);
    expect(screen()).toContain('BEFORE-REPLAY-42');
    expect(t('display', '-p', '-t', session, '#{cursor_flag}').trim()).toBe('1');
  }, 60_000);

  it('a journal edited after the fact: a NOT INTACT warning line under the status bar, with FILE:LINE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-replay-tty-'));
    try {
      const lines = readFileSync(JOURNAL, 'utf8').split('\n');
      const at = lines.findIndex((l) => l.includes('"gate/decided"'));
      lines[at] = lines[at].replace('backup verified, green healthy', 'all fine, nothing to see');
      const edited = join(dir, 'edited.jsonl');
      writeFileSync(edited, lines.join('\n'));
      t('send-keys', '-t', session, 'clear', 'Enter');
      t('send-keys', '-t', session, `node bin/cutover replay ${edited} --speed 0.25`, 'Enter');
      await expect.poll(screen, { timeout: 20_000 }).toMatch(/▶ REPLAY/);
      // The verdict comes once the chain is hashed (in steps, after indexing): the line appears then.
      await expect
        .poll(() => screen().split('\n')[1], { timeout: 10_000 })
        .toMatch(new RegExp(`^ ⚠ NOT INTACT {2}edited\\.jsonl:${at + 1}: edited: seq ${at + 1} does not match its hash`));
      expect(screen().split('\n')[2]).toMatch(/^ ▶ 0\.25x .*✗ NOT INTACT$/);
      t('send-keys', '-t', session, 'q');
      await expect.poll(screen, { timeout: 10_000 }).not.toMatch(/▶ REPLAY/);
      t('send-keys', '-t', session, 'echo EXIT=$?', 'Enter');
      await expect.poll(screen).toMatch(/EXIT=0/);
      // After the console, the verdict stays in the scrollback.
      expect(screen()).toMatch(new RegExp(`^${edited}:${at + 1}: edited: `, 'm'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
