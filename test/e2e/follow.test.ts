// End to end in two real terminals: tmux session "console" runs `cutover run`, tmux session
// "follower" runs `cutover follow --latest` on the same sessions directory. What the operator does
// at the console shows on the follower within the poll deadline; the follower has no acting key;
// when the console quits, the follower says ENDED and stays until q.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needBinary } from '../support/binaries.js';
import { tempDir } from '../support/sshd.js';

const tmux = needBinary('tmux', 'tmux');
const bin = join(process.cwd(), 'bin', 'cutover');

describe.skipIf(!tmux)('tmux: cutover follow beside cutover run', () => {
  let dir: string;
  const server = `cutover-follow-${process.pid}`;
  const t = (...args: string[]) => execFileSync(tmux!, ['-L', server, ...args], { encoding: 'utf8' });
  const screen = (s: string) => () => t('capture-pane', '-p', '-t', s);
  const con = screen('console');
  const fol = screen('follower');
  const shell = (name: string, user: string) => {
    t(
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      '160',
      '-y',
      '48',
      '-e',
      `XDG_STATE_HOME=${join(dir, 'state')}`,
      '-e',
      `USER=${user}`,
      'bash',
      '--norc',
      '--noprofile',
    );
    t('send-keys', '-t', name, `cd ${dir} && PS1='$ ' && clear && echo READY-$((40+2))`, 'Enter');
  };

  beforeAll(() => {
    dir = tempDir('cutover-follow-');
    mkdirSync(join(dir, 'state'));
    writeFileSync(
      join(dir, 'rb.yaml'),
      `name: follow smoke
phases:
  - id: one
    title: First phase
    steps:
      - { id: hello, title: Say hello, local: { command: [echo, hello from the step] } }
      - { id: tick, title: A person checks, manual: true }
rollback:
  levels:
    - id: undo
      title: Undo everything
      steps:
        - { id: undo-1, title: Undo, local: { command: [echo, undone] } }
`,
    );
    writeFileSync(
      join(dir, 'two.yaml'),
      `name: two people
phases:
  - id: one
    title: First phase
    steps:
      - { id: tick, title: A person checks, manual: true }
    gate: { title: Carry on?, approvals: 2 }
  - id: two
    title: Second phase
    steps:
      - { id: bye, title: Say bye, local: { command: [echo, bye] } }
`,
    );
    shell('console', 'carol');
    shell('follower', 'dave');
  });

  afterAll(() => {
    try {
      t('kill-server');
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows the console live, read-only, and stays on ENDED until q', async () => {
    await expect.poll(con, { timeout: 15_000 }).toMatch(/^READY-42$/m);
    await expect.poll(fol, { timeout: 15_000 }).toMatch(/^READY-42$/m);
    t('send-keys', '-t', 'console', `node ${bin} run -f rb.yaml --operator carol`, 'Enter');
    await expect.poll(con, { timeout: 20_000 }).toMatch(/2 Checklist/);
    t('send-keys', '-t', 'follower', `node ${bin} follow --latest`, 'Enter');
    await expect.poll(fol, { timeout: 20_000 }).toMatch(/◉ FOLLOWING {2}follow smoke/);
    expect(fol().split('\n')[1]).toMatch(/operator carol {2}up to date/);
    for (const pane of ['1 Health', '2 Checklist', '3 Timeline', '4 Rollback']) expect(fol()).toContain(pane);

    // The operator runs the first step at the console: the follower shows it too (the 1 s budget is
    // follow.bench.mjs's to measure; a loaded test machine gets a few seconds here).
    t('send-keys', '-t', 'console', 'Enter');
    await expect.poll(con, { timeout: 10_000 }).toMatch(/✓ Say hello/);
    await expect.poll(fol, { timeout: 5000 }).toMatch(/✓ Say hello/);
    await expect.poll(fol, { timeout: 5000 }).toMatch(/local exit 0 after [^:]+: 1 line, last: "hello from the step"/);

    // No key of the follower acts: Enter on the manual step, R, s, a change nothing at the console.
    t('send-keys', '-t', 'follower', '2', 'Down', 'Enter', 'R', 'Y', 's', 'a', 'y');
    t('send-keys', '-t', 'follower', '?');
    await expect.poll(fol).toMatch(/Keys \(any key closes\)/);
    expect(fol()).not.toMatch(/roll back…|abort rollback…|skip…|enter\s+tick|approve|refuse/);
    t('send-keys', '-t', 'follower', 'Escape');
    await expect.poll(fol).not.toMatch(/Keys \(any key closes\)/);
    expect(con()).toMatch(/○ A person checks/);

    // The console quits: the follower says ENDED, and stays.
    t('send-keys', '-t', 'console', 'q');
    await expect.poll(con).toMatch(/Quit\?/);
    t('send-keys', '-t', 'console', 'y');
    await expect.poll(con, { timeout: 10_000 }).toMatch(/journal: .*\.jsonl/);
    await expect.poll(fol, { timeout: 5000 }).toMatch(/■ ENDED: /);
    expect(fol()).toMatch(/session ended .* q quits/);
    await new Promise((r) => setTimeout(r, 500));
    expect(fol()).toMatch(/■ ENDED: /);
    t('send-keys', '-t', 'follower', 'q');
    await expect.poll(fol, { timeout: 10_000 }).not.toMatch(/ENDED/);
    t('send-keys', '-t', 'follower', 'echo EXIT=$?', 'Enter');
    await expect.poll(fol).toMatch(/EXIT=0/);
    expect(fol()).toContain('READY-42');
    expect(t('display', '-p', '-t', 'follower', '#{cursor_flag}').trim()).toBe('1');
  }, 90_000);

  it('a second person approves a gate from the follower: a self-approval is refused, another name goes through', async () => {
    for (const [name, out] of [
      ['console', con],
      ['follower', fol],
    ] as const) {
      t('send-keys', '-t', name, 'clear && echo AGAIN-$((40+2))', 'Enter');
      await expect.poll(out, { timeout: 10_000 }).toMatch(/^AGAIN-42$/m);
    }
    t('send-keys', '-t', 'console', `node ${bin} run -f two.yaml --operator carol`, 'Enter');
    await expect.poll(con, { timeout: 20_000 }).toMatch(/2 Checklist/);
    // carol ticks the manual step, opens the gate and says GO: the console asks for a second person.
    const enterUntil = (done: RegExp) =>
      expect
        .poll(() => {
          const s = con();
          if (!done.test(s)) t('send-keys', '-t', 'console', 'Enter');
          return s;
        })
        .toMatch(done);
    await enterUntil(/✓ A person checks/);
    await enterUntil(/g GO · n NO-GO/);
    t('send-keys', '-t', 'console', 'g');
    await expect.poll(con).toMatch(/Reason \(optional\)/);
    t('send-keys', '-t', 'console', 'Enter');
    await expect.poll(con).toMatch(/WAITING FOR A 2ND APPROVER: gate one GO/);

    // carol herself, from a follower: the console refuses, and the follower shows its answer.
    t('send-keys', '-t', 'follower', `node ${bin} follow --latest --approve --operator carol`, 'Enter');
    await expect.poll(fol, { timeout: 20_000 }).toMatch(/⚑ carol asks approval: gate one GO {2}a approve · r refuse/);
    t('send-keys', '-t', 'follower', 'a');
    await expect.poll(fol).toMatch(/APPROVE: gate one GO/);
    t('send-keys', '-t', 'follower', 'y');
    await expect.poll(fol).toMatch(/Reason \(optional\):/);
    t('send-keys', '-t', 'follower', 'Enter');
    await expect.poll(fol).toMatch(/✗ the console said no: .*carol/);
    expect(con()).toMatch(/WAITING FOR A 2ND APPROVER/);
    t('send-keys', '-t', 'follower', 'q');
    await expect.poll(fol, { timeout: 10_000 }).not.toMatch(/FOLLOWING/);

    // dave ($USER in the follower's terminal) approves, with a reason: the gate opens at the console.
    t('send-keys', '-t', 'follower', `node ${bin} follow --latest --approve`, 'Enter');
    await expect.poll(fol, { timeout: 20_000 }).toMatch(/a approve · r refuse/);
    t('send-keys', '-t', 'follower', 'a');
    await expect.poll(fol).toMatch(/You answer as dave/);
    t('send-keys', '-t', 'follower', 'y');
    await expect.poll(fol).toMatch(/Reason \(optional\):/);
    t('send-keys', '-t', 'follower', '-l', 'dashboards green');
    await expect.poll(fol).toMatch(/> dashboards green/);
    t('send-keys', '-t', 'follower', 'Enter');
    await expect.poll(fol, { timeout: 5000 }).toMatch(/✓ approved gate one GO: the console took it/);
    await expect.poll(con, { timeout: 5000 }).toMatch(/Carry on\?\s+GO by carol, approved by dave/);
    await expect.poll(fol, { timeout: 5000 }).not.toMatch(/asks approval/);
    await expect.poll(fol, { timeout: 5000 }).toMatch(/request gate-one-go-\d+ approved by dave: dashboards green/);
    t('send-keys', '-t', 'follower', 'q');
    t('send-keys', '-t', 'console', 'q');
    await expect.poll(con).toMatch(/Quit\?/);
    t('send-keys', '-t', 'console', 'y');
    await expect.poll(con, { timeout: 10_000 }).toMatch(/journal: .*\.jsonl/);
  }, 120_000);
});
