/** How values read on screen, by unit. Pure; shared by panes, `cutover health` and reports. */
import type { SampleValue } from './events.js';

/** A panel's unit, as the runbook names it. */
export type Unit = 'ratio' | 'percent' | 'seconds' | 'bytes' | 'rps' | 'count';

/** Formats a sample value for its unit; NaN and infinities are shown as such, never as numbers. */
export function formatValue(v: SampleValue, unit?: Unit): string {
  if (v === 'NaN' || v === '+Inf' || v === '-Inf') return v;
  switch (unit) {
    case 'ratio':
      return `${trim(v * 100)}%`;
    case 'percent':
      return `${trim(v)}%`;
    case 'seconds':
      return seconds(v);
    case 'bytes':
      return bytes(v);
    case 'rps':
      return `${trim(v)}/s`;
    default:
      return trim(v);
  }
}

/** Formats a check threshold in the panel's unit, e.g. `> 5%` for `> 0.05` on a ratio panel. */
export function formatThreshold(op: string, value: number, unit?: Unit, ratio = false): string {
  return ratio ? `ratio ${op} ${trim(value)}` : `${op} ${formatValue(value, unit)}`;
}

function trim(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e6) return v.toExponential(2);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return String(Number(v.toFixed(1)));
  if (a >= 0.01) return v.toFixed(2).replace(/\.?0+$/, '');
  return v.toPrecision(2);
}

function seconds(v: number): string {
  const a = Math.abs(v);
  if (a < 1e-3) return `${trim(v * 1e6)}µs`;
  if (a < 1) return `${trim(v * 1000)}ms`;
  if (a < 120) return `${trim(v)}s`;
  return `${trim(v / 60)}m`;
}

function bytes(v: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let x = v;
  let i = 0;
  while (Math.abs(x) >= 1024 && i < units.length - 1) [x, i] = [x / 1024, i + 1];
  return `${trim(x)} ${units[i]}`;
}
