// The report's outcome agrees with its rollback section and with `cutover sessions`: a stale
// `rolled-back` from an older version gives way to the run; a crash mid-rollback says so.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../support/io.js';
import { abortedRecordedAsRolledBack, crashedMidRollback } from '../support/rollback-journals.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-outcome-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report(text: string, format: 'md' | 'json'): Promise<string> {
  const path = join(dir, `j-${format}.jsonl`);
  writeFileSync(path, text);
  const io = captureIo();
  expect(await runCli(['report', path, '--format', format], io)).toBe(0);
  expect(io.stderr()).toBe('');
  return io.stdout();
}

describe('cutover report: the outcome', () => {
  it('an aborted rollback recorded as rolled-back reads rollback-aborted, the record mentioned', async () => {
    const r = JSON.parse(await report(abortedRecordedAsRolledBack(), 'json'));
    expect(r.summary).toMatchObject({ outcome: 'rollback-aborted', recordedOutcome: 'rolled-back' });
    expect(r.rollbacks).toEqual([
      expect.objectContaining({
        level: 'traffic',
        status: 'aborted',
        aborted: expect.objectContaining({ operator: 'alice', reason: 'green is not ready' }),
      }),
    ]);
    const md = await report(abortedRecordedAsRolledBack(), 'md');
    expect(md).toMatch(/^\| Outcome \| \*\*rollback-aborted\*\* \(recorded as rolled-back\) \(errors on blue after the 50% shift\) \|$/m);
    expect(md).toMatch(/^- Result: \*\*aborted\*\*/m);
  });

  it('a crash mid-rollback: the rollback-interrupted outcome, unfinished, and the run unfinished', async () => {
    const r = JSON.parse(await report(crashedMidRollback(), 'json'));
    expect(r.summary).toMatchObject({ outcome: 'rollback-interrupted' });
    expect(r.summary).not.toHaveProperty('end');
    expect(r.summary).not.toHaveProperty('recordedOutcome');
    expect(r.rollbacks[0]).toMatchObject({ status: 'unfinished' });
    expect(await report(crashedMidRollback(), 'md')).toMatch(/^\| Outcome \| \*\*rollback-interrupted\*\* \(unfinished\) \|$/m);
  });

  it('a rollback the session ended while it ran: interrupted in the header and in the section', async () => {
    // What the ending journals: its cancel makes the runner record a finish that is not ok.
    const lines = crashedMidRollback()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const t = lines.at(-1).t + 1000;
    const { chain } = await import('../support/rollback-journals.js');
    const strip = lines.map(({ seq: _s, hash: _h, ...e }) => e);
    const text = chain([
      ...strip,
      { type: 'command/exited', t, cmd: 'confirm#1@local', host: 'local', code: null, error: 'cancelled', ms: 1000 },
      { type: 'rollback/step', t, level: 'traffic', step: 'confirm', status: 'failed', error: 'cancelled' },
      { type: 'rollback/finished', t, level: 'traffic', ok: false, ms: 5000 },
      { type: 'session/ended', t, outcome: 'rollback-interrupted', reason: 'SIGTERM received' },
    ]);
    const r = JSON.parse(await report(text, 'json'));
    expect(r.summary).toMatchObject({ outcome: 'rollback-interrupted' });
    expect(r.rollbacks[0]).toMatchObject({ status: 'interrupted', interruptedBy: 'end' });
    const md = await report(text, 'md');
    expect(md).toMatch(/^\| Outcome \| \*\*rollback-interrupted\*\* \(SIGTERM received\) \|$/m);
    expect(md).toMatch(/^- Result: \*\*interrupted\*\*; .* \(until the session ended\)/m);
    expect(md).toMatch(/^- The session ended while this rollback ran: its commands were cancelled; check the hosts\.$/m);
  });
});
