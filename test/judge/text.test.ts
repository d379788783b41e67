// The judge's words on screen: no data is never shown as a score of 0 or an infinite effect.
import { describe, expect, it } from 'vitest';
import { fmtEffect } from '../../src/judge/classify.js';
import { scoreText } from '../../src/judge/text.js';

describe('the judge on screen', () => {
  it('no data is "score –", not "0 of 100"; a real 0 stays a 0', () => {
    expect(scoreText({ score: 0, verdict: 'nodata', pass: 95, marginal: 75, forced: '1 of 1 metrics have no data' })).toBe(
      'score –: NO DATA (pass ≥ 95, marginal ≥ 75); 1 of 1 metrics have no data',
    );
    expect(scoreText({ score: 0, verdict: 'fail', pass: 95, marginal: 75, forced: 'critical p95 is High' })).toBe(
      'score 0 of 100: FAIL (pass ≥ 95, marginal ≥ 75); 0 because critical p95 is High',
    );
  });

  it('an effect without values is n/a; against a zero baseline it is ∞', () => {
    expect(fmtEffect(null)).toBe('n/a');
    expect(fmtEffect(Number.NaN)).toBe('n/a');
    expect(fmtEffect(Number.POSITIVE_INFINITY)).toBe('∞×');
    expect(fmtEffect(1.75)).toBe('1.75×');
  });
});

describe('a judged metric read from a journal', () => {
  it('with some of the test figures and not others, is shown without them, never a crash (found by the journal property test)', async () => {
    const { metricFigures } = await import('../../src/judge/text.js');
    const m = {
      panel: 'p',
      group: 'p',
      critical: false,
      mustHaveData: false,
      confidence: 0.98,
      window: { start: 0, end: 0, step: 0 },
      class: 'High',
      canaryCount: 0,
      baselineCount: 0,
      canaryMean: null,
      baselineMean: null,
      effect: null,
      u: 3,
      estimate: 1,
      why: '',
    } as unknown as Parameters<typeof metricFigures>[0];
    expect(metricFigures(m)).toBe('0 vs 0 values, effect n/a');
  });
});
