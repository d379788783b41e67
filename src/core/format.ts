/**
 * How values read on screen, by unit. Pure; shared by panes, the timeline, `cutover health`,
 * trigger reasons and reports, so a value and the threshold it is judged against always read
 * in the same unit (`15.5% > 10%`, `p95 2.4s > 2s`). Durations go through the one duration
 * formatter (runbook/duration.ts).
 */
import { type Check, holds } from '../runbook/check.js';
import {
  defaultDecimals,
  type Digits,
  durationDecimals,
  durationScale,
  fixedText,
  formatDuration,
  parseDuration,
} from '../runbook/duration.js';
import { sampleNumber, type SampleValue } from './events.js';

/** A panel's unit, as the runbook names it. */
export type Unit = 'ratio' | 'percent' | 'seconds' | 'bytes' | 'rps' | 'count';

/** How a number is shown: display = value × k, then the suffix. */
interface Scale {
  k: number;
  suffix: string;
}

const BYTES = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const SI = ['', 'k', 'M', 'G', 'T'];
/** Beyond these a plain number is unreadable: exponent notation. */
const HUGE = 1e6;
const TINY = 1e-6;
/** Seconds from which a duration is written as a number: about 1.6 years. */
const HUGE_SECONDS = 5e7;
/** Extra digits allowed to keep a value on the right side of its thresholds. */
const MAX_EXTRA = 6;

/**
 * Formats a sample value for its unit; NaN and infinities are shown as such, never as numbers.
 * `against`: the thresholds (in the value's unit) it is read next to; the value gets enough
 * digits to be compared with them by eye (99.95% next to 99.9% never reads `100%`).
 */
export function formatValue(v: SampleValue, unit?: Unit, against: readonly number[] = []): string {
  if (typeof v !== 'number') return v;
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  const scale = scaleOf(v, unit);
  // A minute and more of seconds reads as a duration (2m05s), in whole seconds; when that would put
  // it on the wrong side of a threshold (120.4s against 2m), in seconds with the digits it needs.
  if (!scale) {
    // Past a year and a half of seconds a duration stops being readable (2.8e+296h…): exponent notation.
    if (Math.abs(v) >= HUGE_SECONDS) return expo(v, unit, 2);
    const text = formatDuration(v * 1000);
    const shown = (parseDuration(text.replace(/^-/, '')) ?? Number.NaN) / 1000;
    const sameSide = against.filter(Number.isFinite).every((t) => cmp(Math.sign(v) * shown, t) === cmp(v, t));
    if (sameSide) return text;
    const d = digitsAgainst(v, { k: 1, suffix: 's' }, 'seconds', against);
    return `${fixedText(v, d.decimals, d.keep)}s`;
  }
  const x = v * scale.k;
  if (x !== 0 && (Math.abs(x) >= HUGE || Math.abs(x) < TINY)) return expo(v, unit, 2);
  const digits = digitsAgainst(v, scale, unit, against);
  if (unit === 'seconds') return formatDuration(v * 1000, digits);
  return `${fixedText(x, digits.decimals, digits.keep)}${scale.suffix}`;
}

/** Formats a check threshold in the panel's unit, e.g. `> 5%` for `> 0.05` on a ratio panel, `ratio > 2×`. */
export function formatThreshold(op: string, value: number, unit?: Unit, ratio = false): string {
  return ratio ? `ratio ${op} ${formatRatio(value, [], true)}` : `${op} ${exact(value, unit)}`;
}

/** A check as it reads in its panel's unit: `> 5%`, `<= 500ms`, `ratio > 2×`. */
export function formatCheck(check: Pick<Check, 'op' | 'value' | 'ratio'>, unit?: Unit): string {
  return formatThreshold(check.op, check.value, unit, check.ratio);
}

/**
 * A measured value against its check, in one unit: `15.5% > 10%`, with `forMs` `15.5% > 10% for 30s`.
 * A ratio check's value is the ratio (`21× > 2×`). A value that does not hold never reads as if
 * it did: `0.4%, condition > 10% for 30s`. `others`: the panel's other thresholds, which the value
 * must not seem to reach either (1.96s under a crit of 2s never reads `2s`).
 */
export function formatMeasured(
  v: SampleValue | null,
  check: Pick<Check, 'op' | 'value' | 'ratio'>,
  unit?: Unit,
  forMs?: number,
  others: readonly number[] = [],
): string {
  const n = v === null ? Number.NaN : typeof v === 'number' ? v : v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number.NaN;
  const against = [check.value, ...others];
  const value = v === null ? 'no data' : check.ratio ? formatRatio(n, against) : formatValue(v, unit, against);
  const condition = `${check.op} ${check.ratio ? formatRatio(check.value, [], true) : exact(check.value, unit)}${forMs ? ` for ${formatDuration(forMs)}` : ''}`;
  return holds(check, n) ? `${value} ${condition}` : `${value}, condition ${condition}`;
}

/**
 * A compare panel's reading: `canary 4.1s = 21× baseline 194ms`. `check` sets the digits the
 * ratio (or canary) needs; with `said`, the check follows as formatMeasured says it: `… > 2×`
 * when it holds, `…, condition > 2×` when it does not. A side without a value says why instead
 * of a number (`canary no traffic yet, baseline 194ms`), and then there is no ratio to judge.
 */
export function formatCompare(
  canary: SampleValue | undefined,
  baseline: SampleValue | undefined,
  unit?: Unit,
  check?: Pick<Check, 'op' | 'value' | 'ratio'>,
  said = false,
): string {
  const c = canary === undefined ? 'no traffic yet' : formatValue(canary, unit, check && !check.ratio ? [check.value] : []);
  const b = baseline === undefined ? 'no data' : formatValue(baseline, unit);
  const r = ratioValue(canary, baseline);
  if (r === undefined) return `canary ${c}, baseline ${b}`;
  const reading = `canary ${c} = ${formatRatio(r, check?.ratio ? [check.value] : [])} baseline ${b}`;
  if (!said || !check) return reading;
  const condition = `${check.op} ${check.ratio ? formatRatio(check.value, [], true) : exact(check.value, unit)}`;
  return holds(check, check.ratio ? r : sampleNumber(canary!)) ? `${reading} ${condition}` : `${reading}, condition ${condition}`;
}

/** A ratio such as `21×` or `0.48×`, digits enough to compare with `against`; `?×` when unknown. */
export function formatRatio(r: number | undefined, against: readonly number[] = [], asWritten = false): string {
  if (r === undefined || Number.isNaN(r)) return '?×';
  if (!Number.isFinite(r)) return `${r > 0 ? '+Inf' : '-Inf'}×`;
  if (asWritten) return `${exact(r)}×`;
  if (r !== 0 && (Math.abs(r) >= HUGE || Math.abs(r) < TINY)) return `${r.toExponential(2)}×`;
  const d = digitsAgainst(r, { k: 1, suffix: '×' }, undefined, against);
  return `${fixedText(r, d.decimals, d.keep)}×`;
}

/** canary / baseline when both are finite numbers and the baseline is not 0. */
function ratioValue(canary?: SampleValue, baseline?: SampleValue): number | undefined {
  if (typeof canary !== 'number' || typeof baseline !== 'number') return undefined;
  if (!Number.isFinite(canary) || !Number.isFinite(baseline) || baseline === 0) return undefined;
  return canary / baseline;
}

/** A threshold exactly as written, in the unit: every digit it has (99.95% stays 99.95%). */
function exact(v: number, unit?: Unit): string {
  if (!Number.isFinite(v)) return formatValue(v, unit);
  const scale = scaleOf(v, unit);
  if (!scale) return formatDuration(v * 1000);
  const x = v * scale.k;
  if (x !== 0 && (Math.abs(x) >= HUGE || Math.abs(x) < TINY)) return expo(v, unit);
  const digits = { decimals: Math.max(defaultDecimals(x), exactDecimals(x)) };
  return unit === 'seconds' ? formatDuration(v * 1000, digits) : `${fixedText(x, digits.decimals)}${scale.suffix}`;
}

/** Exponent notation in the unit's base (`1.00e+20`, `3.00e-7%`, `2.00e+9 B`); every digit when `digits` is not given. */
function expo(v: number, unit?: Unit, digits?: number): string {
  const k = unit === 'ratio' ? 100 : 1;
  const suffix =
    unit === 'ratio' || unit === 'percent' ? '%' : unit === 'bytes' ? ' B' : unit === 'rps' ? '/s' : unit === 'seconds' ? 's' : '';
  return `${(v * k).toExponential(digits)}${suffix}`;
}

/** The scale a value of this size is shown in; undefined for seconds of a minute and more (a duration). */
function scaleOf(v: number, unit?: Unit): Scale | undefined {
  const a = Math.abs(v);
  switch (unit) {
    case 'ratio':
      return { k: 100, suffix: '%' };
    case 'percent':
      return { k: 1, suffix: '%' };
    case 'seconds': {
      const d = durationScale(v * 1000);
      return d ? { k: 1000 * d.per, suffix: d.unit } : undefined;
    }
    case 'bytes': {
      const i = a < 1024 ? 0 : Math.min(BYTES.length - 1, Math.floor(Math.log2(a) / 10));
      return { k: 1024 ** -i, suffix: ` ${BYTES[i]}` };
    }
    case 'rps':
      return { ...si(a), suffix: `${si(a).suffix}/s` };
    default:
      return si(a);
  }
}

/** Thousands as k, M, G, T from 10,000 on (1234 stays 1234). */
function si(a: number): Scale {
  const i = a < 1e4 ? 0 : Math.min(SI.length - 1, Math.floor(Math.log10(a) / 3));
  return { k: 1000 ** -i, suffix: SI[i] };
}

/**
 * Digits for `v` shown next to thresholds: at least as many as a nearby threshold is written
 * with, one more when it is within that threshold's last digit, and more still (up to
 * MAX_EXTRA) until the shown value sits on the same side of every threshold as the real one,
 * and a percentage that is not 0 or 100 never shows as 0% or 100%.
 */
function digitsAgainst(v: number, scale: Scale, unit: Unit | undefined, against: readonly number[]): Digits {
  const x = v * scale.k;
  const d0 = unit === 'seconds' ? durationDecimals(x) : unit === undefined && scale.suffix === '×' ? ratioDecimals(x) : defaultDecimals(x);
  const ts = against.filter(Number.isFinite).map((t) => t * scale.k);
  let req = d0;
  for (const t of ts) {
    const dt = exactDecimals(t);
    const diff = Math.abs(x - t);
    if (diff < 10 ** (1 - dt)) req = Math.max(req, dt);
    if (diff < 10 ** -dt && cmp(x, t) !== 0) req = Math.max(req, dt + 1);
  }
  const percent = unit === 'ratio' || unit === 'percent';
  const keep = req > d0;
  for (let d = req; d <= req + MAX_EXTRA; d++) {
    const shown = Number(fixedText(x, d, keep));
    const sides = ts.every((t) => cmp(shown, t) === cmp(x, t));
    const edge = (shown === 0 && x !== 0) || (percent && shown === 100 && cmp(x, 100) !== 0);
    if (sides && !edge) return { decimals: d, keep };
  }
  return { decimals: req + MAX_EXTRA, keep };
}

/** A ratio reads in two significant digits at most above 10 (`21×`), two decimals below (`1.05×`). */
function ratioDecimals(x: number): number {
  return Math.abs(x) >= 10 ? 0 : defaultDecimals(x);
}

/** The fewest decimals (up to 6) that write `x` exactly. */
function exactDecimals(x: number): number {
  for (let d = 0; d < 6; d++) if (Math.abs(Number(x.toFixed(d)) - x) <= 1e-9 * Math.max(1, Math.abs(x))) return d;
  return 6;
}

/** -1, 0 or 1, with equality up to floating-point noise (0.1 × 100 is 10). */
function cmp(a: number, b: number): number {
  if (Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))) return 0;
  return a < b ? -1 : 1;
}
