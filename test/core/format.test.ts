// The one formatter of values, thresholds, checks, ratios and durations: every unit, the
// values that are not numbers, the tiny and the huge, and the honesty rules (a shown value is
// on the same side of its thresholds as the real one; 99.95% next to 99.9% is never 100%).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCheck, formatCompare, formatMeasured, formatRatio, formatThreshold, formatValue, type Unit } from '../../src/core/format.js';
import type { SampleValue } from '../../src/core/events.js';
import { formatDuration, parseDuration } from '../../src/runbook/duration.js';
import { parseCheck } from '../../src/runbook/check.js';

const UNITS: (Unit | undefined)[] = ['ratio', 'percent', 'seconds', 'bytes', 'rps', 'count', undefined];

describe('formatValue, by unit', () => {
  it.each<[SampleValue, Unit | undefined, string]>([
    // ratio: shown as a percentage
    [0.155, 'ratio', '15.5%'],
    [0.05, 'ratio', '5%'],
    [0.0005245, 'ratio', '0.05%'],
    [1, 'ratio', '100%'],
    [0, 'ratio', '0%'],
    [1e-9, 'ratio', '1.00e-7%'],
    [5e5, 'ratio', '5.00e+7%'],
    // percent: already a percentage
    [99.95, 'percent', '99.95%'],
    [12.34, 'percent', '12.3%'],
    [0.004, 'percent', '0.004%'],
    // seconds: the one duration formatter
    [0.0002, 'seconds', '200µs'],
    [0.194, 'seconds', '194ms'],
    [0.0125, 'seconds', '13ms'],
    [0.00125, 'seconds', '1.3ms'],
    [1.5, 'seconds', '1.5s'],
    [2.4, 'seconds', '2.4s'],
    [12.4, 'seconds', '12s'],
    [59.97, 'seconds', '1m'],
    [125, 'seconds', '2m05s'],
    [5400, 'seconds', '1h30m'],
    [-0.5, 'seconds', '-500ms'],
    [0, 'seconds', '0s'],
    // A day is a duration; a span no one reads as hours is a number.
    [86_400, 'seconds', '24h'],
    [1e300, 'seconds', '1.00e+300s'],
    [-1e300, 'seconds', '-1.00e+300s'],
    // bytes: binary multiples
    [512, 'bytes', '512 B'],
    [1536, 'bytes', '1.5 KiB'],
    [5e12, 'bytes', '4.55 TiB'],
    [2 ** 60, 'bytes', '1024 PiB'],
    // rps and count: thousands as k, M, ... from 10,000
    [0.5, 'rps', '0.5/s'],
    [1234, 'rps', '1234/s'],
    [12_345, 'rps', '12.3k/s'],
    [3.2e9, 'count', '3.2G'],
    [1234, 'count', '1234'],
    [1e20, 'count', '1.00e+20'],
    [1e-9, 'count', '1.00e-9'],
    [0.000012, 'count', '0.000012'],
    [7, undefined, '7'],
  ])('%s in %s reads %s', (v, unit, text) => {
    expect(formatValue(v, unit)).toBe(text);
  });

  it.each(UNITS)('NaN and infinities are never numbers (%s)', (unit) => {
    expect(formatValue('NaN', unit)).toBe('NaN');
    expect(formatValue('+Inf', unit)).toBe('+Inf');
    expect(formatValue('-Inf', unit)).toBe('-Inf');
    expect(formatValue(Number.NaN, unit)).toBe('NaN');
    expect(formatValue(Number.POSITIVE_INFINITY, unit)).toBe('+Inf');
    expect(formatValue(Number.NEGATIVE_INFINITY, unit)).toBe('-Inf');
  });

  it.each(UNITS)('never shows -0 (%s)', (unit) => {
    expect(formatValue(-1e-300 * 0, unit)).not.toMatch(/^-0/);
    expect(formatValue(-0.0000001, unit)).not.toMatch(/^-0[^.]/);
  });
});

describe('formatValue against thresholds: enough digits to compare by eye', () => {
  it.each<[number, Unit, number[], string]>([
    [0.9995, 'ratio', [0.999, 0.995], '99.95%'],
    [99.95, 'percent', [99.9, 99.5], '99.95%'],
    [99.97, 'percent', [99.95], '99.97%'],
    [99.999, 'percent', [99.9], '99.999%'],
    [0.0999, 'ratio', [0.1], '9.99%'],
    [0.155, 'ratio', [0.1], '15.5%'],
    [2.4, 'seconds', [2], '2.4s'],
    [2.04, 'seconds', [2], '2.04s'],
    [0.5004, 'seconds', [0.5], '500.4ms'],
    [10.04, 'count', [10], '10.04'],
    // Rounding would keep it on the right side but hide that it is within the threshold's last digit.
    [99.95, 'count', [99.9], '99.95'],
    [1.03, 'seconds', [1], '1.03s'],
    // From a minute on a duration is whole seconds, unless that hides which side of a threshold it is on.
    [125, 'seconds', [120], '2m05s'],
    [120.4, 'seconds', [120], '120.4s'],
    [119.8, 'seconds', [120], '119.8s'],
  ])('%s in %s next to %j reads %s', (v, unit, against, text) => {
    expect(formatValue(v, unit, against)).toBe(text);
  });

  it('a percentage that is not 100 never rounds to 100%, thresholds or not', () => {
    expect(formatValue(0.99996, 'ratio')).toBe('99.996%');
    expect(formatValue(99.9999, 'percent')).toBe('99.9999%');
    expect(formatValue(0.00000004, 'ratio')).not.toBe('0%');
  });

  // The honesty rule as a property: whatever the value and thresholds, the shown number is on the
  // same side of (or equal to) every threshold as the real one, and a percentage that is not 0 or
  // 100 does not show as either.
  it.each<Unit>(['ratio', 'percent', 'count', 'rps'])('the shown value is on the same side of every threshold (%s)', (unit) => {
    const k = unit === 'ratio' ? 100 : 1;
    const reread = (s: string): number => {
      const m = /^(-?[\d.]+)(k|M|G|T)?/.exec(s);
      const mult = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m![2] as 'k'] ?? 1;
      return (Number(m![1]) * mult) / k;
    };
    const side = (a: number, b: number) => (Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? 0 : Math.sign(a - b));
    const scale = unit === 'ratio' ? 1 : 100;
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: scale, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 9999 }), { minLength: 1, maxLength: 3 }),
        (v, ts) => {
          const against = ts.map((t) => (t / 10_000) * scale);
          const text = formatValue(v, unit, against);
          if (/e[+-]/.test(text)) return;
          const shown = reread(text);
          for (const t of against) expect(side(shown, t), `${v} shown ${text} against ${t}`).toBe(side(v, t));
          if (unit === 'ratio' || unit === 'percent') {
            if (side(v * k, 100) !== 0) expect(text).not.toBe('100%');
            if (v !== 0) expect(text).not.toBe('0%');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('seconds next to thresholds', () => {
  const reread = (s: string): number => {
    const m = /^(-?[\d.]+)(µs|ms|s)$/.exec(s);
    if (m) return Number(m[1]) * { µs: 1e-6, ms: 1e-3, s: 1 }[m[2] as 's'];
    return parseDuration(s)! / 1000;
  };
  const side = (a: number, b: number) => (Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? 0 : Math.sign(a - b));

  it('the shown duration is on the same side of every threshold as the real one', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.0001, max: 7200, noNaN: true }),
        // Thresholds as a runbook writes them: whole milliseconds.
        fc.array(
          fc.integer({ min: 1, max: 7_200_000 }).map((ms) => ms / 1000),
          { minLength: 1, maxLength: 3 },
        ),
        (v, against) => {
          const text = formatValue(v, 'seconds', against);
          for (const t of against) expect(side(reread(text), t), `${v} shown ${text} against ${t}`).toBe(side(v, t));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('thresholds and checks in the panel unit', () => {
  it.each<[string, number, Unit | undefined, boolean, string]>([
    ['>', 0.1, 'ratio', false, '> 10%'],
    ['<', 0.9995, 'ratio', false, '< 99.95%'],
    ['<=', 99.5, 'percent', false, '<= 99.5%'],
    ['>', 0.5, 'seconds', false, '> 500ms'],
    ['>', 2, 'seconds', false, '> 2s'],
    ['>', 1.5, 'seconds', false, '> 1.5s'],
    ['>', 90, 'seconds', false, '> 1m30s'],
    ['>', 536870912, 'bytes', false, '> 512 MiB'],
    ['<', 1, 'rps', false, '< 1/s'],
    ['>', 2, 'seconds', true, 'ratio > 2×'],
    ['>', 1.25, undefined, true, 'ratio > 1.25×'],
    ['>', 0.0005, 'ratio', false, '> 0.05%'],
  ])('%s %s in %s (ratio %s) reads %s', (op, value, unit, ratio, text) => {
    expect(formatThreshold(op, value, unit, ratio)).toBe(text);
    expect(formatCheck({ op: op as '>', value, ratio }, unit)).toBe(text);
  });

  it('a threshold keeps every digit it was written with', () => {
    for (const t of [0.999, 0.9995, 0.99995, 0.123456])
      expect(Number(formatThreshold('>', t, 'ratio').replace(/[^\d.]/g, '')) / 100).toBeCloseTo(t, 9);
  });
});

describe('a value against its check, and a compare reading', () => {
  const check = (text: string) => parseCheck(text)!;

  it('says value, operator and threshold in one unit, and for how long', () => {
    expect(formatMeasured(0.155, check('> 0.1'), 'ratio', 30_000)).toBe('15.5% > 10% for 30s');
    expect(formatMeasured(2.4, check('> 2'), 'seconds')).toBe('2.4s > 2s');
    expect(formatMeasured(21.13, check('ratio > 2'), 'seconds', 60_000)).toBe('21× > 2× for 1m');
  });

  it('never reads as if a check held when it does not', () => {
    expect(formatMeasured(0.004, check('> 0.1'), 'ratio', 30_000)).toBe('0.4%, condition > 10% for 30s');
    expect(formatMeasured('NaN', check('> 0.1'), 'ratio')).toBe('NaN, condition > 10%');
    expect(formatMeasured(null, check('> 0.1'), 'ratio')).toBe('no data, condition > 10%');
  });

  it('a compare reading shows canary, ratio and baseline', () => {
    expect(formatCompare(4.1, 0.194, 'seconds', check('ratio > 2'), true)).toBe('canary 4.1s = 21× baseline 194ms > 2×');
    expect(formatCompare(0.21, 0.2, 'seconds', check('ratio > 2'), true)).toBe('canary 210ms = 1.05× baseline 200ms, condition > 2×');
    expect(formatCompare(0.21, 0.2, 'seconds', check('ratio > 2'))).toBe('canary 210ms = 1.05× baseline 200ms');
  });

  it('a side without a value says why, and there is no ratio', () => {
    expect(formatCompare(undefined, 0.193, 'seconds')).toBe('canary no traffic yet, baseline 193ms');
    expect(formatCompare(0.2, undefined, 'seconds')).toBe('canary 200ms, baseline no data');
    expect(formatCompare('NaN', 0.193, 'seconds')).toBe('canary NaN, baseline 193ms');
    expect(formatCompare(0.2, 0, 'seconds')).toBe('canary 200ms, baseline 0s');
  });

  it.each<[number | undefined, string]>([
    [21.13, '21×'],
    [1.05, '1.05×'],
    [0.48, '0.48×'],
    [0, '0×'],
    [undefined, '?×'],
    [Number.NaN, '?×'],
    [Number.POSITIVE_INFINITY, '+Inf×'],
    [1e9, '1.00e+9×'],
  ])('ratio %s reads %s, never cut', (r, text) => {
    expect(formatRatio(r)).toBe(text);
  });

  it('a ratio close to its threshold gets the digits to tell them apart', () => {
    expect(formatRatio(1.999, [2])).toBe('1.999×');
    expect(formatRatio(2.0004, [2])).toBe('2.0004×');
  });
});

describe('formatDuration: one formatter for every duration', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [0.25, '250µs'],
    [450, '450ms'],
    [999.7, '1s'],
    [1500, '1.5s'],
    [12_400, '12s'],
    [59_970, '1m'],
    [60_000, '1m'],
    [120_000, '2m'],
    [125_000, '2m05s'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
    [3_900_000, '1h05m'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('agrees with formatValue for seconds: the same text for the same time', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1e6, noNaN: true }), (s) => {
        expect(formatValue(s, 'seconds')).toBe(formatDuration(s * 1000));
      }),
    );
  });

  it('writes what the runbook would: the text parses back to the same time, rounded as shown', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * 86_400_000 }), (ms) => {
        const back = parseDuration(formatDuration(ms));
        expect(back, formatDuration(ms)).toBeDefined();
        // Whole seconds from a minute, whole minutes from an hour; two significant digits below.
        const slack = ms >= 3_600_000 - 500 ? 30_000 : ms >= 60_000 ? 500 : ms >= 10_000 ? 500 : ms >= 1000 ? 50 : 0.5;
        expect(Math.abs(back! - ms)).toBeLessThanOrEqual(slack);
      }),
    );
  });
});
