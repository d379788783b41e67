// Trigger evaluation: synthetic samples and failures on a fake clock, transitions asserted.
import { describe, expect, it } from 'vitest';
import type { MetricErrorKind, SampleValue, Series, SessionEvent } from '../../src/core/events.js';
import { assertPlainJson, reduceAll, selectFiringTriggers, selectTriggers } from '../../src/core/index.js';
import { recordingContext } from '../../src/drivers/context.js';
import { TriggerEvaluator, withTriggers } from '../../src/drivers/triggers.js';
import { loadRunbookText } from '../../src/runbook/index.js';

const RUNBOOK = `
name: triggers
prometheus: { url: "http://127.0.0.1:9" }
health:
  - { id: err, title: Error rate, query: "sum(rate(x[1m]))", unit: ratio }
  - { id: rps, title: Requests, query: "sum(rate(y[1m]))", unit: rps }
  - { id: p95, title: p95, compare: { canary: "a", baseline: "b" }, unit: seconds }
phases: [{ id: p, title: P, steps: [] }]
rollback:
  levels:
    - { id: traffic, title: Traffic, steps: [{ id: s1, title: S1, manual: true }] }
    - { id: code, title: Code, steps: [{ id: s2, title: S2, manual: true }] }
  triggers:
    - { id: errors-high, when: "err > 0.05", for: 30s, severity: major, recommend: traffic }
    - { id: errors-now, when: "err > 0.5", severity: critical, recommend: code, auto: true }
    - { id: no-traffic, when: "rps < 1", for: 10s, severity: minor, recommend: traffic, onNoData: fire }
    - { id: p95-slow, when: "p95 ratio > 2", severity: warning, recommend: traffic }
`;
const loaded = loadRunbookText('t.yaml', RUNBOOK);
if (!loaded.runbook) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
const rb = loaded.runbook;

const v = (value: SampleValue, labels: Record<string, string> = {}): Series => ({ labels, value });
const sample = (t: number, panel: string, series: Series[], baseline?: Series[]): SessionEvent => ({
  type: 'metric/sampled',
  t,
  panel,
  at: t,
  series,
  ...(baseline ? { baseline } : {}),
});
const failed = (t: number, panel: string, kind: MetricErrorKind = 'refused'): SessionEvent => ({
  type: 'metric/failed',
  t,
  panel,
  kind,
  message: 'down',
});

/** Feeds events in order; returns what the evaluator emitted (type and trigger or level). */
function run(events: SessionEvent[]): SessionEvent[] {
  const ev = new TriggerEvaluator(rb);
  return events.flatMap((e) => ev.observe(e));
}
const brief = (out: SessionEvent[]) =>
  out.map((e) =>
    e.type === 'rollback/recommended'
      ? `${e.t} recommend ${e.level} (${e.trigger})`
      : 'trigger' in e
        ? `${e.t} ${e.type} ${e.trigger}`
        : e.type,
  );

describe('trigger evaluation', () => {
  it('goes pending, then firing once the condition held for the whole `for`, then resolves', () => {
    const out = run([
      sample(0, 'err', [v(0.01)]),
      sample(5_000, 'err', [v(0.1)]),
      sample(20_000, 'err', [v(0.2)]),
      sample(35_000, 'err', [v(0.1)]),
      sample(40_000, 'err', [v(0.01)]),
    ]);
    expect(brief(out)).toEqual([
      '5000 trigger/pending errors-high',
      '35000 trigger/firing errors-high',
      '35000 recommend traffic (errors-high)',
      '40000 trigger/resolved errors-high',
    ]);
    expect(out[1]).toMatchObject({ value: 0.1, check: '> 0.05', since: 5_000 });
    expect(out[3]).toMatchObject({ value: 0.01, since: 5_000 });
  });

  it('resets a pending trigger when the condition stops holding before `for`', () => {
    const out = run([
      sample(0, 'err', [v(0.1)]),
      sample(20_000, 'err', [v(0.01)]),
      sample(25_000, 'err', [v(0.1)]),
      sample(50_000, 'err', [v(0.1)]),
    ]);
    expect(brief(out)).toEqual([
      '0 trigger/pending errors-high',
      '20000 trigger/resolved errors-high',
      '25000 trigger/pending errors-high',
    ]);
  });

  it('fires at once without `for`, and recommends with a countdown for auto triggers', () => {
    const out = run([sample(1_000, 'err', [v(0.9)])]);
    expect(brief(out)).toEqual(['1000 trigger/pending errors-high', '1000 trigger/firing errors-now', '1000 recommend code (errors-now)']);
    expect(out[2]).toMatchObject({ countdownUntil: 31_000 });
    expect((out[2] as { reason: string }).reason).toContain('errors-now (critical): Error rate 90% > 50%');
  });

  it('never fires on no data, unless onNoData: fire', () => {
    const out = run([sample(0, 'err', []), sample(60_000, 'err', []), sample(0, 'rps', []), sample(10_000, 'rps', [])]);
    expect(brief(out)).toEqual(['0 trigger/pending no-traffic', '10000 trigger/firing no-traffic', '10000 recommend traffic (no-traffic)']);
    expect(out[1]).toMatchObject({ value: null });
  });

  it('holds when any series holds, reporting the worst one', () => {
    const out = run([sample(0, 'rps', [v(50, { a: '1' }), v(0.5, { a: '2' }), v(0.2, { a: '3' })])]);
    expect(out[0]).toMatchObject({ type: 'trigger/pending', trigger: 'no-traffic', value: 0.2 });
  });

  it('treats NaN as not holding', () => {
    expect(run([sample(0, 'err', [v('NaN')])])).toEqual([]);
    expect(run([sample(0, 'err', [v('+Inf')])]).map((e) => e.type)).toContain('trigger/firing');
  });

  it('uses the ratio on compare panels; a missing or zero baseline never fires', () => {
    expect(run([sample(0, 'p95', [v(0.75)], [v(0.25)])])[0]).toMatchObject({ type: 'trigger/firing', trigger: 'p95-slow', value: 3 });
    expect(run([sample(0, 'p95', [v(0.3)], [v(0)])])).toEqual([]);
    expect(run([sample(0, 'p95', [v(0.3)])])).toEqual([]);
    expect(run([sample(0, 'p95', [v(0.3)], [])])).toEqual([]);
  });
});

describe('during an outage (failed queries)', () => {
  it('fires nothing, not even onNoData: fire triggers', () => {
    const out = run([failed(0, 'rps'), failed(20_000, 'rps'), failed(0, 'err', 'timeout'), failed(60_000, 'err')]);
    expect(out).toEqual([]);
  });

  it('does not advance pending to firing, and restarts `for` from the first good sample after it', () => {
    const out = run([
      sample(0, 'err', [v(0.1)]),
      failed(10_000, 'err'),
      failed(40_000, 'err'),
      sample(45_000, 'err', [v(0.1)]), // held 45 s by the clock, but not seen during the outage
      sample(60_000, 'err', [v(0.1)]),
      sample(75_000, 'err', [v(0.1)]),
    ]);
    expect(brief(out)).toEqual([
      '0 trigger/pending errors-high',
      '45000 trigger/pending errors-high',
      '75000 trigger/firing errors-high',
      '75000 recommend traffic (errors-high)',
    ]);
    expect(out[2]).toMatchObject({ since: 45_000 });
  });

  it('keeps a firing trigger firing (never claims resolved while blind), resolves once a good value is seen', () => {
    const out = run([sample(0, 'err', [v(0.9)]), failed(5_000, 'err'), failed(100_000, 'err'), sample(110_000, 'err', [v(0.01)])]);
    expect(brief(out)).toEqual([
      '0 trigger/pending errors-high',
      '0 trigger/firing errors-now',
      '0 recommend code (errors-now)',
      '110000 trigger/resolved errors-high',
      '110000 trigger/resolved errors-now',
    ]);
  });
});

describe('without a good sample (no data, only NaN, an unknown ratio)', () => {
  it('never resolves a firing trigger: it stays firing until a good value is seen', () => {
    const out = run([
      sample(0, 'err', [v(0.9)]),
      sample(5_000, 'err', []), // the canary stopped reporting: not a recovery
      sample(10_000, 'err', [v('NaN')]), // 0/0: no traffic at all
      sample(15_000, 'err', [v('NaN'), v(0.01)]), // one good series: a good sample
    ]);
    expect(brief(out)).toEqual([
      '0 trigger/pending errors-high',
      '0 trigger/firing errors-now',
      '0 recommend code (errors-now)',
      '15000 trigger/resolved errors-high',
      '15000 trigger/resolved errors-now',
    ]);
    expect(out[4]).toMatchObject({ value: 0.01, since: 0 });
  });

  it('never resolves a firing ratio trigger on a missing, zero or NaN baseline', () => {
    const out = run([
      sample(0, 'p95', [v(0.75)], [v(0.25)]),
      sample(5_000, 'p95', [v(0.75)]),
      sample(10_000, 'p95', [v(0.75)], [v(0)]),
      sample(15_000, 'p95', [v(0.75)], [v('NaN')]),
      sample(20_000, 'p95', [v(0.3)], [v(0.25)]),
    ]);
    expect(brief(out)).toEqual(['0 trigger/firing p95-slow', '0 recommend traffic (p95-slow)', '20000 trigger/resolved p95-slow']);
    expect(out[2]).toMatchObject({ value: 1.2 });
  });

  it('breaks a pending run: `for` counts again from the next good sample', () => {
    const out = run([
      sample(0, 'err', [v(0.1)]),
      sample(10_000, 'err', []),
      sample(20_000, 'err', [v(0.1)]),
      sample(40_000, 'err', [v(0.1)]), // 40 s since the first, 20 s since the gap: not yet
      sample(50_000, 'err', [v(0.1)]),
    ]);
    expect(brief(out)).toEqual([
      '0 trigger/pending errors-high',
      '20000 trigger/pending errors-high',
      '50000 trigger/firing errors-high',
      '50000 recommend traffic (errors-high)',
    ]);
    expect(out[2]).toMatchObject({ since: 20_000 });
  });

  it('onNoData: fire fires on no data, and resolves on a good value that does not hold', () => {
    const out = run([sample(0, 'rps', []), sample(10_000, 'rps', []), sample(15_000, 'rps', [v(50)])]);
    expect(brief(out)).toEqual([
      '0 trigger/pending no-traffic',
      '10000 trigger/firing no-traffic',
      '10000 recommend traffic (no-traffic)',
      '15000 trigger/resolved no-traffic',
    ]);
    expect(out[3]).toMatchObject({ value: 50, since: 0 });
  });

  it('emits plain JSON: a ratio of 0 over a negative baseline is 0, not -0', () => {
    const r = loadRunbookText('z.yaml', RUNBOOK.replace('when: "p95 ratio > 2"', 'when: "p95 ratio < 1"')).runbook!;
    const out = new TriggerEvaluator(r).observe(sample(0, 'p95', [v(0)], [v(-2)]));
    expect(out[0]).toMatchObject({ type: 'trigger/firing', trigger: 'p95-slow' });
    for (const e of out) assertPlainJson(e);
  });
});

describe('recommendation', () => {
  it('follows the most severe firing trigger; ties go to the one that fired first', () => {
    const out = run([
      sample(0, 'p95', [v(0.3)], [v(0.1)]), // warning fires: recommend traffic
      sample(0, 'rps', [v(0)]),
      sample(10_000, 'rps', [v(0)]), // minor fires: more severe, same level, new trigger
      sample(11_000, 'err', [v(0.9)]), // critical fires: level code
      sample(12_000, 'err', [v(0.01)]), // critical resolves: back to the minor one
    ]);
    expect(brief(out).filter((s) => s.includes('recommend'))).toEqual([
      '0 recommend traffic (p95-slow)',
      '10000 recommend traffic (no-traffic)',
      '11000 recommend code (errors-now)',
      '12000 recommend traffic (no-traffic)',
    ]);
  });

  it('is deterministic and agrees with the core selectors after a reduce', () => {
    const events: SessionEvent[] = [
      {
        type: 'session/started',
        t: 0,
        sessionId: 's',
        runbook: rb,
        runbookPath: 't.yaml',
        runbookSha256: '',
        operator: 'o',
        mode: 'live',
        version: '0',
      },
      sample(1_000, 'p95', [v(0.5)], [v(0.1)]),
      sample(2_000, 'rps', [v(0)]),
      sample(12_000, 'rps', [v(0)]),
    ];
    const record = () => {
      const ctx = recordingContext(() => 0);
      const tctx = withTriggers(ctx, rb);
      for (const e of events) tctx.emit(e);
      return ctx.events;
    };
    const a = record();
    expect(a).toEqual(record());
    const state = reduceAll(a);
    expect(selectFiringTriggers(state).map((t) => t.id)).toEqual(['no-traffic', 'p95-slow']);
    expect(state.rollback.recommended).toMatchObject({ level: 'traffic', trigger: 'no-traffic' });
    expect(selectTriggers(state).find((t) => t.id === 'no-traffic')).toMatchObject({ state: 'firing', since: 2_000, firedAt: 12_000 });
  });
});
