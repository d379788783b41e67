// End to end in a real terminal: the console runs in tmux; a shell script in another process marks
// its timeline with `cutover mark`, the operator says GO at a gate that needs two people, the status
// bar says it waits, a second person approves through the socket, and the gate shows both names.
// On quit the socket file is gone.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/journal/index.js';
import type { SessionEvent } from '../../src/core/index.js';
import { ask } from '../../src/live/client.js';
import { socketPath } from '../../src/live/protocol.js';
import { needBinary } from '../support/binaries.js';
import { tempDir } from '../support/sshd.js';

const tmux = needBinary('tmux', 'tmux');
const bin = join(process.cwd(), 'bin', 'cutover');

describe.skipIf(!tmux)('tmux: marks and a second approver reach a live console', () => {
  let dir: string;
  const session = `cutover-live-${process.pid}`;
  const t = (...args: string[]) => execFileSync(tmux!, ['-L', session, ...args], { encoding: 'utf8' });
  const screen = () => t('capture-pane', '-p', '-t', session);

  beforeAll(() => {
    dir = tempDir('cutover-live-');
    mkdirSync(join(dir, 'state'), { mode: 0o700 });
    writeFileSync(
      join(dir, 'rb.yaml'),
      `name: live socket
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
    writeFileSync(
      join(dir, 'deploy.sh'),
      `log_step() { echo "$*"; "$NODE" "$CUTOVER" mark --kind phase "$*" || true; }\nlog_step "db migration 3/7"\n`,
    );
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
    t('send-keys', '-t', session, `cd ${dir} && PS1='$ ' && clear`, 'Enter');
  });

  afterAll(() => {
    try {
      t('kill-server');
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('a script marks the timeline; GO waits for dave, who approves; the socket is 0600, then gone', async () => {
    t('send-keys', '-t', session, `node ${bin} run -f rb.yaml`, 'Enter');
    await expect.poll(screen, { timeout: 20_000 }).toMatch(/2 Checklist/);
    const sessions = join(dir, 'state', 'cutover', 'sessions');
    const journal = join(sessions, readdirSync(sessions).find((f) => f.endsWith('.jsonl'))!);
    const sock = socketPath(journal);
    expect(statSync(sock).mode & 0o777).toBe(0o600);

    // A deploy script in another process: its log line shows in the console's timeline.
    const env = { ...process.env, XDG_STATE_HOME: join(dir, 'state'), USER: 'ci', NODE: process.execPath, CUTOVER: bin };
    const script = spawnSync('sh', [join(dir, 'deploy.sh')], { env, encoding: 'utf8' });
    expect(script.status).toBe(0);
    await expect.poll(screen).toMatch(/▶▶ db migration 3\/7 \(ci: sh deploy\.sh\)/);

    // The operator ticks the step and says GO: the console asks for a second person.
    t('send-keys', '-t', session, 'Enter');
    await expect.poll(screen).toMatch(/✓ A person checks/);
    await expect.poll(screen).toMatch(/▸ ◆ Carry on\?/);
    await expect
      .poll(() => {
        const s = screen();
        if (!/g GO · n NO-GO/.test(s)) t('send-keys', '-t', session, 'Enter');
        return s;
      })
      .toMatch(/g GO · n NO-GO/);
    t('send-keys', '-t', session, 'g');
    await expect.poll(screen).toMatch(/Reason \(optional\)/);
    t('send-keys', '-t', session, 'Enter');
    await expect.poll(screen).toMatch(/WAITING FOR A 2ND APPROVER: gate one GO \(request gate-one-go-\d+, by carol\)/);
    expect(screen().split('\n')[0]).toMatch(/WAITING FOR A 2ND APPROVER/);

    const events = () => readJournal<SessionEvent>(journal).entries.map((e) => e.event);
    const req = events().find((e) => e.type === 'approval/requested') as Extract<SessionEvent, { type: 'approval/requested' }>;
    const source = { user: 'dave', pid: process.pid, command: 'vitest' };
    expect(await ask(sock, { op: 'approve', request: req.id, decision: 'approve', by: 'carol', source })).toMatchObject({ ok: false });
    expect(await ask(sock, { op: 'approve', request: req.id, decision: 'approve', by: 'dave', source })).toMatchObject({ ok: true });
    await expect.poll(screen).toMatch(/Carry on\?\s+GO by carol, approved by dave/);
    expect(screen()).not.toMatch(/WAITING FOR A 2ND APPROVER/);

    t('send-keys', '-t', session, 'q');
    await expect.poll(screen).toMatch(/Quit\?/);
    t('send-keys', '-t', session, 'y');
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/journal: .*\.jsonl/);
    expect(existsSync(sock)).toBe(false);
    expect(events().map((e) => e.type)).toEqual(
      expect.arrayContaining(['mark/added', 'approval/requested', 'approval/decided', 'gate/decided']),
    );
  }, 60_000);
});
