// `cutover follow` without a terminal: the story as plain lines as the console journals it, until
// the session ends (exit 0); --latest; a journal that cannot be followed is one line and exit 1.
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { liveJournal, tempDir } from '../live/journal.js';
import { captureIo } from '../support/io.js';

const DONE = 'fixtures/sessions/config-push-completed.jsonl';
const ROLLED = 'fixtures/sessions/checkout-rolled-back.jsonl';

describe('cutover follow (not a TTY)', () => {
  it('prints the story as the console tells it, and exits 0 when the session ends', async () => {
    const j = await liveJournal(tempDir(), { operator: 'alice' });
    const io = captureIo();
    const code = runCli(['follow', j.path], io);
    await expect.poll(io.stdout).toMatch(/T\+00:00 · {2}session started by alice: checkout-api/);
    await j.add({ type: 'step/started', phase: 'pre', step: 'backup' });
    await expect.poll(io.stdout, { timeout: 5000 }).toMatch(/step backup started: Database backup verified\n$/);
    await j.add({ type: 'note/added', operator: 'alice', text: 'green looks good' });
    await expect.poll(io.stdout, { timeout: 5000 }).toMatch(/note \(alice\): green looks good\n$/);
    let settled = false;
    void code.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    await j.add({ type: 'session/ended', outcome: 'quit' });
    expect(await code).toBe(0);
    expect(io.stdout().trimEnd().split('\n').at(-1)).toMatch(/session ended: quit$/);
    expect(io.stderr()).toBe('');
  });

  it('an ended journal: the same story replay prints, then exit 0', async () => {
    const [follow, replay] = [captureIo(), captureIo()];
    expect(await runCli(['follow', DONE], follow)).toBe(0);
    expect(await runCli(['replay', DONE], replay)).toBe(0);
    expect(follow.stdout()).toBe(replay.stdout());
    expect(follow.stdout()).toMatch(/session ended: completed\n$/);
  });

  it('lines not taken as fact go to stderr as FILE:LINE, and are not in the story', async () => {
    const dir = tempDir();
    const lines = readFileSync(DONE, 'utf8').split('\n');
    lines.splice(
      3,
      0,
      '{"seq":4,"type":"gate/decided","t":1,"phase":"nope","decision":"go","operator":"x","hash":"00000000000000000000000000000000"}',
    );
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, lines.join('\n'));
    const io = captureIo();
    expect(await runCli(['follow', bad], io)).toBe(0);
    expect(io.stderr()).toMatch(/NOT INTACT: .*bad\.jsonl:4: the hash chain breaks here/);
    expect(io.stderr()).toMatch(/bad\.jsonl:4: .*; skipped/);
    expect(io.stdout()).not.toMatch(/nope/);
  });

  it('--latest follows the journal of the sessions directory written to last', async () => {
    const state = tempDir();
    const dir = join(state, 'cutover', 'sessions');
    mkdirSync(dir, { recursive: true });
    copyFileSync(ROLLED, join(dir, '2026-11-21T22-00-00Z-checkout.jsonl'));
    copyFileSync(DONE, join(dir, '2026-11-20T22-00-00Z-config.jsonl'));
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, '2026-11-21T22-00-00Z-checkout.jsonl'), old, old);
    const io = captureIo({ XDG_STATE_HOME: state });
    expect(await runCli(['follow', '--latest'], io)).toBe(0);
    expect(io.stdout().split('\n')[0]).toMatch(/session started by carol: config push/);
    utimesSync(join(dir, '2026-11-21T22-00-00Z-checkout.jsonl'), new Date(), new Date());
    const io2 = captureIo({ XDG_STATE_HOME: state });
    expect(await runCli(['follow', '--latest'], io2)).toBe(0);
    expect(io2.stdout().split('\n')[0]).toMatch(/checkout-api/);
  });

  it('cannot follow: one line naming the file, exit 1', async () => {
    const dir = tempDir();
    const text = join(dir, 'notes.jsonl');
    writeFileSync(text, 'hello, not a journal\n');
    const cases: [string[], RegExp][] = [
      [
        ['follow', join(dir, 'nope.jsonl')],
        /^cutover follow: .*nope\.jsonl: no such file; 'cutover sessions' lists the journals, or use --latest\n$/,
      ],
      [['follow', text], /^cutover follow: .*notes\.jsonl: not a cutover journal \(line 1: not valid JSON\)\n$/],
      [['follow', dir], /^cutover follow: .*: not a regular file, not a journal\n$/],
      [
        ['follow', '--latest'],
        /^cutover follow: no session journal in .*sessions; start one with 'cutover run', or name a journal file\n$/,
      ],
    ];
    for (const [argv, re] of cases) {
      const io = captureIo({ XDG_STATE_HOME: join(dir, 'empty-state') });
      expect(await runCli(argv, io)).toBe(1);
      expect(io.stderr()).toMatch(re);
      expect(io.stdout()).toBe('');
    }
  });

  it('usage mistakes exit 64 with one line', async () => {
    for (const argv of [
      ['follow'],
      ['follow', 'a', 'b'],
      ['follow', DONE, '--latest'],
      ['follow', DONE, '--approve'],
      ['follow', DONE, '--operator', 'x'],
    ]) {
      const io = captureIo();
      expect(await runCli(argv, io)).toBe(64);
      expect(io.stderr()).toMatch(/^cutover: follow: .*; usage: cutover follow/);
      expect(io.stderr().trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
