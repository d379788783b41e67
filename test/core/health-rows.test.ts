// The health rows for every status, as the pane and `cutover health` read them: a value in its
// unit with the digits its thresholds need, NaN never OK, a canary without traffic saying so
// (and a NaN that Prometheus really returned shown as NaN, with what it means).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SampleValue } from '../../src/core/events.js';
import { panelRow, type PanelStatus } from '../../src/core/select-health.js';
import type { PanelState } from '../../src/core/state.js';
import { loadRunbookText, type Panel } from '../../src/runbook/index.js';

const rb = loadRunbookText(
  'rb.yaml',
  [
    'name: t',
    'prometheus: { url: "http://127.0.0.1:9090" }',
    'health:',
    '  - { id: err, title: Error rate, query: up, unit: ratio, warn: "> 1%", crit: "> 5%" }',
    '  - { id: avail, title: Availability, query: up, unit: percent, warn: "< 99.9", crit: "< 99.5" }',
    '  - { id: p95, title: p95 canary, compare: { canary: up, baseline: up }, unit: seconds, crit: "ratio > 2x" }',
    '  - { id: lat, title: Canary latency, compare: { canary: up, baseline: up }, unit: seconds, crit: "> 1s" }',
    'phases: [{ id: a, title: A, steps: [{ id: s, title: S, manual: true }] }]',
    '',
  ].join('\n'),
  {},
);
const panel = (id: string): Panel => rb.runbook!.health!.find((p) => p.id === id)!;

const NOW = 1_000_000;
const INTERVAL = 5000;
const values = (...vs: SampleValue[]) => vs.map((value, i) => ({ labels: { i: String(i) }, value }));
const sampled = (vs: SampleValue[], baseline?: SampleValue[], t = NOW - 1000): PanelState => ({
  sample: { t, at: t, series: values(...vs), ...(baseline ? { baseline: values(...baseline) } : {}) },
});
const row = (id: string, ps: PanelState | undefined) => panelRow(panel(id), ps, NOW, INTERVAL);

describe('health rows: one per status', () => {
  it.each<[string, string, PanelState | undefined, PanelStatus, string, RegExp?]>([
    ['ok', 'err', sampled([0.001]), 'ok', '0.1%'],
    ['warn', 'err', sampled([0.02]), 'warn', '2%'],
    ['crit', 'err', sampled([0.155]), 'crit', '15.5%'],
    ['nodata', 'err', sampled([]), 'nodata', 'no data', /returned no series/],
    ['stale', 'err', sampled([0.001], undefined, NOW - 3 * INTERVAL), 'stale', 'stale', /last value 15s old/],
    [
      'unreachable',
      'err',
      { error: { t: NOW - 500, kind: 'refused', message: 'connection refused', since: NOW - 500 } },
      'unreachable',
      'unreachable',
      /connection refused/,
    ],
    ['error', 'err', { error: { t: NOW - 500, kind: 'query', message: 'parse error', since: NOW - 500 } }, 'error', 'error', /parse error/],
    ['waiting', 'err', undefined, 'waiting', '…'],
    ['unknown (NaN)', 'err', sampled(['NaN']), 'unknown', 'NaN', /Prometheus returned NaN: usually 0\/0/],
    ['unknown (one series NaN, the others fine)', 'err', sampled([0.001, 'NaN']), 'unknown', '0.1%', /NaN for 1 of 2 series/],
    ['crit (one series NaN, another critical)', 'err', sampled([0.08, 'NaN']), 'crit', '8%'],
    ['crit (+Inf)', 'err', sampled(['+Inf']), 'crit', '+Inf'],
    ['ok availability next to 99.9 and 99.5', 'avail', sampled([99.95]), 'ok', '99.95%'],
    ['warn availability just under 99.9', 'avail', sampled([99.89]), 'warn', '99.89%'],
  ])('%s', (_name, id, ps, status, text, detail) => {
    const r = row(id, ps);
    expect(r.status).toBe(status);
    expect(r.text).toBe(text);
    if (detail) expect(r.detail).toMatch(detail);
  });

  it('thresholds read in the panel unit, whole', () => {
    expect(row('err', undefined)).toMatchObject({ warn: '> 1%', crit: '> 5%' });
    expect(row('avail', undefined)).toMatchObject({ warn: '< 99.9%', crit: '< 99.5%' });
    expect(row('p95', undefined)).toMatchObject({ crit: 'ratio > 2×' });
  });
});

describe('health rows: compare panels', () => {
  const range = (points: [number, SampleValue][]): Pick<PanelState, 'range'> => ({
    range: { t: NOW, from: NOW - 60_000, step: 15_000, points },
  });

  it('with traffic: canary, ratio and baseline, judged on the ratio', () => {
    const r = row('p95', sampled([4.1], [0.194]));
    expect(r).toMatchObject({ status: 'crit', text: 'canary 4.1s = 21× baseline 194ms', brief: '4.1s = 21×', value: 4.1 });
    expect(r.compare?.ratio).toBeCloseTo(4.1 / 0.194, 9);
    expect(row('p95', sampled([0.21], [0.2]))).toMatchObject({ status: 'ok', text: 'canary 210ms = 1.05× baseline 200ms' });
  });

  it('a canary without series has no traffic yet: said, not NaN, and not OK', () => {
    const r = row('p95', sampled([], [0.193]));
    expect(r).toMatchObject({ status: 'nodata', text: 'canary no traffic yet, baseline 193ms', brief: 'no traffic yet' });
    expect(r.detail).toMatch(/no traffic to the canary yet/);
    expect(`${r.text} ${r.detail}`).not.toMatch(/NaN|×\?|not a finite number/);
  });

  it('a canary that had values and has none now has no data (not "no traffic yet")', () => {
    const r = row('p95', {
      ...sampled([], [0.193]),
      ...range([
        [NOW - 30_000, 0.2],
        [NOW - 15_000, 'NaN'],
      ]),
    });
    expect(r).toMatchObject({ status: 'nodata', text: 'canary no data, baseline 193ms', brief: 'no data' });
  });

  it('a NaN that Prometheus returned for the canary is shown as NaN, said to be 0/0, and unknown', () => {
    for (const id of ['p95', 'lat']) {
      const r = row(id, sampled(['NaN'], [0.193]));
      expect(r.status, id).toBe('unknown');
      expect(r.text).toBe('canary NaN, baseline 193ms');
      expect(r.brief).toBe('NaN, no ratio');
      expect(r.detail).toMatch(/^Prometheus returned NaN for the canary \(usually 0\/0, no requests in the query window\)/);
    }
  });

  it('a baseline without series, at 0 or NaN leaves the ratio unknown, and a ratio check unknown', () => {
    expect(row('p95', sampled([0.2]))).toMatchObject({ status: 'unknown', text: 'canary 200ms, baseline no data' });
    expect(row('p95', sampled([0.2], [0])).detail).toBe('baseline is 0: ratio unknown');
    expect(row('p95', sampled([0.2], ['NaN'])).detail).toMatch(/Prometheus returned NaN for the baseline/);
  });

  it('a plain check on a compare panel judges the canary, in the unit, with the digits it needs', () => {
    expect(row('lat', sampled([1.03], [0.2]))).toMatchObject({ status: 'crit', text: 'canary 1.03s = 5.15× baseline 200ms' });
    expect(row('lat', sampled([0.5], [0.2]))).toMatchObject({ status: 'ok' });
  });
});

describe('NaN is never OK', () => {
  const sample = fc.oneof(fc.constant<SampleValue>('NaN'), fc.double({ min: 0, max: 0.009, noNaN: true }));
  it('whatever the series, a row that judges a NaN is never OK', () => {
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 5 }), fc.array(sample, { maxLength: 1 }), (vs, base) => {
        for (const id of ['err', 'p95', 'lat']) {
          const r = row(id, sampled(vs, id === 'err' ? undefined : base));
          // What the status judges: every series; the top canary (a plain check); canary and baseline (a ratio check).
          const canary = vs.toSorted((a, b) => (a === 'NaN' ? 1 : b === 'NaN' ? -1 : (b as number) - (a as number)))[0];
          const judged = id === 'err' ? vs : id === 'lat' ? [canary] : [canary, ...base];
          if (judged.includes('NaN')) expect(r.status, `${id} ${JSON.stringify(vs)} / ${JSON.stringify(base)}`).not.toBe('ok');
        }
      }),
    );
  });
});
