/**
 * A panel's sparkline as pane lines: the window's max and min on the left, thresholds as dashed
 * rules (or an arrow when they lie off the chart), and for compare panels the canary (solid) and
 * the baseline (dotted) on one scale, with their ratio in a legend line.
 */
import { sampleNumber, type SampleValue } from '../../../core/events.js';
import { formatRatio, formatValue, type Unit } from '../../../core/format.js';
import type { HealthRow } from '../../../core/select-health.js';
import { formatDuration } from '../../../runbook/duration.js';
import { line, lineWidth, type Line } from '../../rows.js';
import { sparkChart, type ChartSeries } from '../../sparkline.js';
import type { Color } from '../../theme.js';

/** What a sparkline is drawn from; the renderer is injected so rows stay pure and testable. */
export interface SparkSpec {
  series: ChartSeries[];
  width: number;
  height: number;
  min: number;
  max: number;
  rules: number[];
  from?: number;
  step?: number;
}

/** Renders a chart to `height` lines of `width` characters. */
export type SparkRenderer = (spec: SparkSpec) => string[];

/** The braille renderer the console uses. */
export const brailleSpark: SparkRenderer = (s) =>
  sparkChart(s.series, {
    width: s.width,
    height: s.height,
    min: s.min,
    max: s.max,
    rules: s.rules,
    ...(s.from !== undefined ? { from: s.from } : {}),
    ...(s.step !== undefined ? { step: s.step } : {}),
  });

/** The check as the pane writes it: `warn > 2%`, `crit > 5%`; each part is shown whole or not at all. */
export function checkParts(r: HealthRow): string[] {
  return [r.warn && `warn ${r.warn}`, r.crit && `crit ${r.crit}`].filter((x): x is string => Boolean(x));
}

/** A panel's thresholds as numbers: warn and crit on the chart, ratio checks for the legend's digits. */
export interface ChartRules {
  warn?: number;
  crit?: number;
  ratios?: number[];
}

export interface ChartInput {
  width: number;
  height: number;
  spark: SparkRenderer;
  baseline?: [number, SampleValue][];
  rules?: ChartRules;
  color: boolean;
}

const INDENT = '    ';

/** The chart's lines (and a legend line first for compare panels); nothing when the window holds no number. */
export function chartLines(r: HealthRow, o: ChartInput): Line[] {
  const c = (k: Color): Color => (o.color ? k : undefined);
  // The window is refreshed every half minute or so; the samples taken since are drawn after it, so
  // the chart and its scale never contradict the value on the head line, and a rise between two
  // refreshes is a rise, not one dot at the end.
  const latest = (points: [number, SampleValue][], side: 'value' | 'baseline'): [number, SampleValue][] => {
    const last = points.length ? points[points.length - 1][0] : -Infinity;
    const after: [number, SampleValue][] = [];
    for (const x of r.recent ?? []) if (x.at > last && x[side] !== undefined) after.push([x.at, x[side]!]);
    return after.length ? [...points, ...after] : points;
  };
  const canary = latest(r.points ?? [], 'value');
  const baseline = r.compare ? (o.baseline ? latest(o.baseline, 'baseline') : []) : [];
  const values = [...canary, ...baseline].map(([, v]) => sampleNumber(v)).filter(Number.isFinite);
  const out: Line[] = [];
  if (r.compare) out.push(legend(r, canary, o.baseline && baseline, o.width, c, o.rules?.ratios ?? []));
  if (values.length === 0) return [...out, line(`${INDENT}no data in the sparkline window`, { dim: true })];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const rules = (['warn', 'crit'] as const)
    .filter((k) => o.rules?.[k] !== undefined && Number.isFinite(o.rules[k]))
    .map((k) => ({ name: k, value: o.rules![k]!, text: `${k} ${(k === 'warn' ? r.warn : r.crit) ?? formatValue(o.rules![k]!, r.unit)}` }));
  const inside = rules.filter((x) => x.value >= lo && x.value <= hi);
  const above = rules.filter((x) => x.value > hi);
  const below = rules.filter((x) => x.value < lo);
  const height = Math.max(1, o.height);
  // What each row says on its right: the rule drawn across it, or where an off-chart threshold is.
  const notes: string[] = Array.from({ length: height }, () => '');
  // The text row holding the dot row the chart draws `v` on (a flat window is drawn across the middle).
  const rowOf = (v: number) => {
    const dots = height * 4 - 1;
    return Math.floor((dots - Math.round((hi > lo ? (v - lo) / (hi - lo) : 0.5) * dots)) / 4);
  };
  const note = (row: number, text: string) => {
    notes[row] = notes[row] ? `${notes[row]} ${text}` : text;
  };
  const [min, max] = scaleLabels(lo, hi, r.unit);
  const room = o.width - INDENT.length - (height === 1 ? (hi === lo ? max : `${min}–${max}`).length : Math.max(max.length, min.length)) - 1;
  // Off-chart thresholds are named with their check when the chart keeps most of the row, by name otherwise.
  for (const short of [false, true]) {
    notes.fill('');
    for (const x of inside) note(rowOf(x.value), `┄ ${x.name}`);
    for (const x of above) note(0, `↑ ${short ? x.name : x.text}`);
    for (const x of below) note(height - 1, `↓ ${short ? x.name : x.text}`);
    if (Math.max(0, ...notes.map((n) => [...n].length)) + 1 <= room * 0.4) break;
  }
  const noteW = Math.max(0, ...notes.map((n) => [...n].length));
  const series: ChartSeries[] = [{ points: canary }, ...(baseline.length ? [{ points: baseline, dotted: true }] : [])];
  if (height === 1) {
    const label = hi === lo ? max : `${min}–${max}`;
    const w = Math.max(4, o.width - INDENT.length - label.length - 1 - (noteW ? noteW + 1 : 0));
    const [chart] = draw(o, series, w, 1, lo, hi, inside, r);
    return [
      ...out,
      [
        { text: `${INDENT}${label} `, dim: true },
        { text: chart, color: c('cyan') },
        { text: notes[0] ? ` ${notes[0]}` : '', dim: true },
      ],
    ];
  }
  const labelW = Math.max(max.length, min.length);
  const w = Math.max(4, o.width - INDENT.length - labelW - 1 - (noteW ? noteW + 1 : 0));
  const rows = draw(o, series, w, height, lo, hi, inside, r);
  rows.forEach((chart, i) => {
    const label = hi === lo ? (i === rowOf(hi) ? max : '') : i === 0 ? max : i === height - 1 ? min : '';
    out.push([
      { text: `${INDENT}${label.padStart(labelW)} `, dim: true },
      { text: chart, color: c('cyan') },
      { text: notes[i] ? ` ${notes[i]}` : '', dim: true, color: c(notes[i].includes('crit') ? 'red' : 'yellow') },
    ]);
  });
  return out;
}

function draw(
  o: ChartInput,
  series: ChartSeries[],
  width: number,
  height: number,
  lo: number,
  hi: number,
  rules: { value: number }[],
  r: HealthRow,
): string[] {
  return o.spark({
    series,
    width,
    height,
    min: lo,
    max: hi,
    rules: rules.map((x) => x.value),
    ...(r.range ? { from: r.range.from, step: r.range.step } : {}),
  });
}

/** `── canary ·· baseline  ratio 1.04× now, 0.98×–1.12× over 15m`: what the two lines are, and how they compare. */
function legend(
  r: HealthRow,
  canary: [number, SampleValue][],
  baseline: [number, SampleValue][] | undefined,
  width: number,
  c: (k: Color) => Color,
  checks: number[],
): Line {
  const now = r.compare?.ratio;
  const ratios = windowRatios(canary, baseline ?? []);
  const span = canary.length > 1 ? ` over ${formatDuration(canary[canary.length - 1][0] - canary[0][0])}` : '';
  // With the digits the ratio checks need: 1.996 next to `> 2×` never reads 2×.
  const [lo, hi] = ratios.length ? [formatRatio(Math.min(...ratios), checks), formatRatio(Math.max(...ratios), checks)] : [];
  const range = lo === undefined ? '' : lo === hi ? `, ${lo}` : `, ${lo}–${hi}`;
  const ratio = `ratio ${now === undefined ? 'unknown' : formatRatio(now, checks)} now`;
  const key: Line = [
    { text: `${INDENT}── canary`, color: c('cyan') },
    { text: baseline === undefined ? '  (no baseline window)' : '  ·· baseline', dim: baseline === undefined, color: c('cyan') },
  ];
  // Parts are left out whole, the least needed first, rather than a ratio cut mid-number.
  const candidates: Line[] = [
    [...key, { text: `  ${ratio}${range}${range ? span : ''}`, dim: true }],
    [...key, { text: `  ${ratio}${range}`, dim: true }],
    [...key, { text: `  ${ratio}`, dim: true }],
    [{ text: `${INDENT}${baseline === undefined ? '' : '── canary ·· baseline  '}${ratio}`, dim: true }],
    [{ text: `${INDENT}${ratio}`, dim: true }],
  ];
  return candidates.find((l) => lineWidth(l) <= width) ?? candidates[candidates.length - 1];
}

/**
 * The window's min and max as text in the panel's unit; when the usual precision writes both the
 * same (0.048% and 0.052% as `0.05%`), with as many significant digits as it takes to tell them apart.
 */
export function scaleLabels(lo: number, hi: number, unit?: Unit): [string, string] {
  const plain: [string, string] = [formatValue(lo, unit), formatValue(hi, unit)];
  if (lo === hi || plain[0] !== plain[1]) return plain;
  for (let digits = 3; digits <= 8; digits++) {
    const f = (v: number) => precise(v, unit, digits);
    if (f(lo) !== f(hi)) return [f(lo), f(hi)];
  }
  return plain;
}

function precise(v: number, unit: Unit | undefined, digits: number): string {
  const n = (x: number) => String(Number(x.toPrecision(digits)));
  switch (unit) {
    case 'ratio':
      return `${n(v * 100)}%`;
    case 'percent':
      return `${n(v)}%`;
    case 'seconds':
      return Math.abs(v) < 1 ? `${n(v * 1000)}ms` : `${n(v)}s`;
    case 'rps':
      return `${n(v)}/s`;
    case 'bytes':
      return formatValue(v, unit);
    default:
      return n(v);
  }
}

/** canary / baseline at every timestamp where both are finite numbers and the baseline is not 0. */
export function windowRatios(canary: [number, SampleValue][], baseline: [number, SampleValue][]): number[] {
  const base = new Map(baseline.map(([t, v]) => [t, sampleNumber(v)]));
  const out: number[] = [];
  for (const [t, v] of canary) {
    const b = base.get(t);
    const x = sampleNumber(v);
    if (b !== undefined && Number.isFinite(b) && b !== 0 && Number.isFinite(x)) out.push(x / b);
  }
  return out;
}
