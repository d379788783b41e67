// End to end, a full disk: the journal lives on a tiny tmpfs that the test fills once the session
// has started. In a real terminal (tmux, 160x48) the recording mark must turn red and say why,
// forward steps must be refused, a rollback must still run, and on quit the unwritten events must
// land in a 0600 fallback file that completes the journal, with exit code 74.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal, verifyChain } from '../../src/journal/index.js';
import { needBinary } from '../support/binaries.js';
import { tempDir } from '../support/sshd.js';
import { fillUp, mountTmpfs, type Tmpfs } from '../support/tmpfs.js';

const tmux = needBinary('tmux', 'tmux');
const bin = join(process.cwd(), 'bin', 'cutover');
// Mounted while collecting, so that a machine that may not mount skips the suite with the reason.
const dir = tmux ? tempDir('cutover-full-disk-') : '';
const disk: Tmpfs | undefined = tmux ? (mkdirSync(join(dir, 'state')), mountTmpfs(join(dir, 'state'), '256k')) : undefined;
if (tmux && !disk) rmSync(dir, { recursive: true, force: true });

describe.skipIf(!tmux || !disk)('tmux: cutover run with its journal on a full disk', () => {
  const session = `cutover-full-disk-${process.pid}`;
  const state = join(dir, 'state');
  const sessions = join(state, 'cutover', 'sessions');
  const fallbackDir = join(dir, 'fallback');
  const forward = join(dir, 'ran-forward');
  const rolledBack = join(dir, 'rolled-back');
  const t = (...args: string[]) => execFileSync(tmux!, ['-L', session, ...args], { encoding: 'utf8' });
  // -J joins wrapped lines: the closing message is longer than the terminal is wide.
  const screen = () => t('capture-pane', '-p', '-J', '-t', session);
  const lines = () => screen().split('\n');
  const keys = (...k: string[]) => t('send-keys', '-t', session, ...k);

  beforeAll(() => {
    mkdirSync(fallbackDir);
    writeFileSync(
      join(dir, 'rb.yaml'),
      `name: full disk
phases:
  - id: one
    title: First phase
    steps:
      - { id: noisy, title: Print a lot, local: { command: [seq, "1", "20000"] } }
      - { id: forward, title: Touch the marker, local: { command: [touch, ${forward}] } }
rollback:
  levels:
    - id: undo
      title: Undo everything
      expected: 1m
      steps:
        - { id: undo-1, title: Undo, local: { command: [touch, ${rolledBack}] } }
`,
    );
    // TMPDIR is ours and off the tmpfs, so the fallback file lands where the test looks for it.
    t(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '160',
      '-y',
      '48',
      '-e',
      `XDG_STATE_HOME=${state}`,
      '-e',
      `TMPDIR=${fallbackDir}`,
      '-e',
      'USER=carol',
      'bash',
      '--norc',
      '--noprofile',
    );
    keys(`cd ${dir} && PS1='$ ' && clear && echo BEFORE-CUTOVER-$((40+2))`, 'Enter');
  });

  afterAll(() => {
    try {
      t('kill-server');
    } catch {
      /* already gone */
    }
    disk?.unmount();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a red NOT RECORDING, refuses a step, still rolls back, and leaves a fallback file with exit 74', async () => {
    await expect.poll(screen, { timeout: 15_000 }).toMatch(/^BEFORE-CUTOVER-42$/m);
    // The exit code is echoed by the shell once cutover is gone; $? is not expanded on the typed line.
    keys(`node ${bin} run -f rb.yaml --operator carol; echo EXIT=$?`, 'Enter');
    await expect.poll(screen, { timeout: 20_000 }).toMatch(/● REC {2}full disk/);
    // Keys count only once the console reads them raw: an Enter typed before that reaches it as a
    // line feed (the tty's ICRNL), which it ignores. So wait for the terminal to leave canonical mode.
    const tty = t('display', '-p', '-t', session, '#{pane_tty}').trim();
    await expect
      .poll(() => execFileSync('stty', ['-F', tty, '-a'], { encoding: 'utf8' }), { timeout: 10_000 })
      .toMatch(/(^|\s)-icanon(\s|$)/);

    // Given the session has journaled its start, when the disk fills up...
    const started = () => {
      const f = existsSync(sessions) ? readdirSync(sessions).find((n) => n.endsWith('.jsonl')) : undefined;
      const text = f ? readFileSync(join(sessions, f), 'utf8') : '';
      return text.includes('"type":"session/started"') && text.endsWith('\n') ? join(sessions, f!) : undefined;
    };
    await expect.poll(started, { timeout: 10_000 }).toBeDefined();
    const journal = started()!;
    fillUp(join(state, 'filler'));

    // ...a step's output cannot be written: the recording mark turns into a red NOT RECORDING with the reason.
    keys('Enter');
    await expect.poll(() => lines()[0], { timeout: 10_000 }).toMatch(/^ NOT RECORDING: no space left on device \(ENOSPC\) {2}full disk/);
    await expect.poll(screen).toMatch(/✓ Print a lot/);
    expect(markSgr(t('capture-pane', '-p', '-e', '-t', session).split('\n')[0])).toEqual(expect.arrayContaining(['7', '31']));

    // A forward step is refused, says why in the footer (the binding's name, then core's reason), and does not run.
    // (Enter moved the cursor on to the next step when the first one started; a move by hand lifts Enter's settle time there.)
    await expect.poll(screen).toMatch(/▸ ○ Touch the marker/);
    keys('Up', 'Down', 'Enter');
    await expect
      .poll(() => lines().filter(Boolean).at(-1))
      .toMatch(/^ run step: NOT RECORDING \(ENOSPC\): only roll back, abort, no-go and quit work/);
    expect(screen()).toMatch(/▸ ○ Touch the marker/);
    expect(existsSync(forward)).toBe(false);

    // A rollback is never blocked: R on the rollback pane, then capital Y, and it runs to the end.
    keys('4');
    await expect.poll(screen).toMatch(/╔═ 4 Rollback/);
    keys('R');
    await expect.poll(screen).toMatch(/Y roll back now \(capital Y\)/);
    keys('Y');
    await expect.poll(() => existsSync(rolledBack), { timeout: 10_000 }).toBe(true);
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/OK undo by carol/);
    expect(screen()).toMatch(/✓ Undo/);
    // Still not recording: nothing has freed the disk, and the mark says so until writes succeed.
    expect(lines()[0]).toMatch(/^ NOT RECORDING: no space left on device \(ENOSPC\)/);
    expect(existsSync(forward)).toBe(false);

    // Quit works too; after the console has left the screen, the shell shows what was lost and where it went.
    keys('q');
    await expect.poll(screen).toMatch(/Quit\?/);
    keys('y');
    await expect.poll(screen, { timeout: 15_000 }).toMatch(/^EXIT=\d+$/m);
    const after = screen();
    expect(after).toMatch(/^EXIT=74$/m);
    expect(after).toContain('BEFORE-CUTOVER-42');
    expect(after).not.toContain('2 Checklist');
    const told =
      /^cutover: the journal (\S+) is INCOMPLETE: (\d+) events? could not be written to it; they are in (\S+) \(0600\)\. Once there is room: cat (\S+) >> (\S+) && cutover verify (\S+)$/m.exec(
        after,
      );
    expect(told, after).not.toBeNull();
    const [, journalNamed, count, fallback, catFrom, catTo, verifyArg] = told!;
    const expectedFallback = join(fallbackDir, `${basename(journal, '.jsonl')}.unwritten.jsonl`);
    expect([journalNamed, fallback, catFrom, catTo, verifyArg]).toEqual([journal, expectedFallback, expectedFallback, journal, journal]);

    // The fallback file: 0600, and the events the journal could not hold, continuing its chain.
    expect(statSync(fallback).mode & 0o777).toBe(0o600);
    const written = readJournal(journal);
    expect(written.problems).toEqual([]);
    expect(verifyChain(journal)).toMatchObject({ ok: true, torn: false });
    const lost = readFileSync(fallback, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { seq: number; type: string; ok?: boolean; level?: string; operator?: string });
    expect(lost).toHaveLength(Number(count));
    expect(lost[0].seq).toBe(written.entries.at(-1)!.seq + 1);
    expect(lost.map((e) => e.seq)).toEqual(lost.map((_, i) => lost[0].seq + i));
    expect(lost).toContainEqual(expect.objectContaining({ type: 'rollback/confirmed', level: 'undo', operator: 'carol' }));
    expect(lost).toContainEqual(expect.objectContaining({ type: 'rollback/finished', level: 'undo', ok: true }));
    expect(lost.at(-1)).toMatchObject({ type: 'session/ended', outcome: 'rolled-back' });

    // The documented recovery: once there is room, append the fallback and verify the whole chain.
    rmSync(join(state, 'filler'));
    execFileSync('sh', ['-c', 'cat "$1" >> "$2"', 'sh', fallback, journal]);
    const verify = spawnSync(process.execPath, [bin, 'verify', journal], { encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`intact, ${written.entries.length + lost.length} events`);
    const types = readJournal(journal).entries.map((e) => e.event.type);
    expect(types[0]).toBe('session/started');
    expect(types).toContain('rollback/finished');
    expect(types.at(-1)).toBe('session/ended');
  }, 90_000);
});

/** The SGR parameters in force where the recording mark starts on a `capture-pane -e` line (a 0 resets them). */
function markSgr(line: string): string[] {
  let on: string[] = [];
  for (const m of line.slice(0, line.indexOf('NOT RECORDING')).matchAll(/\x1b\[([\d;]*)m/g))
    for (const p of m[1].split(';')) on = p === '0' || p === '' ? [] : [...on, p];
  return on;
}
