// `cutover run` without a terminal: plain timeline lines, exit 3 at a gate without --yes.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { readJournal, verifyChain } from '../../src/journal/index.js';
import { captureIo } from '../support/io.js';
import { failWrites } from '../support/disk-full.js';

let dir: string;
const rb = (name: string, failing = false) => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
phases:
  - id: one
    title: First
    steps:
      - { id: hello, title: Say hello, local: { command: [echo, "hello \\u001b[2J world"] } }
      - { id: maybe, title: Maybe fail, local: { command: [sh, -c, "exit ${failing ? 4 : 0}"] } }
    gate: { title: Carry on? }
  - id: two
    title: Second
    steps:
      - { id: bye, title: Say bye, local: { command: [echo, bye] } }
`,
  );
  return file;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-run-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ XDG_STATE_HOME: join(dir, 'state'), USER: 'erin', PATH: process.env.PATH, HOME: dir });

describe('cutover run (not a TTY)', () => {
  it('prints the timeline as plain lines and stops at a gate with exit 3', async () => {
    const io = captureIo(env());
    expect(await runCli(['run', '-f', rb('gated')], io)).toBe(3);
    const out = io.stdout();
    expect(out).toMatch(/^\d\d:\d\d:\d\d T\+00:00 session started by erin: gated$/m);
    expect(out).toMatch(/local \| hello {2}world/);
    expect(out).toMatch(/stopped at gate "Carry on\?": a person decides/);
    expect(out).not.toMatch(/\x1b/);
    expect(out).toMatch(/^journal: .*gated\.jsonl$/m);
  });

  it('with --yes it says go, finishes, and exits 0; the journal verifies', async () => {
    const io = captureIo(env());
    expect(await runCli(['run', '-f', rb('unattended'), '--yes'], io)).toBe(0);
    expect(io.stdout()).toMatch(/gate one: GO by erin: unattended run \(--yes\)/);
    expect(io.stdout()).toMatch(/session ended: completed/);
    const sessions = join(dir, 'state', 'cutover', 'sessions');
    const file = join(sessions, readdirSync(sessions).find((f) => f.endsWith('.jsonl') && f.includes('unattended'))!);
    expect(verifyChain(file)).toMatchObject({ ok: true });
    expect(readJournal(file).entries.at(-1)?.event).toMatchObject({ type: 'session/ended', outcome: 'completed' });
  });

  it('a failed step exits 1 and says which', async () => {
    const io = captureIo(env());
    expect(await runCli(['run', '-f', rb('failing', true), '--yes'], io)).toBe(1);
    expect(io.stdout()).toMatch(/step 'maybe' failed: exit 4/);
  });

  it('a broken runbook or layout is reported FILE:LINE:COL with exit 65', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: x\nphases: []\n');
    const io = captureIo(env());
    expect(await runCli(['run', '-f', bad], io)).toBe(65);
    expect(io.stderr()).toBe(`${bad}:2:9: phases must list at least 1 item\n`);
    const layout = join(dir, 'layout.yaml');
    writeFileSync(layout, 'name: mine\nrows:\n  - columns: [ { pane: helth } ]\n');
    const io2 = captureIo(env());
    expect(await runCli(['run', '-f', rb('layout-check'), '--layout', layout], io2)).toBe(65);
    expect(io2.stderr()).toMatch(
      new RegExp(`^${layout}:3:24: pane must be one of health, checklist, timeline, rollback, not the string "helth"\\n$`),
    );
  });

  it('--resume of a session that already ended is refused in one line, and the journal is left as it was', async () => {
    const io = captureIo(env());
    expect(await runCli(['run', '-f', rb('ended-once'), '--yes'], io)).toBe(0);
    const sessions = join(dir, 'state', 'cutover', 'sessions');
    const file = join(sessions, readdirSync(sessions).find((f) => f.endsWith('.jsonl') && f.includes('ended-once'))!);
    const before = readFileSync(file, 'utf8');
    const again = captureIo(env());
    expect(await runCli(['run', '--resume', file], again)).toBe(1);
    expect(again.stderr()).toMatch(
      new RegExp(
        `^cutover run: ${file}: this session already ended \\(completed, \\S+\\); an ended session is not resumed: start a new one with cutover run -f \\S+ended-once.yaml\\n$`,
      ),
    );
    expect(again.stdout()).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('when the journal cannot write: NOT RECORDING on stderr, the next step refused, the rest in a fallback file, exit 74', async () => {
    failWrites((bytes) => !bytes.includes('"session/started"'));
    const io = captureIo({ ...env(), TMPDIR: dir });
    try {
      expect(await runCli(['run', '-f', rb('disk-full'), '--yes'], io)).toBe(74);
    } finally {
      vi.restoreAllMocks();
    }
    expect(io.stderr()).toMatch(/^cutover: NOT RECORDING: journal \S+disk-full\.jsonl: write failed \(ENOSPC/m);
    expect(io.stdout()).toMatch(/cannot run step 'maybe': NOT RECORDING \(ENOSPC\)/);
    const fallback = /they are in (\S+) \(0600\)/.exec(io.stderr())![1];
    expect(fallback.startsWith(dir)).toBe(true);
    const kept = readFileSync(fallback, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; seq: number });
    expect(kept[0].seq).toBe(2);
    expect(kept.at(-1)).toMatchObject({ type: 'session/ended', outcome: 'failed' });
    const sessions = join(dir, 'state', 'cutover', 'sessions');
    const file = join(sessions, readdirSync(sessions).find((f) => f.endsWith('.jsonl') && f.includes('disk-full'))!);
    expect(readJournal(file).entries.map((e) => e.event.type)).toEqual(['session/started']);
  });

  it('a journal that cannot be created: one line, nothing run, exit 74', async () => {
    const notADir = join(dir, 'state-is-a-file');
    writeFileSync(notADir, 'x');
    const io = captureIo({ ...env(), XDG_STATE_HOME: notADir });
    expect(await runCli(['run', '-f', rb('no-journal'), '--yes'], io)).toBe(74);
    expect(io.stderr()).toMatch(
      /^cutover run: cannot create the sessions directory \S+ \((ENOTDIR|EEXIST|ENOENT)\): make it writable, or set XDG_STATE_HOME to a directory that is; nothing was run\n$/,
    );
    expect(io.stdout()).toBe('');
  });
});
