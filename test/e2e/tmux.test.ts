// End to end in a real terminal: tmux (160x48) runs `cutover run`, keys are sent with send-keys,
// the screen is read with capture-pane, and after quitting the terminal is back to the shell.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal, verifyChain } from '../../src/journal/index.js';
import { needBinary } from '../support/binaries.js';
import { tempDir } from '../support/sshd.js';

const tmux = needBinary('tmux', 'tmux');
const bin = join(process.cwd(), 'bin', 'cutover');

describe.skipIf(!tmux)('tmux: cutover run in a real terminal', () => {
  let dir: string;
  const session = `cutover-e2e-${process.pid}`;
  const t = (...args: string[]) => execFileSync(tmux!, ['-L', session, ...args], { encoding: 'utf8' });
  const screen = () => t('capture-pane', '-p', '-t', session);
  /**
   * Enter on an item the cursor moved to by itself is refused for a moment after it is drawn:
   * press until `done` shows (a press that lands as the cursor moves on again is refused the same way).
   */
  const enterUntil = (done: RegExp) =>
    expect
      .poll(() => {
        const s = screen();
        if (!done.test(s)) t('send-keys', '-t', session, 'Enter');
        return s;
      })
      .toMatch(done);

  beforeAll(() => {
    dir = tempDir('cutover-tmux-');
    mkdirSync(join(dir, 'state'));
    writeFileSync(
      join(dir, 'rb.yaml'),
      `name: tmux smoke
phases:
  - id: one
    title: First phase
    steps:
      - { id: hello, title: Say hello, local: { command: [echo, hello from the step] } }
      - { id: tick, title: A person checks, manual: true }
    gate: { title: Carry on? }
  - id: two
    title: Second phase
    steps:
      - { id: bye, title: Say bye, local: { command: [echo, bye] } }
rollback:
  levels:
    - id: undo
      title: Undo everything
      expected: 1m
      steps:
        - { id: undo-1, title: Undo, local: { command: [echo, undone] } }
`,
    );
    // A shell first, so that after cutover exits we can see what the terminal shows.
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
      `XDG_STATE_HOME=${join(dir, 'state')}`,
      '-e',
      'USER=carol',
      'bash',
      '--norc',
      '--noprofile',
    );
    // $((...)) so that the marker appears in the output only, not in the typed command line.
    t('send-keys', '-t', session, `cd ${dir} && PS1='$ ' && clear && echo BEFORE-CUTOVER-$((40+2))`, 'Enter');
  });

  afterAll(() => {
    try {
      t('kill-server');
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the four panes, runs steps from the keyboard, and restores the terminal on quit', async () => {
    await expect.poll(screen, { timeout: 15_000 }).toMatch(/^BEFORE-CUTOVER-42$/m);
    t('send-keys', '-t', session, `node ${bin} run -f rb.yaml --operator carol`, 'Enter');
    await expect.poll(screen, { timeout: 20_000 }).toMatch(/2 Checklist/);
    const first = screen();
    for (const pane of ['1 Health', '2 Checklist', '3 Timeline', '4 Rollback']) expect(first).toContain(pane);
    // The status bar is the first line: nothing scrolled the frame off the top.
    expect(first.split('\n')[0]).toMatch(/● REC {2}tmux smoke/);

    // Live resize: below 120 columns the stacked layout takes over, and back.
    t('resize-window', '-t', session, '-x', '100', '-y', '48');
    await expect.poll(() => rowsOf(screen(), ['1 Health', '2 Checklist', '4 Rollback', '3 Timeline'])).toBe(true);
    t('resize-window', '-t', session, '-x', '160', '-y', '48');
    await expect.poll(() => rowsOf(screen(), ['1 Health', '3 Timeline'])).toBe(true);
    await expect
      .poll(() =>
        screen()
          .split('\n')
          .find((l) => l.includes('1 Health'))
          ?.includes('2 Checklist'),
      )
      .toBe(true);

    // A double press (both Enters in one send-keys): the first runs the step and the cursor moves
    // on; the second is refused on the item it moved to, which nobody has read yet.
    t('send-keys', '-t', session, 'Enter', 'Enter');
    await expect.poll(screen).toMatch(/✓ Say hello/);
    await expect.poll(screen).toMatch(/tick: just moved here: read it, then press Enter again \("A person checks"\)/);
    expect(screen()).toMatch(/▸ ○ A person checks/);
    // The timeline tells the command's exit with its output summed up (output is not a line of its own).
    await expect.poll(screen).toMatch(/local exit 0 after [^:]+: 1 line, last: "hello from the step"/);
    // A step that starts moves the cursor on to the next item.
    await expect.poll(screen).toMatch(/▸ ○ A person checks/);
    // Once it has been on screen a moment (the settle time), Enter acts on it.
    await enterUntil(/✓ A person checks/);
    await expect.poll(screen).toMatch(/▸ ◆ Carry on\?/);
    await enterUntil(/g GO · n NO-GO/);
    t('send-keys', '-t', session, 'g');
    await expect.poll(screen).toMatch(/Reason \(optional\)/);
    t('send-keys', '-t', session, '-l', 'all good');
    await expect.poll(screen).toMatch(/> all good/);
    t('send-keys', '-t', session, 'Enter');
    await expect.poll(screen).toMatch(/GO by carol: all good/);
    // After many frames the picture has not drifted: status bar on line 1, pane titles on line 2.
    const lines = screen().split('\n');
    expect(lines[0]).toMatch(/● REC {2}tmux smoke/);
    expect(lines[1]).toMatch(/1 Health.*2 Checklist/);
    expect(lines.filter((l) => l.includes('● REC'))).toHaveLength(1);

    t('send-keys', '-t', session, '?');
    await expect.poll(screen).toMatch(/Keys \(any key closes\)/);
    t('send-keys', '-t', session, 'Escape');
    await expect.poll(screen).not.toMatch(/Keys \(any key closes\)/);

    t('send-keys', '-t', session, 'q');
    await expect.poll(screen).toMatch(/Quit\?/);
    t('send-keys', '-t', session, 'y');
    // Back on the normal screen: the shell's own lines are there, the console is not.
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/journal: .*\.jsonl/);
    const after = screen();
    expect(after).toContain('BEFORE-CUTOVER-42');
    expect(after).not.toContain('2 Checklist');
    t('send-keys', '-t', session, 'echo EXIT=$?', 'Enter');
    await expect.poll(screen).toMatch(/EXIT=1/); // quit before the end: not "done"
    // The cursor is visible again (cutover hid it on the alternate screen).
    expect(t('display', '-p', '-t', session, '#{cursor_flag}').trim()).toBe('1');

    const dirJ = join(dir, 'state', 'cutover', 'sessions');
    const [file] = readdirSync(dirJ).filter((f) => f.endsWith('.jsonl'));
    expect(verifyChain(join(dirJ, file))).toMatchObject({ ok: true });
    const types = readJournal(join(dirJ, file)).entries.map((e) => e.event.type);
    expect(types[0]).toBe('session/started');
    expect(types).toContain('gate/decided');
    expect(types.at(-1)).toBe('session/ended');
  }, 60_000);

  it('SIGTERM ends the session and restores the terminal too', async () => {
    t('send-keys', '-t', session, 'clear && echo SECOND-RUN-$((2+2))', 'Enter');
    await expect.poll(screen, { timeout: 15_000 }).toMatch(/^SECOND-RUN-4$/m);
    t('send-keys', '-t', session, `node ${bin} run -f rb.yaml --operator dave`, 'Enter');
    await expect.poll(screen, { timeout: 15_000 }).toMatch(/2 Checklist/);
    execFileSync('pkill', ['-TERM', '-f', 'rb.yaml --operator dave']);
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/journal: .*\.jsonl/);
    expect(screen()).toContain('SECOND-RUN-4');
    expect(screen()).not.toContain('2 Checklist');
    expect(t('display', '-p', '-t', session, '#{cursor_flag}').trim()).toBe('1');
    const dirJ = join(dir, 'state', 'cutover', 'sessions');
    const newest = readdirSync(dirJ)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .at(-1)!;
    const last = readJournal(join(dirJ, newest)).entries.at(-1)?.event;
    expect(last).toMatchObject({ type: 'session/ended', reason: 'SIGTERM received' });
  }, 60_000);
});

/** True when each title is on a line below the one before it (one pane per row, in that order). */
function rowsOf(text: string, titles: string[]): boolean {
  const lines = text.split('\n');
  const at = titles.map((t) => lines.findIndex((l) => l.includes(t)));
  return at.every((v, i) => v >= 0 && (i === 0 || v > at[i - 1]));
}
