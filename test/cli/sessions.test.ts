// `cutover sessions`: every journal of the sessions directory, newest first, with runbook,
// operator, start, duration, outcome and path, each read at its two ends (and, when a rollback
// decides the outcome, from its last rollback on).
import fs, { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { encodeLine } from '../../src/journal/index.js';
import { captureIo } from '../support/io.js';
import { abortedRecordedAsRolledBack, crashedMidRollback } from '../support/rollback-journals.js';

const home = mkdtempSync(join(tmpdir(), 'cutover-sessions-'));
const dir = join(home, 'cutover', 'sessions');
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** A journal line by line, chained. */
function journal(events: Record<string, unknown>[]): string {
  let prev = '0'.repeat(32);
  return events
    .map((e, i) => {
      const l = encodeLine(i + 1, prev, e as { type: string; t: number });
      prev = l.hash;
      return `${l.text}\n`;
    })
    .join('');
}

beforeAll(() => {
  mkdirSync(dir, { recursive: true });
  copyFileSync('fixtures/sessions/config-push-completed.jsonl', join(dir, '2026-11-21T22-00-00Z-config-push.jsonl'));
  copyFileSync('fixtures/sessions/checkout-rolled-back.jsonl', join(dir, '2026-11-21T22-00-00Z-checkout.jsonl'));
  // A session a day later that crashed (no session/ended) with a torn last line, and a big one.
  const started = JSON.parse(readFileSync('fixtures/sessions/config-push-completed.jsonl', 'utf8').split('\n')[0]);
  const { seq: _s, hash: _h, ...first } = started;
  const day = 86_400_000;
  const crashed = journal([
    { ...first, t: first.t + day, operator: 'dave' },
    { type: 'note/added', t: first.t + day + 90_000, operator: 'dave', text: 'x' },
  ]);
  writeFileSync(join(dir, 'crashed.jsonl'), `${crashed}{"seq":3,"type":"note/ad`);
  const notes = Array.from({ length: 60_000 }, (_, i) => ({
    type: 'note/added',
    t: first.t + 2 * day + i * 1000,
    operator: 'erin',
    text: `note ${i} `.padEnd(80, '.'),
  }));
  writeFileSync(
    join(dir, 'big.jsonl'),
    journal([
      { ...first, t: first.t + 2 * day, operator: 'erin' },
      ...notes,
      { type: 'session/ended', t: first.t + 2 * day + 60_000_000, outcome: 'aborted' },
    ]),
  );
  writeFileSync(join(dir, 'empty.jsonl'), '');
  writeFileSync(join(dir, 'garbage.jsonl'), 'this is not a journal\n');
  writeFileSync(join(dir, 'ignored.txt'), 'not a .jsonl file\n');
});

describe('cutover sessions', () => {
  it('lists newest first: runbook, operator, start, duration, outcome, path', async () => {
    const io = captureIo({ XDG_STATE_HOME: home });
    expect(await runCli(['sessions'], io)).toBe(0);
    const lines = io.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUNBOOK\s+OPERATOR\s+START \(UTC\)\s+DURATION\s+OUTCOME\s+PATH$/);
    const rows = lines.slice(1).map((l) => l.split(/\s{2,}/));
    const by = (name: string) => rows.find((r) => r.at(-1)!.endsWith(name))!;
    expect(by('big.jsonl')).toEqual(['config push (small)', 'erin', '2026-11-23 22:00Z', '16h40m', 'aborted', join(dir, 'big.jsonl')]);
    expect(by('crashed.jsonl')).toEqual([
      'config push (small)',
      'dave',
      '2026-11-22 22:00Z',
      '1m30s',
      'unfinished',
      join(dir, 'crashed.jsonl'),
    ]);
    expect(by('config-push.jsonl')).toEqual([
      'config push (small)',
      'carol',
      '2026-11-21 22:00Z',
      '1m35s',
      'completed',
      expect.stringContaining('config-push'),
    ]);
    expect(by('checkout.jsonl')).toEqual([
      'checkout-api v2.1.0 (blue-green)',
      'alice',
      '2026-11-21 22:00Z',
      '2m30s',
      'rolled-back',
      expect.stringContaining('checkout'),
    ]);
    expect(by('empty.jsonl').slice(3, 5)).toEqual(['-', 'empty']);
    expect(by('garbage.jsonl').slice(3, 5)).toEqual(['-', 'not a journal']);
    expect(io.stdout()).not.toMatch(/ignored\.txt/);
    const recorded = rows.filter((r) => r[0] !== '?').map((r) => r.at(-1)!.replace(`${dir}/`, ''));
    expect(recorded).toEqual([
      'big.jsonl',
      'crashed.jsonl',
      '2026-11-21T22-00-00Z-config-push.jsonl',
      '2026-11-21T22-00-00Z-checkout.jsonl',
    ]);
  });

  it('reads only the two ends of each journal, not the whole file', async () => {
    const spy = vi.spyOn(fs, 'readSync');
    try {
      const io = captureIo({ XDG_STATE_HOME: home });
      expect(await runCli(['sessions', '--dir', dir], io)).toBe(0);
      const asked = spy.mock.calls.reduce((n, c) => n + Number((c as unknown[])[3] ?? (c[1] as Buffer).length), 0);
      const big = fs.statSync(join(dir, 'big.jsonl')).size;
      expect(big).toBeGreaterThan(5_000_000);
      expect(asked).toBeLessThan(1_000_000);
    } finally {
      spy.mockRestore();
    }
  });

  it('lists a FIFO, a directory or a dangling link named .jsonl as unreadable instead of blocking or failing', async () => {
    const odd = join(home, 'odd');
    mkdirSync(odd);
    copyFileSync('fixtures/sessions/config-push-completed.jsonl', join(odd, 'ok.jsonl'));
    // Opening a FIFO for reading blocks until a writer comes: the listing would hang on it.
    execFileSync('mkfifo', [join(odd, 'fifo.jsonl')]);
    mkdirSync(join(odd, 'dir.jsonl'));
    fs.symlinkSync(join(odd, 'nowhere'), join(odd, 'dangling.jsonl'));
    const io = captureIo();
    expect(await runCli(['sessions', '--dir', odd], io)).toBe(0);
    const rows = io
      .stdout()
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s{2,}/));
    const by = (name: string) => rows.find((r) => r.at(-1)!.endsWith(name))!;
    expect(by('ok.jsonl')[4]).toBe('completed');
    expect(by('fifo.jsonl')[4]).toBe('unreadable (not a regular file)');
    expect(by('dir.jsonl')[4]).toBe('unreadable (not a regular file)');
    expect(by('dangling.jsonl')[4]).toBe('unreadable (ENOENT)');
  });

  it('a rollback decides the outcome, as in the report: a stale rolled-back, a crash mid-rollback', async () => {
    const rb = join(home, 'rollbacks');
    mkdirSync(rb);
    copyFileSync('fixtures/sessions/checkout-rolled-back.jsonl', join(rb, 'ok.jsonl'));
    // Written by a version that recorded `rolled-back` for any rollback, this one aborted.
    writeFileSync(join(rb, 'aborted.jsonl'), abortedRecordedAsRolledBack());
    writeFileSync(join(rb, 'crashed.jsonl'), `${crashedMidRollback()}{"seq":70,"type":"comm`);
    const io = captureIo();
    expect(await runCli(['sessions', '--dir', rb], io)).toBe(0);
    const rows = io
      .stdout()
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s{2,}/));
    const by = (name: string) => rows.find((r) => r.at(-1)!.endsWith(name))![4];
    expect(by('ok.jsonl')).toBe('rolled-back');
    expect(by('aborted.jsonl')).toBe('rollback-aborted (recorded as rolled-back)');
    expect(by('crashed.jsonl')).toBe('rollback-interrupted (unfinished)');
  });

  it('finds a rollback from the end of a big journal without reading all of it', async () => {
    const big = join(home, 'big-rollback');
    mkdirSync(big);
    writeFileSync(join(big, 'crashed.jsonl'), crashedMidRollback(60_000));
    expect(fs.statSync(join(big, 'crashed.jsonl')).size).toBeGreaterThan(5_000_000);
    const spy = vi.spyOn(fs, 'readSync');
    try {
      const io = captureIo();
      expect(await runCli(['sessions', '--dir', big], io)).toBe(0);
      expect(io.stdout()).toMatch(/rollback-interrupted \(unfinished\)/);
      const asked = spy.mock.calls.reduce((n, c) => n + Number((c as unknown[])[3] ?? (c[1] as Buffer).length), 0);
      expect(asked).toBeLessThan(1_000_000);
    } finally {
      spy.mockRestore();
    }
  });

  it('says so when there is no journal yet, exit 0', async () => {
    const io = captureIo({ XDG_STATE_HOME: join(home, 'nothing-here') });
    expect(await runCli(['sessions'], io)).toBe(0);
    expect(io.stdout()).toMatch(/^no recorded sessions in .*nothing-here\/cutover\/sessions\n$/);
  });
});

describe('a FIFO named like a journal', () => {
  it('report, replay and verify refuse it at once instead of blocking', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { runCli } = await import('../../src/cli/main.js');
    const { captureIo } = await import('../support/io.js');
    const dir = mkdtempSync(join(tmpdir(), 'cutover-fifo-'));
    const fifo = join(dir, 'x.jsonl');
    execFileSync('mkfifo', [fifo]);
    try {
      for (const cmd of ['report', 'replay', 'verify']) {
        const io = captureIo();
        expect(await runCli([cmd, fifo], io)).toBe(1);
        expect(io.stderr()).toMatch(/not a regular file/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
