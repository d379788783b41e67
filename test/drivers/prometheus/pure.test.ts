// The pure parts of the Prometheus driver and the sparkline renderer: no server needed.
import { describe, expect, it } from 'vitest';
import type { SampleValue } from '../../../src/core/events.js';
import {
  backoffDelay,
  displayUrl,
  oneLine,
  parseInstant,
  pickSeries,
  rangeStep,
  rangeWindow,
} from '../../../src/drivers/prometheus/index.js';
import { sparkline } from '../../../src/ui/sparkline.js';

const site = { service: 'Prometheus', url: 'http://p:9090', query: 'q' };

describe('scheduling arithmetic', () => {
  it('backs off exponentially from the interval, capped at 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(1000, n))).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    expect(backoffDelay(5000, 1)).toBe(5000);
    expect(backoffDelay(500, 10, 2000)).toBe(2000);
  });

  it('derives the range step from the width: one point per braille dot, whole seconds, at least 1 s', () => {
    expect(rangeStep(15 * 60_000, 40)).toBe(12_000); // 900 s over 80 dots = 11.25 s, rounded up
    expect(rangeStep(60_000, 60)).toBe(1000);
    expect(rangeStep(60_000, 0)).toBe(60_000);
  });

  it('aligns windows to whole steps so refreshes reuse the same timestamps', () => {
    const a = rangeWindow(60_000, 10, 1_000_001_234);
    const b = rangeWindow(60_000, 10, 1_000_002_900);
    expect(a).toEqual({ start: 999_939_000, end: 999_999_000, step: 3000 });
    expect(a.end % 3000).toBe(0);
    expect(b.end - a.end).toBe(3000);
  });
});

describe('instant results', () => {
  it('reads a scalar as one series without labels', () => {
    expect(parseInstant({ resultType: 'scalar', result: [1700000000.5, '2'] }, [], site)).toEqual({
      series: [{ labels: {}, value: 2 }],
      at: 1700000000500,
      warnings: [],
    });
  });
  it('keeps -0 out of events (JSON would turn it into 0 anyway)', () => {
    const r = parseInstant({ resultType: 'vector', result: [{ metric: {}, value: [1, '-0'] }] }, [], site);
    expect(Object.is(r.series[0].value, 0)).toBe(true);
  });
  it('skips native histograms with a warning instead of failing', () => {
    const r = parseInstant(
      {
        resultType: 'vector',
        result: [
          { metric: { a: '1' }, histogram: [1, {}] },
          { metric: { a: '2' }, value: [1, '3'] },
        ],
      },
      ['w'],
      site,
    );
    expect(r.series).toEqual([{ labels: { a: '2' }, value: 3 }]);
    expect(r.warnings).toEqual(['w', expect.stringContaining('1 native histogram series skipped')]);
  });
  it('shows the latest point of a range selector', () => {
    const r = parseInstant(
      {
        resultType: 'matrix',
        result: [
          {
            metric: {},
            values: [
              [1, '1'],
              [2, '5'],
            ],
          },
        ],
      },
      [],
      site,
    );
    expect(r).toMatchObject({ series: [{ value: 5 }], at: 2000 });
  });
  it('refuses a string result with a message naming the query', () => {
    expect(() => parseInstant({ resultType: 'string', result: [1, 'x'] }, [], site)).toThrow(/query 'q' returns a string/);
  });
  it('gives series in one order whatever order Prometheus sends them in, so equal values rank the same on every poll', () => {
    const a = { metric: { pod: 'a' }, value: [1, '5'] };
    const b = { metric: { pod: 'b' }, value: [1, '5'] };
    const one = parseInstant({ resultType: 'vector', result: [b, a] }, [], site);
    const other = parseInstant({ resultType: 'vector', result: [a, b] }, [], site);
    expect(one).toEqual(other);
    expect(one.series.map((s) => s.labels.pod)).toEqual(['a', 'b']);
  });
  it('never reads a malformed value as a number (Number("") and Number(null) are 0)', () => {
    for (const bad of ['', ' ', null, 'x', undefined, true]) {
      expect(
        () => parseInstant({ resultType: 'vector', result: [{ metric: {}, value: [1, bad] }] }, [], site),
        JSON.stringify(bad),
      ).toThrow(/sent an unexpected answer.*malformed vector result/);
    }
    expect(() => parseInstant({ resultType: 'scalar', result: [1, ''] }, [], site)).toThrow(/malformed scalar result/);
    expect(() => parseInstant({ resultType: 'matrix', result: [{ metric: {}, values: [[1, null]] }] }, [], site)).toThrow(
      /malformed matrix result/,
    );
    expect(
      parseInstant(
        {
          resultType: 'vector',
          result: [
            { metric: {}, value: [1, '1e-05'] },
            { metric: { a: '1' }, value: [1, '+Inf'] },
          ],
        },
        [],
        site,
      ).series.map((s) => s.value),
    ).toEqual(['+Inf', 1e-5]);
  });
  it('picks the sparkline series with the highest latest value', () => {
    const s = (v: SampleValue) => ({ labels: { v: String(v) }, points: [[0, v]] as [number, SampleValue][] });
    expect(pickSeries([s('NaN'), s(1), s(3), s(2)])?.labels.v).toBe('3');
    expect(pickSeries([])).toBeUndefined();
  });
});

describe('messages', () => {
  it('never print credentials of a URL, and stay on one line', () => {
    expect(displayUrl('https://user:pw@prom.internal:9090/prefix?token=x')).toBe('https://prom.internal:9090/prefix');
    expect(displayUrl('https://user:p@ss@prom.internal:9090')).toBe('https://prom.internal:9090');
    expect(displayUrl('http://prom.internal:9090/a@b')).toBe('http://prom.internal:9090/a@b');
    expect(oneLine('sum(\n  rate(x[1m])\n)')).toBe('sum( rate(x[1m]) )');
    expect(oneLine('x'.repeat(300))).toHaveLength(160);
    expect(oneLine('a\x1b[31mb\x1b]0;title\x07c\x9b2Jd\u0000e')).toBe('abcde');
  });
});

describe('sparkline', () => {
  const ramp = (n: number, f: (i: number) => SampleValue = (i) => i): [number, SampleValue][] =>
    Array.from({ length: n }, (_, i) => [i * 1000, f(i)]);

  it('draws a rising line as braille, bottom left to top right', () => {
    const s = sparkline(ramp(8), { width: 4, height: 1 });
    expect(s).toBe('⣀⠤⠒⠉');
  });

  it('is plain text: no escape sequences, exactly height lines of width characters', () => {
    const s = sparkline(
      ramp(40, (i) => Math.sin(i / 4)),
      { width: 20, height: 3 },
    );
    expect(s).not.toMatch(/\x1b/);
    expect(s.split('\n').map((l) => [...l].length)).toEqual([20, 20, 20]);
  });

  it('leaves gaps for NaN, infinities and missing steps, never drawing them as zero', () => {
    const flat = (i: number): SampleValue => (i >= 4 && i < 8 ? 'NaN' : 5);
    const s = sparkline(ramp(16, flat), { width: 8, height: 1 });
    expect(s).toBe('⠒⠒  ⠒⠒⠒⠒');
    expect(s.slice(2, 4)).toBe('  ');
    const missing = ramp(16, () => 5).filter(([t]) => t < 4000 || t >= 8000);
    expect(sparkline(missing, { width: 8, height: 1, from: 0, step: 1000, to: 15_000 })).toBe(s);
    expect(
      sparkline(
        ramp(16, (i) => (i >= 4 && i < 8 ? '+Inf' : 5)),
        { width: 8, height: 1 },
      ),
    ).toBe(s);
  });

  it('draws a lone point between gaps as a dot', () => {
    const pts: [number, SampleValue][] = [
      [0, 1],
      [1000, 'NaN'],
      [2000, 2],
      [3000, 'NaN'],
      [4000, 1],
    ];
    expect(sparkline(pts, { width: 3, height: 1 }).trim()).not.toBe('');
  });

  it('is blank without points, and flat values sit in the middle', () => {
    expect(sparkline([], { width: 3, height: 2 })).toBe('   \n   ');
    expect(
      sparkline(
        ramp(6, () => 7),
        { width: 3, height: 1 },
      ),
    ).toBe('⠒⠒⠒');
  });
});
