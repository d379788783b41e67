// A dropped SSH link: the terminal under `cutover run` hangs up while a step runs. The console must
// still end the session: the running command is cancelled, its exit journaled, session/ended last.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJournal, verifyChain } from '../../src/journal/index.js';
import { needBinary } from '../support/binaries.js';
import { tempDir } from '../support/sshd.js';

const tmux = needBinary('tmux', 'tmux');
const bin = join(process.cwd(), 'bin', 'cutover');

describe.skipIf(!tmux)('tmux: the terminal hangs up under cutover run', () => {
  const dir = tempDir('cutover-hangup-');
  const sock = `cutover-hangup-${process.pid}`;
  const t = (...args: string[]) => execFileSync(tmux!, ['-L', sock, ...args], { encoding: 'utf8' });
  afterAll(() => {
    try {
      t('kill-server');
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the cancelled command and session/ended (SIGHUP) even though the screen is gone', async () => {
    mkdirSync(join(dir, 'state'));
    writeFileSync(
      join(dir, 'rb.yaml'),
      `name: hangup
phases:
  - id: one
    title: One
    steps:
      - { id: long, title: A long step, local: { command: "trap '' TERM; echo started; sleep 30", shell: true } }
`,
    );
    // cutover is the pane's only process: killing the server closes its terminal, as a dropped link does.
    t(
      'new-session',
      '-d',
      '-s',
      'h',
      '-x',
      '120',
      '-y',
      '40',
      '-c',
      dir,
      '-e',
      `XDG_STATE_HOME=${join(dir, 'state')}`,
      process.execPath,
      bin,
      'run',
      '-f',
      'rb.yaml',
      '--operator',
      'erin',
    );
    const screen = () => t('capture-pane', '-p', '-t', 'h');
    await expect.poll(screen, { timeout: 15_000 }).toMatch(/▸ ○ A long step/);
    t('send-keys', '-t', 'h', 'Enter');
    const journal = () => {
      const d = join(dir, 'state', 'cutover', 'sessions');
      return existsSync(d)
        ? readdirSync(d)
            .filter((f) => f.endsWith('.jsonl'))
            .map((f) => join(d, f))[0]
        : undefined;
    };
    const events = () =>
      journal()
        ? readJournal(journal()!).entries.map((e) => e.event as { type: string; reason?: string; error?: string; signal?: string })
        : [];
    await expect.poll(() => events().some((e) => e.type === 'command/output'), { timeout: 10_000 }).toBe(true);
    t('kill-server');
    await expect.poll(() => events().at(-1)?.type, { timeout: 15_000 }).toBe('session/ended');
    const all = events();
    expect(all.at(-1)).toMatchObject({ type: 'session/ended', reason: 'SIGHUP received', outcome: 'aborted' });
    const exited = all.findIndex((e) => e.type === 'command/exited');
    expect(exited).toBeGreaterThan(0);
    expect(all[exited]).toMatchObject({ signal: 'SIGKILL' });
    expect(verifyChain(journal()!).ok).toBe(true);
  }, 60_000);
});
