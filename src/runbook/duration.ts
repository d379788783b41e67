/**
 * Durations as the runbook writes them (`500ms`, `30s`, `2m`, `1h30m`), and the one formatter
 * that every pane, report and command uses to show a duration, whether it is a clock, a planned
 * time or a metric in seconds.
 */

/** The pattern a duration string must match (also used in the JSON Schema). */
export const DURATION_PATTERN = '^(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+$';
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = new RegExp(DURATION_PATTERN);
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration into milliseconds, or returns undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!WHOLE.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return Math.round(ms);
}

/** Below a minute a duration is one number and a unit; these are the units, smallest first. */
const SCALES = [
  { below: 1, per: 1000, unit: 'µs' },
  { below: 1000, per: 1, unit: 'ms' },
  { below: 60_000, per: 1 / 1000, unit: 's' },
] as const;

/** The unit a duration of `ms` is shown in below a minute, and its factor from ms (undefined: minutes and up). */
export function durationScale(ms: number): { below: number; per: number; unit: string } | undefined {
  const a = Math.abs(ms);
  return a === 0 ? SCALES[2] : SCALES.find((s) => a < s.below);
}

/** Decimals to show, and whether to keep trailing zeros (they say how precise the number is). */
export interface Digits {
  decimals: number;
  keep?: boolean;
}

/**
 * Formats milliseconds the way a person reads them, and the way a runbook writes them:
 * `250µs`, `450ms`, `1.5s`, `12s`, `2m`, `2m05s`, `1h30m`. Below a minute `digits` (default:
 * by magnitude, trailing zeros dropped) sets the decimals; from a minute on it is whole seconds
 * (whole minutes past an hour). Negative stays negative: clocks clamp before they get here.
 */
export function formatDuration(ms: number, digits?: Digits): string {
  if (!Number.isFinite(ms)) return Number.isNaN(ms) ? 'NaN' : ms > 0 ? '+Inf' : '-Inf';
  const neg = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  const scale = durationScale(a);
  if (scale) {
    const x = a * scale.per;
    const text = fixedText(x, digits?.decimals ?? durationDecimals(x), digits?.keep);
    // Rounding up to the next unit (999.7ms, 59.97s) reads as that unit.
    if (Number(text) / scale.per >= scale.below) return formatDuration(Math.sign(ms) * scale.below, digits);
    return `${neg}${text}${scale.unit}`;
  }
  const total = Math.round(a / 1000);
  if (total >= 3600) {
    // Past an hour, to the nearest minute.
    const minutes = Math.round(a / 60_000);
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return `${neg}${h}h${m ? `${String(m).padStart(2, '0')}m` : ''}`;
  }
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${neg}${m}m${s ? `${String(s).padStart(2, '0')}s` : ''}`;
}

/** Formats elapsed time as `T+MM:SS` (or `T+H:MM:SS` past an hour). */
export function formatElapsed(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `T${sign}${h}:${mm}:${ss}` : `T${sign}${mm}:${ss}`;
}

/**
 * Digits after the point that show a number of this size well: none from 100, one from 10, two
 * from 0.01, and two significant digits below that.
 */
export function defaultDecimals(x: number): number {
  const a = Math.abs(x);
  if (a === 0 || a >= 100) return 0;
  if (a >= 10) return 1;
  if (a >= 0.01) return 2;
  return Math.min(20, 1 - Math.floor(Math.log10(a)));
}

/** Digits a duration of this size needs by default (in its unit): `1.5s`, `12s`, `450ms`, `2.5ms`. */
export function durationDecimals(x: number): number {
  const a = Math.abs(x);
  return a >= 10 || a === 0 ? 0 : a >= 1 ? 1 : defaultDecimals(a);
}

/** `x` with `decimals` digits after the point; trailing zeros dropped unless `keep`. Never `-0`. */
export function fixedText(x: number, decimals: number, keep = false): string {
  let s = x.toFixed(Math.max(0, Math.min(20, decimals)));
  if (!keep && s.includes('.')) s = s.replace(/\.?0+$/, '');
  return /^-0(?:\.0*)?$/.test(s) ? s.slice(1) : s;
}
