// Kayenta's classifier rule and its weighted score, on values whose answer is plain by eye; and a
// judge trigger (`judge < marginal` with `for`) fed judgments on a fake clock.
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import { reduceAll } from '../../src/core/index.js';
import { selectJudge } from '../../src/core/select-judge.js';
import { refusal } from '../../src/core/refusal.js';
import { TriggerEvaluator } from '../../src/drivers/triggers.js';
import { classify } from '../../src/judge/classify.js';
import type { JudgedMetric, Judgment } from '../../src/judge/judge.js';
import { score, type ScoredMetric } from '../../src/judge/score.js';
import { loadRunbookText } from '../../src/runbook/index.js';

const base = Array.from({ length: 20 }, (_, i) => 100 + (i % 5));
const shifted = (by: number) => base.map((v) => v + by);

describe('classify (Kayenta MannWhitneyClassifier)', () => {
  it('a canary clearly above its baseline is High, with counts, interval and effect size', () => {
    const c = classify(shifted(20), base);
    expect(c.class).toBe('High');
    expect(c).toMatchObject({ canaryCount: 20, baselineCount: 20, u: 400, estimate: 20 });
    expect(c.lower!).toBeGreaterThan(0.25 * 20);
    expect(c.effect).toBeCloseTo(122 / 102, 10);
  });

  it('below is Low, and only when the direction allows it', () => {
    expect(classify(shifted(-20), base).class).toBe('Low');
    expect(classify(shifted(-20), base, { direction: 'increase' }).class).toBe('Pass');
    expect(classify(shifted(20), base, { direction: 'decrease' }).class).toBe('Pass');
  });

  it('a real shift smaller than allowedIncrease is Pass (the effect-size gate)', () => {
    const c = classify(shifted(20), base, { allowedIncrease: 1.3 });
    expect(c.class).toBe('Pass');
    expect(c.why).toMatch(/effect 1\.2× < allowedIncrease 1\.3/);
  });

  it('overlapping samples are Pass: the interval reaches the tolerance band', () => {
    const c = classify(shifted(1), base);
    expect(c.lower!).toBeLessThanOrEqual(0.25 * Math.abs(c.estimate!));
    expect(c.class).toBe('Pass');
  });

  it('no values on a side is NoData; NaN is removed, or replaced by 0', () => {
    expect(classify([], base).class).toBe('NoData');
    expect(classify([NaN, NaN], base, { nanStrategy: 'remove' }).class).toBe('NoData');
    const replaced = classify([NaN, NaN, NaN], [5, 6, 7], { nanStrategy: 'replace' });
    expect(replaced.canaryCount).toBe(3);
    expect(replaced.canaryMean).toBe(0);
  });

  it('too few values for the confidence is NoData, not a class', () => {
    // One canary value above five baseline ones: 1 ordering in 6, nowhere near 98%.
    const c = classify([200], [100, 101, 102, 103, 104]);
    expect(c).toMatchObject({ class: 'NoData', canaryCount: 1, baselineCount: 5 });
    expect(c.why).toBe('1 vs 5 values are too few for a 98% interval; wait for more of the window');
    // Five against five: 252 orderings, enough for 98% (needs 100).
    expect(classify(shifted(20).slice(0, 5), base.slice(0, 5)).class).toBe('High');
  });

  it('identical samples pass without a test', () => {
    const c = classify([3, 1, 2], [1, 2, 3]);
    expect(c).toMatchObject({ class: 'Pass', effect: 1 });
    expect(c.u).toBeUndefined();
  });
});

const m = (cls: ScoredMetric['class'], extra: Partial<ScoredMetric> = {}): ScoredMetric => ({
  id: 'x',
  class: cls,
  group: 'g',
  critical: false,
  mustHaveData: false,
  ...extra,
});

describe('score (Kayenta WeightedSumScorer)', () => {
  it('Pass over the metrics counted, per group, by weight', () => {
    expect(score([m('Pass'), m('Pass'), m('High'), m('Pass')])).toMatchObject({ score: 75, verdict: 'marginal' });
    const r = score([m('Pass', { group: 'lat', weight: 60 }), m('High', { group: 'err', weight: 40 })]);
    expect(r).toMatchObject({ score: 60, verdict: 'fail' });
    // Groups without a weight share what is left of 100.
    expect(score([m('Pass', { group: 'a', weight: 50 }), m('Pass', { group: 'b' }), m('Low', { group: 'c' })]).score).toBe(75);
  });

  it('NoData counts only for metrics that must have data', () => {
    expect(score([m('Pass'), m('Pass'), m('NoData')]).score).toBe(100);
    // A group whose only metric has no data (and needs none) gives its weight to the others: not a 0 that fails a healthy canary.
    expect(
      score([m('Pass', { group: 'a' }), m('Pass', { group: 'b' }), m('Pass', { group: 'd' }), m('NoData', { group: 'c' })]),
    ).toMatchObject({ score: 100, verdict: 'pass' });
    expect(score([m('Pass'), m('Pass'), m('NoData', { mustHaveData: true })]).score).toBeCloseTo(66.67, 2);
  });

  it('0 when a critical metric fails, or when half the metrics have no data', () => {
    expect(score([m('Pass'), m('Pass'), m('High', { id: 'p95', critical: true })])).toMatchObject({
      score: 0,
      verdict: 'fail',
      forced: 'critical p95 is High',
    });
    expect(score([m('Pass'), m('NoData')])).toMatchObject({ score: 0, verdict: 'nodata' });
    expect(score([])).toMatchObject({ verdict: 'nodata' });
  });

  it('thresholds: pass 95 and marginal 75 by default', () => {
    const nineteen = [
      ...Array(19)
        .fill(0)
        .map(() => m('Pass')),
      m('High'),
    ];
    expect(score(nineteen).verdict).toBe('pass');
    expect(score(nineteen, 96).verdict).toBe('marginal');
  });
});

const RUNBOOK = `
name: judge triggers
prometheus: { url: "http://127.0.0.1:9" }
health:
  - { id: p95, title: p95, compare: { canary: "a", baseline: "b" }, unit: seconds, judge: { window: 5m } }
judge: { marginal: 70 }
phases: [{ id: p, title: P, steps: [] }]
rollback:
  levels: [{ id: traffic, title: Traffic, steps: [{ id: s1, title: S1, manual: true }] }]
  triggers:
    - { id: canary-bad, when: "judge < marginal", for: 1m, severity: critical, recommend: traffic }
`;

describe('a trigger on the canary score', () => {
  const loaded = loadRunbookText('t.yaml', RUNBOOK);
  if (!loaded.runbook) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  const rb = loaded.runbook;
  const metric = (cls: JudgedMetric['class']): JudgedMetric => ({
    panel: 'p95',
    group: 'p95',
    critical: false,
    mustHaveData: false,
    confidence: 0.98,
    window: { start: 0, end: 300_000, step: 15_000 },
    class: cls,
    canaryCount: 20,
    baselineCount: 20,
    canaryMean: 0.4,
    baselineMean: 0.2,
    ...(cls === 'High' ? { u: 400, p: 1e-8, estimate: 0.2, lower: 0.18, upper: 0.22 } : {}),
    effect: 2,
    why: 'w',
  });
  const verdict = (t: number, s: number, cls: JudgedMetric['class']): SessionEvent => {
    const j: Judgment = {
      score: s,
      verdict: s >= 95 ? 'pass' : s >= 70 ? 'marginal' : 'fail',
      pass: 95,
      marginal: 70,
      metrics: [metric(cls)],
    };
    return {
      type: 'judge/verdict',
      t,
      ...j,
      metrics: j.metrics.map((x) => ({ ...x, window: { ...x.window, start: t - 300_000, end: t } })),
    };
  };

  it('reads the named threshold from the runbook', () => {
    expect(rb.rollback!.triggers![0].when).toMatchObject({ panel: 'judge', judge: 'marginal', check: { op: '<', value: 70 } });
  });

  it('is pending, then fires after `for` with the failing metric in its reason; a pass resolves it', () => {
    const ev = new TriggerEvaluator(rb);
    const out = [
      verdict(1_000_000, 0, 'High'),
      verdict(1_030_000, 0, 'High'),
      verdict(1_060_000, 0, 'High'),
      verdict(1_090_000, 100, 'Pass'),
    ].flatMap((e) => ev.observe(e));
    expect(out.map((e) => e.type)).toEqual(['trigger/pending', 'trigger/firing', 'rollback/recommended', 'trigger/resolved']);
    const rec = out.find((e) => e.type === 'rollback/recommended');
    expect(rec && 'reason' in rec && rec.reason).toBe(
      'canary-bad (critical): canary score 0 < 70 for 1m: p95 HIGH (20 vs 20 values, U 400, p 1.0e-8, shift +200ms [+180ms, +220ms] 98%, effect 2×)',
    );
  });

  it('a marginal score does not hold `judge < marginal`, and is a question to the operator until decided', () => {
    const ev = new TriggerEvaluator(rb);
    expect(ev.observe(verdict(1_000_000, 80, 'Pass'))).toEqual([]);
    const startedEv: SessionEvent = {
      type: 'session/started',
      t: 999_000,
      sessionId: 's',
      runbook: rb,
      runbookPath: 't.yaml',
      runbookSha256: '',
      operator: 'alice',
      mode: 'live',
      version: '0',
    };
    const marginal = verdict(1_000_000, 80, 'Pass');
    let s = reduceAll([startedEv, marginal]);
    expect(selectJudge(s)).toMatchObject({ verdict: 'marginal', waiting: true });
    expect(refusal(s, { kind: 'judge', decision: 'no-go', reason: ' ' }, 1_000_000)).toMatch(/needs a reason/);
    expect(refusal(s, { kind: 'judge', decision: 'go' }, 1_000_000)).toBeUndefined();
    s = reduceAll(
      [{ type: 'judge/decided', t: 1_010_000, decision: 'go', operator: 'alice', score: 80 }, verdict(1_040_000, 82, 'Pass')],
      s,
    );
    // The same verdict again: still decided, not asked again.
    expect(selectJudge(s)).toMatchObject({ waiting: false });
    expect(selectJudge(s)!.text).toMatch(/GO by alice$/);
    // A new marginal episode after a pass asks again.
    s = reduceAll([verdict(1_070_000, 100, 'Pass'), verdict(1_100_000, 80, 'Pass')], s);
    expect(selectJudge(s)).toMatchObject({ waiting: true });
  });
});
