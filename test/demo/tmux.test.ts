// `cutover demo` as a newcomer runs it: in a real terminal (tmux, 160x48), the four panes come
// up on the simulated fleet, a step runs over SSH on a demo host, and quitting leaves nothing:
// no process, no temporary directory, the shell's screen back.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needBinary } from '../support/binaries.js';
import { tempDir } from '../support/sshd.js';
import { BIN, processesUnder } from './cli-child.js';

const tmux = needBinary('tmux', 'tmux');

describe.skipIf(!tmux)('tmux: cutover demo in a real terminal', () => {
  let dir: string;
  const server = `cutover-demo-e2e-${process.pid}`;
  const t = (...args: string[]) => execFileSync(tmux!, ['-L', server, ...args], { encoding: 'utf8' });
  const screen = () => t('capture-pane', '-p', '-t', server);

  beforeAll(() => {
    dir = tempDir('cutover-demo-tmux-');
    mkdirSync(join(dir, 'tmp'));
    mkdirSync(join(dir, 'state'));
    t(
      'new-session',
      '-d',
      '-s',
      server,
      '-x',
      '160',
      '-y',
      '48',
      '-e',
      `TMPDIR=${join(dir, 'tmp')}`,
      '-e',
      `XDG_STATE_HOME=${join(dir, 'state')}`,
      '-e',
      'USER=erin',
      'bash',
      '--norc',
      '--noprofile',
    );
    t('send-keys', '-t', server, `cd ${process.cwd()} && PS1='$ ' && clear && echo BEFORE-DEMO`, 'Enter');
  });

  afterAll(() => {
    try {
      t('kill-server');
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the four panes on the simulated fleet and exits cleanly', async () => {
    await expect.poll(screen).toMatch(/BEFORE-DEMO/);
    t('send-keys', '-t', server, `node ${BIN} demo`, 'Enter');
    await expect.poll(screen, { timeout: 30_000 }).toMatch(/2 Checklist/);
    // The first demo of this user opens with the keys that matter, over the panes, until a key closes it.
    expect(screen()).toMatch(/cutover demo: a deploy that goes wrong/);
    expect(screen()).toMatch(/R, then Y +roll back by hand/);
    t('send-keys', '-t', server, 'Enter');
    await expect.poll(screen).not.toMatch(/a deploy that goes wrong/);
    const first = screen();
    for (const pane of ['1 Health', '2 Checklist', '3 Timeline: story', '4 Rollback']) expect(first).toContain(pane);
    expect(first.split('\n')[0]).toMatch(/● REC {2}checkout-api v2\.1\.0 \(blue-green, three gates\)/);
    // The Enter that closed the hint did nothing else: the change request is not ticked.
    expect(first).toMatch(/▸ ○ Change request approved/);
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/(prometheus|simulated) ok/);
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/Error rate\s+0\.0\d+%\s+OK/);

    // Tick the change request, then run the backup on the demo's database host over SSH.
    t('send-keys', '-t', server, 'Enter');
    await expect.poll(screen).toMatch(/✓ Change request approved/);
    // The tick moved the cursor on: the backup is selected, its command and host shown before Enter.
    await expect.poll(screen).toMatch(/▸ ○ Database backup taken and verified/);
    expect(screen()).toMatch(/ssh db \(1 host\): backup create pre-v2\.1\.0/);
    // Enter acts on it once it has been on screen a moment (the settle time): press until it starts
    // and the cursor moves on (a press that lands on the next item then is refused the same way).
    await expect
      .poll(() => {
        const s = screen();
        if (/▸ ○ Database backup taken and verified/.test(s)) t('send-keys', '-t', server, 'Enter');
        return s;
      })
      .not.toMatch(/▸ ○ Database backup taken and verified/);
    await expect.poll(screen, { timeout: 15_000 }).toMatch(/✓ Database backup taken and verified/);
    // The timeline tells the exit over SSH with the output's last line.
    await expect.poll(screen).toMatch(/db1\.internal exit 0 after [^:]+: \d+ lines?, last: "db1\.internal: /);

    t('send-keys', '-t', server, 'q');
    await expect.poll(screen).toMatch(/Quit\?/);
    t('send-keys', '-t', server, 'y');
    // The shell's prompt is back once the fleet is stopped (a real Prometheus takes a moment).
    await expect.poll(screen, { timeout: 15_000 }).toMatch(/journal: .*\.jsonl\n\$ *\n*$/);
    const after = screen();
    expect(after).toContain('BEFORE-DEMO');
    expect(after).toMatch(/cutover demo: .*blue-green-gates\.yaml on a simulated fleet/);
    expect(after).not.toContain('2 Checklist');
    t('send-keys', '-t', server, 'echo EXIT=$?', 'Enter');
    await expect.poll(screen).toMatch(/EXIT=1/);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(processesUnder(dir).filter((p) => !/bash --norc|tmux/.test(p))).toEqual([]);
    expect(readdirSync(join(dir, 'state', 'cutover', 'sessions')).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1);
  }, 60_000);
});
