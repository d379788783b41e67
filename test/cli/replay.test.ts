// `cutover replay` without a terminal: the timeline's story (or every event) as plain lines from --start-at; usage
// mistakes exit 64 with one line; an unreadable journal exits 1.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../support/io.js';

const JOURNAL = 'fixtures/sessions/config-push-completed.jsonl';

describe('cutover replay (not a TTY)', () => {
  it('prints the story the timeline pane tells, each line marked as the pane marks it, then exits 0', async () => {
    const io = captureIo();
    expect(await runCli(['replay', JOURNAL], io)).toBe(0);
    const lines = io.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(27);
    expect(lines[0]).toBe('22:00:00 T+00:00 ·  session started by carol: config push (small)');
    expect(lines).toContain(
      '22:00:24 T+00:24 !! web2.internal exit 1 after 3s: 1 line, last: "Job for nginx.service failed: stale pid file"',
    );
    expect(lines).toContain('22:00:24 T+00:24 !! step reload failed: 1/2 ok; 1 failed');
    expect(lines.at(-1)).toBe('22:01:35 T+01:35 ok session ended: completed');
    // Output is summed up in the exit's line, never a line of its own.
    expect(lines.filter((l) => / \| /.test(l))).toEqual([]);
    expect(io.stderr()).toBe('');
  });

  it('--events prints every event as a timeline line', async () => {
    const io = captureIo();
    expect(await runCli(['replay', JOURNAL, '--events'], io)).toBe(0);
    const lines = io.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(30);
    expect(lines[0]).toBe('22:00:00 T+00:00 session started by carol: config push (small)');
    expect(lines).toContain('22:00:24 T+00:24 step reload failed: 1/2 ok; 1 failed');
    expect(lines.at(-1)).toBe('22:01:35 T+01:35 session ended: completed');
  });

  it('--start-at starts at that session time', async () => {
    const io = captureIo();
    expect(await runCli(['replay', JOURNAL, '--start-at', 'T+01:00', '--speed', '4', '--skip-idle'], io)).toBe(0);
    expect(io.stdout().split('\n')[0]).toBe('22:01:00 T+01:00 ok gate push: GO by carol: config diff reviewed with Dana');
  });

  it.each([
    [[], /name exactly one journal file/],
    [[JOURNAL, JOURNAL], /name exactly one journal file/],
    [[JOURNAL, '--speed', '100'], /--speed 100 is not a speed from 0.25 to 64/],
    [[JOURNAL, '--speed', 'fast'], /--speed fast is not a speed/],
    [[JOURNAL, '--start-at', 'soon'], /--start-at soon is not a session time; write it like T\+05:30/],
    [[JOURNAL, '--loop'], /Unknown option '--loop'/],
  ])('%j is a usage mistake: exit 64, one line', async (args, msg) => {
    const io = captureIo();
    expect(await runCli(['replay', ...(args as string[])], io)).toBe(64);
    expect(io.stderr()).toMatch(msg);
    expect(io.stderr().trimEnd().split('\n')).toHaveLength(1);
  });

  it('a journal that does not exist: exit 1 and what to do', async () => {
    const io = captureIo();
    expect(await runCli(['replay', 'nowhere.jsonl'], io)).toBe(1);
    expect(io.stderr()).toBe("cutover replay: nowhere.jsonl: no such file; 'cutover sessions' lists the recorded journals\n");
  });

  it('--help names the keys', async () => {
    const io = captureIo();
    expect(await runCli(['replay', '--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/space pause\/play, ←\/→ 10 s, Shift\+←\/→ 1 min/);
  });
});
