// The canary judge in the report: each change of verdict with its figures (counts, U, p, shift and
// interval, effect size, class) and the operator's decision, read back from a journal.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../support/io.js';
import { chain } from '../support/rollback-journals.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-judge-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Raw = { type: string; t: number } & Record<string, unknown>;

const metric = (cls: string, t: number) => ({
  panel: 'p95_canary',
  group: 'p95_canary',
  critical: true,
  mustHaveData: false,
  confidence: 0.98,
  window: { start: t - 600_000, end: t, step: 15_000 },
  class: cls,
  canaryCount: 40,
  baselineCount: 40,
  canaryMean: 0.41,
  baselineMean: 0.2,
  u: 1600,
  p: 1.2e-14,
  estimate: 0.21,
  lower: 0.19,
  upper: 0.23,
  effect: 2.05,
  why: '98% interval of the shift lies above +0.0525 (tolerance 0.25 × |estimate|), effect 2.05× ≥ 1',
});

function journal(): string {
  const lines = readFileSync('fixtures/sessions/checkout-rolled-back.jsonl', 'utf8').split('\n').filter(Boolean);
  const events = lines.map((l) => {
    const { seq: _s, hash: _h, ...e } = JSON.parse(l) as Raw;
    return e as Raw;
  });
  const t0 = events[0].t;
  const verdict = (t: number, score: number, verdict: string, cls: string): Raw => ({
    type: 'judge/verdict',
    t,
    score,
    verdict,
    pass: 95,
    marginal: 75,
    metrics: [metric(cls, t)],
    ...(score === 0 ? { forced: 'critical p95_canary is High' } : {}),
  });
  const added: Raw[] = [
    verdict(t0 + 60_000, 80, 'marginal', 'Pass'),
    { type: 'judge/decided', t: t0 + 61_000, decision: 'go', operator: 'alice', score: 80, reason: 'within noise' },
    verdict(t0 + 90_000, 80, 'marginal', 'Pass'),
    verdict(t0 + 120_000, 0, 'fail', 'High'),
  ];
  // Into the session in time order: each after the events of its moment (a stable merge).
  const merged: Raw[] = [];
  for (const e of events) {
    while (added.length && added[0].t < e.t) merged.push(added.shift()!);
    merged.push(e);
  }
  return chain([...merged, ...added]);
}

describe('cutover report: canary judgments', () => {
  it('tells each change of verdict with its figures, and the decision', async () => {
    const path = join(dir, 'j.jsonl');
    writeFileSync(path, journal());
    const io = captureIo();
    const code = await runCli(['report', path], io);
    const md = io.stdout();
    expect(code, md.slice(0, 1500)).toBe(0);
    expect(md).toMatch(/^## Canary judgments$/m);
    expect(md).toMatch(/^- T\+01:00 canary score 80 of 100: MARGINAL \(pass ≥ 95, marginal ≥ 75\)$/m);
    expect(md).toMatch(/^- T\+01:01 canary judge: GO by alice at score 80: within noise$/m);
    // The second marginal judgment is no change: not told again.
    expect(md).not.toMatch(/^- T\+01:30 canary score/m);
    expect(md).toMatch(/^- T\+02:00 canary score 0 of 100: FAIL .*; 0 because critical p95_canary is High$/m);
    expect(md).toMatch(
      /^\| p95 canary vs baseline \| HIGH \| 40 vs 40 values, U 1600, p 1\.2e-14, shift \+210ms \[\+190ms, \+230ms\] 98%, effect 2\.05× \| 98% interval/m,
    );
    // The timeline tells the fail with the figures too.
    expect(md).toMatch(/^- T\+02:00 !! canary score 0 of 100: FAIL .*p95_canary HIGH \(40 vs 40 values, U 1600/m);
    const json = captureIo();
    expect(await runCli(['report', path, '--format', 'json'], json)).toBe(0);
    const r = JSON.parse(json.stdout());
    expect(r.judgments.map((j: { verdict: string; decision?: unknown }) => [j.verdict, Boolean(j.decision)])).toEqual([
      ['marginal', false],
      ['marginal', true],
      ['fail', false],
    ]);
  });
});
