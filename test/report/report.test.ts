// `cutover report` over journals recorded with the real code (fixtures/sessions: three from
// record-sessions.ts, and demo-degrade.jsonl from `cutover demo --yes`, on ssh2 hosts and
// simulated metrics), compared with golden files beside them. UPDATE_GOLDEN=1 rewrites them.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../support/io.js';

const JOURNALS = ['checkout-rolled-back', 'config-push-completed', 'checkout-resumed', 'demo-degrade'];
const dir = mkdtempSync(join(tmpdir(), 'cutover-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report(path: string, format: 'md' | 'json'): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await runCli(['report', path, '--format', format], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

function golden(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  expect(existsSync(file), `${file} is missing; run with UPDATE_GOLDEN=1 to create it`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('cutover report (golden)', () => {
  it.each(JOURNALS)('%s: markdown and json match the goldens', async (name) => {
    const path = `fixtures/sessions/${name}.jsonl`;
    const md = await report(path, 'md');
    expect(md).toMatchObject({ code: 0, err: '' });
    golden(`fixtures/sessions/${name}.report.md`, md.out);
    const json = await report(path, 'json');
    expect(json.code).toBe(0);
    golden(`fixtures/sessions/${name}.report.json`, json.out);
  });

  it('covers what a post-mortem needs', async () => {
    const r = JSON.parse((await report('fixtures/sessions/checkout-rolled-back.jsonl', 'json')).out);
    expect(r.summary).toMatchObject({
      runbook: 'checkout-api v2.1.0 (blue-green)',
      operator: 'alice',
      outcome: 'rolled-back',
      start: { at: '2026-11-21T22:00:00Z' },
      end: { elapsed: 'T+02:30' },
    });
    expect(r.phases[0]).toMatchObject({ title: 'Pre-deployment validation', plannedMs: 120_000, actualMs: 35_000, status: 'done' });
    expect(r.gates).toEqual([
      expect.objectContaining({ elapsed: 'T+00:45', decision: 'go', operator: 'alice', reason: 'backup verified, green healthy' }),
    ]);
    expect(r.triggers).toEqual([
      expect.objectContaining({
        trigger: 'errors-high',
        elapsed: 'T+01:55',
        value: '8%',
        check: '> 0.05',
        threshold: '> 5%',
        holdingSince: 'T+01:25',
      }),
    ]);
    expect(r.rollbacks[0]).toMatchObject({
      level: 'traffic',
      status: 'ok',
      expectedMs: 120_000,
      actualMs: 4000,
      hosts: [
        { host: 'lb1.internal', result: 'ok', code: 0, ms: 4000 },
        { host: 'local', result: 'ok' },
      ],
    });
    expect(r.notes.map((n: { text: string }) => n.text)).toEqual([
      'blue takes 50% now; watching the error rate',
      'errors climbing on blue: rolling traffic back',
    ]);
    const firing = r.decisions.find((d: { what: string }) => d.what.startsWith('trigger errors-high FIRING'));
    expect(firing.health).toEqual([
      { panel: 'error_rate', title: 'Error rate', value: '8%', status: 'crit' },
      { panel: 'p95_canary', title: 'p95 canary vs baseline', value: 'canary 300ms = 1.5× baseline 200ms', status: 'ok' },
    ]);
  });

  it('a crash mid-rollback shows as interrupted, the host in flight as unknown', async () => {
    const r = JSON.parse((await report('fixtures/sessions/checkout-resumed.jsonl', 'json')).out);
    expect(r.summary.resumed).toEqual([expect.objectContaining({ elapsed: 'T+03:20', operator: 'bob' })]);
    expect(r.rollbacks[0]).toMatchObject({
      level: 'code',
      status: 'interrupted',
      hosts: [
        { host: 'app-b1.internal', result: 'ok' },
        { host: 'app-b2.internal', result: 'unknown', error: 'outcome unknown (console restarted)' },
      ],
    });
    expect(r.rollbacks[1]).toMatchObject({ level: 'traffic', status: 'ok', operator: 'bob' });
  });

  it('skips a malformed line with its line number, and tolerates a torn last line', async () => {
    const lines = readFileSync('fixtures/sessions/config-push-completed.jsonl', 'utf8').split('\n');
    lines[4] = '{"seq":5,"type":"note/added","t":1,"hash":"00000000000000000000000000000000"}';
    const path = join(dir, 'damaged.jsonl');
    writeFileSync(path, `${lines.join('\n')}{"seq":31,"type":"not`);
    const r = await report(path, 'md');
    // The report is written, and says at its top (and the exit code says) that it cannot be taken as it reads.
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      [
        `cutover report: ${path}: NOT INTACT ('cutover verify ${path}' tells more)`,
        `${path}:5: edited: seq 5 does not match its hash: the line was changed after it was written`,
        `${path}:5: note/added: operator expected string, received undefined; skipped`,
        // Line 5 was the lint command's start: its output and exit now belong to no command.
        `${path}:6: command/output of command 'lint#1@local', which no command/started before it began; skipped`,
        `${path}:7: command/exited of command 'lint#1@local', which no command/started before it began; skipped`,
        '',
      ].join('\n'),
    );
    expect(r.out).toMatch(/\| Journal \| .*damaged\.jsonl: 27 events, 3 lines skipped \(see the top\) \|/);
  });

  it('exit 1 for a missing file or something that is not a journal; 64 for a bad format', async () => {
    expect((await report(join(dir, 'nope.jsonl'), 'md')).err).toMatch(/nope\.jsonl: no such file/);
    const junk = join(dir, 'junk.jsonl');
    writeFileSync(junk, 'hello\n');
    const r = await report(junk, 'md');
    expect(r).toMatchObject({ code: 1 });
    expect(r.err).toMatch(/junk\.jsonl:1: not valid JSON; skipped\n.*not a cutover journal/s);
    const io = captureIo();
    expect(await runCli(['report', junk, '--format', 'pdf'], io)).toBe(64);
    expect(io.stderr()).toMatch(/--format pdf: use md or json/);
  });
});
