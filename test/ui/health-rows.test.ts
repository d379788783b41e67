// Given health rows and the room a layout gives, then the pane draws sparklines sized to it, with scale,
// thresholds, both series of a compare panel and their ratio, the whole check, and firing alerts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert, SampleValue } from '../../src/core/events.js';
import type { HealthRow } from '../../src/core/select-health.js';
import { brailleSpark, checkParts, scaleLabels, windowRatios, type SparkRenderer } from '../../src/ui/panes/health/chart.js';
import { abbreviate, healthLines, type HealthInput } from '../../src/ui/panes/health/rows.js';
import { lineWidth, plain } from '../../src/ui/rows.js';

const T = 1_800_000_000_000;
const STEP = 10_000;
const series = (f: (i: number) => number, n = 60): [number, SampleValue][] => Array.from({ length: n }, (_, i) => [T + i * STEP, f(i)]);

const errorRate: HealthRow = {
  id: 'error_rate',
  title: 'Error rate',
  unit: 'ratio',
  status: 'ok',
  text: '0.5%',
  value: 0.005,
  series: [],
  seriesCount: 1,
  warn: '> 1%',
  crit: '> 5%',
  points: series((i) => 0.002 + (i % 10) * 0.001),
  range: { from: T, step: STEP },
};
const p95: HealthRow = {
  id: 'p95',
  title: 'p95 canary vs baseline',
  unit: 'seconds',
  status: 'ok',
  text: '210ms vs 200ms',
  brief: '210ms = 1.05×',
  value: 0.21,
  compare: { canary: 0.21, baseline: 0.2, ratio: 1.05 },
  series: [],
  seriesCount: 1,
  crit: 'ratio > 2×',
  points: series((i) => 0.2 + i * 0.001),
  range: { from: T, step: STEP },
};
const p95Baseline = series(() => 0.2);

/** A renderer that records what it was asked to draw, and draws it with the real one. */
function recording(): SparkRenderer & { specs: Parameters<SparkRenderer>[0][] } {
  const specs: Parameters<SparkRenderer>[0][] = [];
  const f = ((s) => {
    specs.push(s);
    return brailleSpark(s);
  }) as SparkRenderer & { specs: typeof specs };
  f.specs = specs;
  return f;
}

const render = (o: Partial<HealthInput> = {}) => {
  const spark = recording();
  const lines = healthLines({
    rows: [errorRate, p95],
    baselines: { p95: p95Baseline },
    rules: { error_rate: { warn: 0.01, crit: 0.05 } },
    width: 76,
    height: 21,
    cursor: 0,
    color: false,
    now: T + 600_000,
    spark,
    ...o,
  });
  return { lines, text: lines.map(plain), spark };
};

describe('sparkline heights follow the room', () => {
  it.each([
    // [pane height, chart rows per panel]: the text takes 2 + 1 legend lines, the rest is shared.
    [6, 1],
    [9, 3],
    [21, 8],
    [48, 8],
  ])('a pane %i rows high gives each chart %i rows, and never more lines than the pane', (height, rows) => {
    const { lines, spark } = render({ height });
    expect(lines.length).toBeLessThanOrEqual(height);
    expect(spark.specs.map((s) => s.height)).toEqual([rows, rows]);
  });

  it("a pane with a row per panel shows every panel head before the selected one's chart", () => {
    const five = Array.from({ length: 5 }, (_, i) => ({ ...errorRate, id: `p${i}`, title: `Panel ${i}` }));
    const { text } = render({ rows: five, height: 5, cursor: 0 });
    expect(text.map((l) => l.slice(2, 9))).toEqual(five.map((r) => r.title));
  });

  it('panels that do not fit are never silently gone: the last row says how many and where', () => {
    const five = Array.from({ length: 5 }, (_, i) => ({ ...errorRate, id: `p${i}`, title: `Panel ${i}` }));
    const top = render({ rows: five, height: 4, cursor: 0 }).text;
    expect(top.map((l) => l.slice(2, 9))).toEqual(['Panel 0', 'Panel 1', 'Panel 2', '… 2 mor']);
    expect(top[3]).toMatch(/… 2 more panels \(2 below; ↑↓ or z\)/);
    const middle = render({ rows: five, height: 3, cursor: 2 }).text;
    expect(middle.slice(0, 2).map((l) => l.slice(2, 9))).toEqual(['Panel 1', 'Panel 2']);
    expect(middle[2]).toMatch(/… 3 more panels \(1 above, 2 below; ↑↓ or z\)/);
  });

  it('with no room at all for charts, each still gets one row (the packer then drops what does not fit)', () => {
    const { lines, spark } = render({ height: 3 });
    expect(spark.specs.every((s) => s.height === 1)).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(3);
  });
});

describe('scale and thresholds', () => {
  it('labels the top row with the window max and the bottom row with its min, in the panel unit', () => {
    const { text } = render({ rows: [{ ...errorRate, points: series((i) => 0.001 * (i % 5)) }], height: 8 });
    const chart = text.slice(1);
    expect(chart[0]).toMatch(/^ {4}0\.4% /);
    expect(chart.at(-1)).toMatch(/^ {4} {2}0% /);
  });

  it.each([
    [0.00048, 0.00052, 'ratio', '0.048%', '0.052%'],
    [0.1752, 0.1754, 'seconds', '175.2ms', '175.4ms'],
    [0.1752, 0.1766, 'seconds', '175ms', '177ms'],
    [99.95, 99.96, 'percent', '99.95%', '99.96%'],
    [0.002, 0.011, 'ratio', '0.2%', '1.1%'],
  ] as const)('a scale from %d to %d (%s) reads %s to %s: never the same label twice for different values', (lo, hi, unit, min, max) => {
    expect(scaleLabels(lo, hi, unit)).toEqual([min, max]);
  });

  it('the samples since the window are drawn after it, so the scale never contradicts the value and a rise is a rise', () => {
    // The window ends at 1.1%; samples 5, 10 and 15 s later rise to 15%.
    const end = T + 59 * STEP;
    const recent = [
      { at: end + 5_000, value: 0.04 },
      { at: end + 10_000, value: 0.09 },
      { at: end + 15_000, value: 0.15 },
    ];
    const spiking = { ...errorRate, status: 'crit', text: '15%', value: 0.15, sampledAt: end + 15_000, recent } as HealthRow;
    const { text, spark } = render({ rows: [spiking], height: 6 });
    expect(spark.specs[0].max).toBe(0.15);
    expect(spark.specs[0].series[0].points.slice(-3)).toEqual(recent.map((x) => [x.at, x.value]));
    expect(text[1]).toMatch(/^ {4} ?15% /);
    expect(text.some((l) => l.endsWith('┄ crit'))).toBe(true);
    // Samples older than the window's end add nothing.
    const old = render({ rows: [{ ...spiking, recent: [{ at: T, value: 0.15 }] }], height: 6 });
    expect(old.spark.specs[0].series[0].points).toEqual(errorRate.points);
  });

  it('a threshold inside the window is a dashed rule on its row, named; outside, an arrow says where it is', () => {
    // Values from 0% to 5.9%: warn (1%) and crit (5%) both lie inside.
    const { text, spark } = render({ rows: [{ ...errorRate, points: series((i) => i * 0.001) }], height: 9 });
    expect(spark.specs[0].rules).toEqual([0.01, 0.05]);
    const chart = text.slice(1);
    const warnRow = chart.findIndex((l) => l.endsWith('┄ warn'));
    const critRow = chart.findIndex((l) => l.endsWith('┄ crit'));
    expect(critRow).toBeGreaterThanOrEqual(0);
    expect(warnRow).toBeGreaterThan(critRow);
    // The rule is drawn: dashes of braille dots across the row, even where the series is not.
    expect(chart[warnRow]).toMatch(/([⠁-⣿] ){8}/);
    // Values well below both: nothing drawn across, an arrow up names them.
    const low = render({ rows: [{ ...errorRate, points: series((i) => 0.001 + (i % 3) * 0.001) }], height: 9 });
    expect(low.spark.specs[0].rules).toEqual([]);
    expect(low.text[1]).toMatch(/↑ warn > 1% ↑ crit > 5%$/);
  });

  it('a flat window is labelled once, on the row it is drawn on, with its threshold there too', () => {
    const flat = { ...errorRate, warn: undefined, crit: '< 1', unit: undefined, points: series(() => 1) } as HealthRow;
    const { text } = render({ rows: [flat], rules: { error_rate: { crit: 1 } }, height: 9 });
    const chart = text.slice(1);
    const labelled = chart.filter((l) => /^ {4}1 /.test(l));
    expect(labelled).toHaveLength(1);
    const row = chart.indexOf(labelled[0]);
    expect(chart[row]).toMatch(/⣀.*┄ crit$/);
    expect(chart.filter((_, i) => i !== row).every((l) => l.trim() === '')).toBe(true);
  });

  it('the rule is where the threshold is: the chart draws a row of dots at its height', () => {
    const flatLow = series(() => 0);
    const withRule = brailleSpark({ series: [{ points: flatLow }], width: 20, height: 4, min: 0, max: 1, rules: [0.5] });
    const without = brailleSpark({ series: [{ points: flatLow }], width: 20, height: 4, min: 0, max: 1, rules: [] });
    expect(withRule).not.toEqual(without);
    // Flat at 0: the three upper rows are empty without the rule; with it, the row holding 0.5 is dashed.
    expect(without.slice(0, 3).join('').trim()).toBe('');
    expect(withRule.slice(0, 3).join('').trim()).not.toBe('');
    expect(withRule[1].trim()).toMatch(/^([⠁-⣿] )+[⠁-⣿]?$/);
  });
});

describe('compare panels', () => {
  it('draw canary (solid) and baseline (dotted) on one scale, with the ratio now and over the window', () => {
    const { text, spark } = render({ rows: [p95], height: 8 });
    expect(spark.specs[0].series).toEqual([{ points: p95.points }, { points: p95Baseline, dotted: true }]);
    // One scale over both: the baseline's 200ms is the min, the canary's last point the max.
    expect(spark.specs[0].min).toBe(0.2);
    expect(spark.specs[0].max).toBeCloseTo(0.259);
    const ratios = windowRatios(p95.points!, p95Baseline);
    expect(text[0]).toMatch(/210ms = 1\.05×/);
    expect(Math.min(...ratios)).toBe(1);
    expect(Math.max(...ratios)).toBeCloseTo(1.295);
    expect(text[1]).toMatch(/── canary {2}·· baseline {2}ratio 1\.05× now, 1×–1\.29× over 9m50s/);
    expect(text[2]).toMatch(/^ {4}259ms /);
    expect(text.at(-1)).toMatch(/^ {4}200ms /);
  });

  it('without a baseline window the legend says so and the canary is drawn alone', () => {
    const { text, spark } = render({ rows: [p95], baselines: {}, height: 8 });
    expect(spark.specs[0].series).toHaveLength(1);
    expect(text[1]).toMatch(/── canary {2}\(no baseline window\) {2}ratio 1\.05× now$/);
  });

  it('a narrow pane leaves out parts of the legend whole, never the ratio cut', () => {
    for (const width of [40, 50, 60, 70]) {
      const legend = render({ rows: [p95], width, height: 8 }).text.find((l) => l.includes(' now'));
      expect(legend, `at ${width}`).toMatch(/ratio 1\.05× now(, 1×–1\.29×( over 9m50s)?)?$/);
    }
  });

  it('ratios next to a ratio check keep the digits that tell which side of it they are on', () => {
    // 1.996 against `ratio > 2×`: never `2×`, on the head line or in the legend.
    const near = {
      ...p95,
      brief: '399ms = 1.996×',
      compare: { canary: 0.3992, baseline: 0.2, ratio: 1.996 },
      points: series(() => 0.3992),
    };
    const text = render({ rows: [near], rules: { p95: { ratios: [2] } }, height: 8 }).text;
    expect(text[1]).toMatch(/ratio 1\.996× now, 1\.996× over 9m50s$/);
  });

  it('a window whose ratio never moved says it once', () => {
    const flat = { ...p95, points: series(() => 0.4) };
    const legend = render({ rows: [flat], height: 8 }).text[1];
    expect(legend).toMatch(/ratio 1\.05× now, 2× over 9m50s$/);
  });

  it('the window ratio skips a zero or NaN baseline rather than showing infinity', () => {
    expect(
      windowRatios(
        [
          [1, 2],
          [2, 2],
          [3, 'NaN'],
        ],
        [
          [1, 0],
          [2, 1],
          [3, 1],
        ],
      ),
    ).toEqual([2]);
  });
});

describe('the check is never cut', () => {
  const long: HealthRow = {
    ...errorRate,
    title: 'Query engine speedup (production, all regions, p99)',
    warn: '> 250ms',
    crit: '>= 1.5s',
    unit: 'seconds',
    text: '1.2s',
  };
  it('at every width from 40 to 200, every part of every check is on screen whole, and no line overflows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 40, max: 200 }), fc.integer({ min: 0, max: 2 }), (width, cursor) => {
        const rows = [long, p95, errorRate];
        const { lines, text } = render({ rows, width, height: 60, cursor });
        for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(width);
        for (const r of rows)
          for (const part of checkParts(r))
            expect(
              text.some((t) => t.includes(part)),
              `${part} at ${width}`,
            ).toBe(true);
      }),
      { numRuns: 120 },
    );
  });

  it('the title gives way, with an ellipsis, before the check does', () => {
    const { text } = render({ rows: [long, errorRate], width: 70 });
    expect(text[0]).toMatch(/^▸ Query engine.*….*1\.2s.*OK +warn > 250ms {2}crit >= 1\.5s$/);
    expect(text[0]).toContain('…');
  });

  it('titles keep a readable width: a check that does not fit beside one goes on its own line, row by row', () => {
    const vsYesterday: HealthRow = {
      ...p95,
      id: 'vs',
      title: 'Request duration p95 vs yesterday',
      text: '191ms vs no data',
      compare: { canary: 0.191 },
      warn: 'ratio > 1.25',
      crit: 'ratio > 1.5',
    };
    const p95Title: HealthRow = { ...errorRate, id: 'p95t', title: 'Request duration p95', warn: '> 250ms', crit: '> 350ms' };
    const { text } = render({ rows: [vsYesterday, p95Title], width: 76, height: 40 });
    // Both titles read far enough to tell them apart.
    expect(text[0]).toMatch(/^▸ Request durati…yesterday /);
    const second = text.findIndex((l) => l.startsWith('  Request duration p95 '));
    expect(second).toBeGreaterThan(0);
    // The long ratio check went below its row; the short one stayed beside its value.
    expect(text[1]).toBe('    warn ratio > 1.25  crit ratio > 1.5');
    expect(text[second]).toMatch(/OK +warn > 250ms {2}crit > 350ms$/);
  });

  it('a pane too narrow for title and check on one line puts the check on its own line, whole', () => {
    const { text } = render({ rows: [long, errorRate], width: 40 });
    expect(text[0]).toMatch(/^▸ Query engine speedup \(pr…p99\) +1\.2s +OK$/);
    expect(text[1]).toBe('    warn > 250ms  crit >= 1.5s');
  });
});

describe('abbreviated titles', () => {
  it.each([
    ['Request duration p95 (prod) vs yesterday', 24, 'Request durati…yesterday'],
    ['Request duration p95 (prod)', 24, 'Request duration…(prod)'],
    ['Query engine speedup (staging)', 24, 'Query engine s…(staging)'],
    ['Error rate', 24, 'Error rate'],
    ['Supercalifragilisticexpialidocious', 12, 'Supercalifr…'],
  ])('%s in %i columns reads %s', (title, n, want) => {
    const got = abbreviate(title, n);
    expect([...got].length).toBe(n);
    expect(got.trimEnd()).toBe(want);
  });
});

describe('firing alerts', () => {
  const alerts: Alert[] = [
    { name: 'HighErrorRate', severity: 'critical', summary: 'checkout 5xx above 5%', startsAt: T + 300_000, labels: {} },
    { name: 'DiskFilling', severity: 'warning', startsAt: T + 60_000, labels: {} },
  ];

  it('appear first, oldest first, with severity, name and for how long', () => {
    const { text } = render({ alerts: { list: alerts } });
    expect(text.slice(0, 3)).toEqual([
      '▲ ALERTS FIRING (2)',
      '  warning   DiskFilling  for 9m',
      '  critical  HighErrorRate  for 5m  checkout 5xx above 5%',
    ]);
  });

  it('take no room when none fire; an unreadable Alertmanager is said', () => {
    expect(render({ alerts: { list: [] } }).text.some((l) => /ALERT|Alertmanager/.test(l))).toBe(false);
    expect(render({ alerts: { list: [], error: 'connection refused' } }).text[0]).toBe('▲ Alertmanager: connection refused');
  });

  it('stay on screen when the panels do not fit', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ ...errorRate, id: `p${i}`, title: `Panel ${i}` }));
    const { text } = render({ rows: many, alerts: { list: alerts }, height: 6, cursor: 7 });
    expect(text).toHaveLength(6);
    expect(text[0]).toBe('▲ ALERTS FIRING (2)');
    expect(text.some((l) => l.startsWith('▸ Panel 7'))).toBe(true);
  });
});
