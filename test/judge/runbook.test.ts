// The judge's runbook fields: defaults, and the mistakes validate names with FILE:LINE:COL.
import { describe, expect, it } from 'vitest';
import { formatProblem, loadRunbookText } from '../../src/runbook/index.js';

const doc = (health: string, extra = '') => `name: j
prometheus: { url: "http://127.0.0.1:9" }
health:
${health}
phases: [{ id: p, title: P, steps: [] }]
${extra}`;
const COMPARE =
  '  - { id: lat, title: Lat, compare: { canary: a, baseline: b }, unit: seconds, judge: { window: 5m, step: 15s, weight: 60 } }';
const TRIGGER = `rollback:
  levels: [{ id: back, title: Back, steps: [{ id: s, title: S, manual: true }] }]
  triggers:
    - { id: bad, when: "judge < pass", for: 1m, severity: critical, recommend: back }`;

describe('judge in the runbook', () => {
  it('parses a compare panel judge and a trigger on the score', () => {
    const r = loadRunbookText('rb.yaml', doc(COMPARE, `judge: { pass: 90, marginal: 60, every: 1m }\n${TRIGGER}`));
    expect(r.problems).toEqual([]);
    expect(r.runbook!.health![0].judge).toEqual({ window: 300_000, step: 15_000, weight: 60 });
    expect(r.runbook!.judge).toEqual({ pass: 90, marginal: 60, every: 60_000 });
    expect(r.runbook!.rollback!.triggers![0].when).toEqual({
      panel: 'judge',
      judge: 'pass',
      check: { ratio: false, op: '<', value: 90, text: '< pass' },
    });
  });

  it('refuses a window of more values a side than the console can compare (window / step > 1,000)', () => {
    const big = loadRunbookText('rb.yaml', doc(COMPARE.replace('window: 5m, step: 15s', 'window: 1h, step: 1s')));
    expect(big.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^rb\.yaml:4:\d+: the judge window holds 3600 values a side \(window \/ step\), more than 1000; use a longer step/,
      ),
    ]);
    expect(loadRunbookText('rb.yaml', doc(COMPARE.replace('window: 5m, step: 15s', 'window: 1h, step: 4s'))).problems).toEqual([]);
  });

  it('names each mistake where it is', () => {
    const query = '  - { id: q, title: Q, query: up, judge: { window: 5m } }';
    const reserved = '  - { id: judge, title: J, query: up }';
    const r = loadRunbookText('rb.yaml', doc(`${query}\n${reserved}`, TRIGGER));
    expect(r.problems.map(formatProblem)).toEqual([
      'rb.yaml:4:42: judge compares a canary with a baseline: it needs compare: {canary, baseline}',
      `rb.yaml:5:11: 'judge' names the canary score in triggers (when: "judge < marginal"); give this panel another id`,
      `rb.yaml:10:24: 'judge < pass' needs at least one compare panel with judge: (the score is made from them)`,
    ]);
    const small = loadRunbookText('rb.yaml', doc(COMPARE.replace('window: 5m', 'window: 2s'), 'judge: { pass: 50, marginal: 80 }'));
    expect(small.problems.map((p) => p.message)).toEqual([
      'judge.window is 2s; the shortest judge window is 10s',
      'judge.pass must be at least judge.marginal',
    ]);
  });
});
