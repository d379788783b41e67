// `cutover run --resume` runs what was reviewed: the runbook comes from the file, and a file that
// differs from the journal's (sha256) is refused with what changed, unless the operator accepts it
// with --accept-changed-runbook, which the journal records. A journal that is not intact is
// refused. Each journal here is what a console killed after the first step leaves: started, the
// first step passed, no session/ended. Steps are local commands (no sshd needed).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { reduceAll, type SessionEvent } from '../../src/core/index.js';
import { encodeLine, GENESIS_HASH, JournalWriter, readJournal, verifyChain } from '../../src/journal/index.js';
import { loadRunbookFile } from '../../src/runbook/index.js';
import { captureIo } from '../support/io.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-resume-rb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { XDG_STATE_HOME: join(dir, 'state'), USER: 'bob', PATH: process.env.PATH, HOME: dir };

const RUNBOOK = `name: shift traffic
phases:
  - id: prepare
    title: Prepare
    steps:
      - { id: hello, title: Say hello, local: { command: [echo, hello] } }
  - id: canary
    title: Canary
    steps:
      - { id: shift, title: Shift traffic, local: { command: [echo, shifting v1] } }
      - { id: verify, title: Verify, local: { command: [echo, verified] } }
rollback:
  levels:
    - { id: full, title: Full, steps: [{ id: undo, title: Undo, local: { command: [echo, undo] } }] }
`;

let n = 0;
/** A runbook file and the journal of a session on it that crashed after its first step passed. */
async function crashed(text = RUNBOOK, copy?: (rb: object) => object): Promise<{ file: string; journal: string }> {
  const file = join(dir, `deploy-${++n}.yaml`);
  const journal = join(dir, `session-${n}.jsonl`);
  writeFileSync(file, text);
  const loaded = loadRunbookFile(file, env);
  if (!loaded.runbook) throw new Error(loaded.problems[0].message);
  const w = await JournalWriter.create<SessionEvent>(journal);
  const t = Date.now() - 60_000;
  const runbook = (copy ? copy(loaded.runbook) : loaded.runbook) as typeof loaded.runbook;
  const events: SessionEvent[] = [
    {
      type: 'session/started',
      t,
      sessionId: 's1',
      runbook,
      runbookPath: file,
      runbookSha256: loaded.sha256!,
      operator: 'alice',
      mode: 'live',
      version: 't',
    },
    { type: 'step/started', t: t + 1, phase: 'prepare', step: 'hello', operator: 'alice' },
    { type: 'command/started', t: t + 1, cmd: 'hello#2@local', step: 'hello', host: 'local', command: 'echo hello' },
    { type: 'command/exited', t: t + 2, cmd: 'hello#2@local', host: 'local', code: 0, ms: 1 },
    { type: 'step/passed', t: t + 2, step: 'hello' },
  ];
  for (const e of events) await w.append(e);
  await w.close();
  return { file, journal };
}

const events = (journal: string) => readJournal<SessionEvent>(journal).entries.map((e) => e.event);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function resume(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(env);
  const code = await runCli(['run', ...args, '--yes'], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('run --resume: the runbook file against the journal', () => {
  it('same sha256: resumes from the path the journal recorded (and says so), runs the rest', async () => {
    const { file, journal } = await crashed();
    const r = await resume(['--resume', journal]);
    expect(r.err).toContain(`cutover run: runbook: ${file} (the path the journal recorded; -f names another)`);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/session resumed by bob after event 5$/m);
    expect(r.out).toMatch(/local \| shifting v1/);
    const resumed = events(journal).find((e) => e.type === 'session/resumed')!;
    expect(resumed).not.toHaveProperty('runbookChanges');
    expect(resumed).not.toHaveProperty('runbook');
    expect(verifyChain(journal)).toMatchObject({ ok: true });
  });

  it('an edited file is refused with one line naming what changed; nothing runs, the journal is untouched', async () => {
    const { file, journal } = await crashed();
    const before = sha(file);
    writeFileSync(
      file,
      RUNBOOK.replace('shifting v1', 'shifting v2')
        .replace('      - { id: verify', '      - { id: smoke, title: Smoke, local: { command: [echo, smoke] } }\n      - { id: verify')
        .replace(/rollback:[\s\S]*/, ''),
    );
    const bytes = readFileSync(journal);
    const r = await resume(['-f', file, '--resume', journal]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toEqual([
      `cutover run: ${file} changed since the journal started (sha256 ${before.slice(0, 8)}… → ${sha(file).slice(0, 8)}…): ` +
        'phase "canary": step "smoke" added, step "shift" command changed; rollback level "full" removed; ' +
        'nothing was run; to continue with the edited file pass --accept-changed-runbook',
    ]);
    expect(readFileSync(journal).equals(bytes)).toBe(true);
  });

  it('--accept-changed-runbook: runs the edited command; session/resumed carries the runbook, its sha256 and what changed', async () => {
    const { file, journal } = await crashed();
    writeFileSync(file, RUNBOOK.replace('shifting v1', 'shifting v2'));
    const r = await resume(['--resume', journal, '--accept-changed-runbook']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/changed since the journal started .*: phase "canary": step "shift" command changed; continuing with it/);
    expect(r.out).toMatch(/session resumed by bob after event 5; runbook changed: phase "canary": step "shift" command changed$/m);
    expect(r.out).toMatch(/local \| shifting v2/);
    expect(r.out).not.toMatch(/shifting v1/);
    const all = events(journal);
    const resumed = all.find((e) => e.type === 'session/resumed')!;
    expect(resumed).toMatchObject({
      runbookSha256: sha(file),
      runbookPath: file,
      runbookChanges: 'phase "canary": step "shift" command changed',
    });
    expect(all.find((e) => e.type === 'command/started' && e.step === 'shift')).toMatchObject({ command: "echo 'shifting v2'" });
    // Replay and report fold the same events: the state follows the runbook the session continued with.
    const shift = reduceAll(all).session!.runbook.phases[1].steps[0];
    expect(shift.local?.command).toEqual(['echo', 'shifting v2']);
    expect(verifyChain(journal)).toMatchObject({ ok: true });

    // A second resume compares with the runbook the journal recorded last: the accepted one.
    expect(await resumesAgain(journal)).toBe(true);

    // Replay tells the resume as the console did; a session/resumed whose runbook is not one is a problem line, not a fact.
    const io = captureIo(env);
    expect(await runCli(['replay', journal], io)).toBe(0);
    expect(io.stdout()).toMatch(/! {2}session resumed by bob after event 5; runbook changed: phase "canary": step "shift" command changed/);
    const report = captureIo(env);
    expect(await runCli(['report', journal], report)).toBe(0);
    expect(report.stdout()).toMatch(/session resumed by bob after event 5; runbook changed: phase "canary": step "shift" command changed/);
    const forged = rechain(journal, (e) => (e.type === 'session/resumed' ? { ...e, runbook: { name: 'x', phases: 'none' } } : e));
    const bad = captureIo(env);
    await runCli(['replay', forged], bad);
    const at = events(journal).findIndex((e) => e.type === 'session/resumed') + 1;
    expect(bad.stdout() + bad.stderr()).toMatch(new RegExp(`${forged}:${at}: session/resumed: runbook\\.phases`));
  });

  it('same sha256: the steps run from the file, not from the journal copy (which may be redacted)', async () => {
    const { journal } = await crashed(RUNBOOK, (rb) => JSON.parse(JSON.stringify(rb).replace('shifting v1', '[REDACTED]')));
    const r = await resume(['--resume', journal]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/local \| shifting v1/);
  });

  it('--accept-changed-runbook: the accepted runbook is journaled redacted, like the copy in session/started', async () => {
    const { file, journal } = await crashed();
    const token = `ghp_${'A1b2C3d4'.repeat(5)}`;
    writeFileSync(file, RUNBOOK.replace('[echo, shifting v1]', `[echo, 'shifting with ${token}']`));
    const r = await resume(['--resume', journal, '--accept-changed-runbook']);
    expect(r.code).toBe(0);
    const resumed = events(journal).find((e) => e.type === 'session/resumed');
    expect(JSON.stringify(resumed)).toContain('[REDACTED]');
    expect(readFileSync(journal, 'utf8')).not.toContain(token);
  });

  it('--accept-changed-runbook does not drop a step the journal has a record of', async () => {
    const { file, journal } = await crashed();
    writeFileSync(file, RUNBOOK.replace(/ {6}- \{ id: hello.*\n/, '      - { id: hi, title: Say hi, local: { command: [echo, hi] } }\n'));
    const bytes = readFileSync(journal);
    const r = await resume(['--resume', journal, '--accept-changed-runbook']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/step "hello" is in the journal \(started\) but not in this runbook; the journal's record needs it/);
    expect(readFileSync(journal).equals(bytes)).toBe(true);
  });

  it('a difference only where the journal copy is redacted is named as such', async () => {
    const secret = RUNBOOK.replace('[echo, hello]', '[echo, "token=s3cr3t-value"]');
    const { file, journal } = await crashed(secret, (rb) => JSON.parse(JSON.stringify(rb).replace('s3cr3t-value', '[REDACTED]')));
    writeFileSync(file, `# reviewed again\n${secret}`);
    const r = await resume(['--resume', journal]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /changed since the journal started \(sha256 .*\): changed in ways the journal's copy cannot show \(redacted values, comments or formatting\); nothing was run/,
    );
  });

  it('a journal whose chain is broken is refused with the first bad line', async () => {
    const { file, journal } = await crashed();
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[1] = lines[1].replace('"operator":"alice"', '"operator":"mallory"');
    writeFileSync(journal, lines.join('\n'));
    const bytes = readFileSync(journal);
    const r = await resume(['-f', file, '--resume', journal]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^cutover run: ${journal}:2: edited: .*; a journal that is not intact is not resumed`));
    expect(r.out).toBe('');
    expect(readFileSync(journal).equals(bytes)).toBe(true);
  });

  it('the recorded runbook is gone and no -f: one line saying to pass -f', async () => {
    const { file, journal } = await crashed();
    rmSync(file);
    const r = await resume(['--resume', journal]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`cutover run: ${journal}: its runbook ${file} is gone; pass -f RUNBOOK to name the runbook to continue with\n`);
    expect(existsSync(file)).toBe(false);
  });
});

/** Crashes the session again (its journal up to session/resumed, chained anew) and resumes it with the accepted file: no refusal. */
async function resumesAgain(journal: string): Promise<boolean> {
  const all = events(journal);
  const copy = rechain(journal, (e) => e, all.findIndex((e) => e.type === 'session/resumed') + 1);
  const r = await resume(['--resume', copy]);
  return r.code === 0 && !/changed since/.test(r.err);
}

/** A copy of the journal's first `count` events, each passed through `edit`, with a valid chain. */
function rechain(journal: string, edit: (e: SessionEvent) => object, count = Infinity): string {
  const path = `${journal}.${++n}`;
  let prev = GENESIS_HASH;
  const lines = events(journal)
    .slice(0, count)
    .map((e, i) => {
      const l = encodeLine(i + 1, prev, edit(e) as SessionEvent);
      prev = l.hash;
      return `${l.text}\n`;
    });
  writeFileSync(path, lines.join(''), { mode: 0o600 });
  return path;
}
