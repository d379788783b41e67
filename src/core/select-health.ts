/** The health pane's rows, and `cutover health`'s: one per panel, status decided here only. */
import { holds, type Check } from '../runbook/check.js';
import type { Panel } from '../runbook/schema.js';
import { sampleNumber, type SampleValue, type Series } from './events.js';
import { formatCompare, formatRatio, formatThreshold, formatValue, type Unit } from './format.js';
import type { PanelState, SessionState } from './state.js';
import { formatDuration } from '../runbook/duration.js';
import { classText, metricFigures } from '../judge/text.js';

/** ok/warn/crit from the checks; the rest say why there is no trustworthy value. */
export type PanelStatus = 'ok' | 'warn' | 'crit' | 'nodata' | 'stale' | 'unreachable' | 'error' | 'waiting' | 'unknown';

/** Default poll interval when neither the panel nor the runbook sets one. */
export const DEFAULT_INTERVAL_MS = 5000;
/** Series shown per panel when a query returns several. */
export const TOP_SERIES = 3;

export interface HealthRow {
  id: string;
  title: string;
  unit?: Unit;
  status: PanelStatus;
  /**
   * The headline value as text, with the digits its thresholds need ("1.2%", "99.95%", "no data",
   * "NaN"); on a compare panel the whole reading ("canary 4.1s = 21× baseline 194ms",
   * "canary no traffic yet, baseline 194ms").
   */
  text: string;
  value?: SampleValue;
  /** Compare panels: canary, baseline and ratio (undefined ratio = unknown). */
  compare?: { canary?: SampleValue; baseline?: SampleValue; ratio?: number };
  /** Compare panels: the reading for a narrow column, whole ("4s = 22×", "no traffic yet", "NaN, no ratio"). */
  brief?: string;
  /** Top series when the query returned several, highest value first. */
  series: { labels: string; value: SampleValue; text: string }[];
  seriesCount: number;
  warn?: string;
  crit?: string;
  /** Why the status is what it is, when it is not simply a value ("Prometheus: connection refused"). */
  detail?: string;
  warnings?: string[];
  sampledAt?: number;
  points?: [number, SampleValue][];
  /** Samples since the window's last point (headline value; a compare panel's baseline too). */
  recent?: { at: number; value: SampleValue; baseline?: SampleValue }[];
  /** Start and step of the sparkline window, so gaps and a young series are drawn where they are. */
  range?: { from: number; step: number };
  /** A panel past a threshold: the value against the check it crossed and by how much ("crit: 12% > 10%, past it by 2%"). */
  margin?: string;
  /** A judged panel: its latest class and the figures behind it ("HIGH 40 vs 40 values, U 1600, …"). */
  judged?: { class: string; text: string; why: string };
}

/** Rows for every panel of the runbook, evaluated at `now`. */
export function selectHealth(state: SessionState, now: number): HealthRow[] {
  const rb = state.session?.runbook;
  if (!rb) return [];
  const base = rb.prometheus?.interval ?? DEFAULT_INTERVAL_MS;
  const judged = new Map((state.judge?.latest.metrics ?? []).map((m) => [m.panel, m]));
  return (rb.health ?? []).map((p) => {
    const row = withMargin(p, panelRow(p, state.panels[p.id], now, p.interval ?? base));
    const m = judged.get(p.id);
    return m ? { ...row, judged: { class: m.class, text: `${classText(m.class)}  ${metricFigures(m, p.unit)}`, why: m.why } } : row;
  });
}

/** The row with its margin when it is past a threshold: the value, the condition it meets, and by how much. */
function withMargin(p: Panel, row: HealthRow): HealthRow {
  if (row.status !== 'warn' && row.status !== 'crit') return row;
  const check = row.status === 'crit' ? p.crit : p.warn;
  if (!check) return row;
  const v = check.ratio ? row.compare?.ratio : row.value === undefined ? undefined : sampleNumber(row.value);
  // The headline is the highest series: a "below" check may have been crossed by another one.
  if (v === undefined || !Number.isFinite(v) || !holds(check, v)) return row;
  const by = Math.abs(v - check.value);
  const measured = check.ratio
    ? `ratio ${formatRatio(v, [check.value])} ${check.op} ${formatRatio(check.value, [], true)}`
    : `${formatValue(v, p.unit, [check.value])} ${formatThreshold(check.op, check.value, p.unit)}`;
  return { ...row, margin: `${row.status}: ${measured}, past it by ${check.ratio ? formatRatio(by) : formatValue(by, p.unit)}` };
}

/** One panel's row. */
export function panelRow(p: Panel, ps: PanelState | undefined, now: number, intervalMs: number): HealthRow {
  const row: HealthRow = {
    id: p.id,
    title: p.title,
    status: 'waiting',
    text: '…',
    series: [],
    seriesCount: 0,
    ...(p.unit ? { unit: p.unit } : {}),
  };
  // Thresholds read in the panel's unit ("> 5%" for "> 0.05" on a ratio panel), like the value.
  if (p.warn) row.warn = formatThreshold(p.warn.op, p.warn.value, p.unit, p.warn.ratio);
  if (p.crit) row.crit = formatThreshold(p.crit.op, p.crit.value, p.unit, p.crit.ratio);
  if (ps?.range) {
    row.points = ps.range.points;
    row.range = { from: ps.range.from, step: ps.range.step };
    if (ps.recent?.length) row.recent = ps.recent;
  }
  const sample = ps?.sample;
  const err = ps?.error;
  if (err && (!sample || err.t >= sample.t)) {
    row.status = err.kind === 'query' || err.kind === 'bad-response' || err.kind === 'config' ? 'error' : 'unreachable';
    row.text = row.status === 'error' ? 'error' : 'unreachable';
    row.detail = err.message;
    return row;
  }
  if (!sample) return row;
  row.sampledAt = sample.t;
  if (sample.warnings) row.warnings = sample.warnings;
  const sorted = sortSeries(sample.series);
  row.seriesCount = sorted.length;
  const against = thresholds(p);
  row.series = sorted
    .slice(0, TOP_SERIES)
    .map((s) => ({ labels: labelText(s.labels), value: s.value, text: formatValue(s.value, p.unit, against) }));
  if (now - sample.t > 2 * intervalMs) {
    row.status = 'stale';
    row.text = 'stale';
    row.detail = `last value ${formatDuration(Math.round((now - sample.t) / 1000) * 1000)} old`;
    return row;
  }
  if (p.compare) return compareRow(p, row, sorted[0]?.value, sortSeries(sample.baseline ?? [])[0]?.value, hadValue(ps));
  if (sorted.length === 0) return { ...row, status: 'nodata', text: 'no data', detail: 'the query returned no series' };
  row.value = sorted[0].value;
  row.text = formatValue(row.value, p.unit, against);
  const values = sorted.map((s) => sampleNumber(s.value));
  row.status = statusOf(p, values);
  // NaN is not a pass: a panel whose every series is NaN, or whose only answers besides NaN are fine, is unknown.
  if (row.status === 'ok' && values.some(Number.isNaN)) {
    row.status = 'unknown';
    row.detail = `Prometheus returned NaN${values.every(Number.isNaN) ? '' : ` for ${values.filter(Number.isNaN).length} of ${values.length} series`}: ${NAN_MEANS}`;
  }
  return row;
}

/** What a NaN from Prometheus almost always is, said once. */
const NAN_MEANS = 'usually 0/0, no requests in the query window';

/**
 * A compare panel. No series for the canary is "no traffic yet" (its series appear with its
 * first request) or, when the window shows it had values, "no data"; a NaN is what Prometheus
 * returned (0/0: no requests in the window) and is shown as NaN, with that said. Either way the
 * status is never OK: there is nothing to compare.
 */
function compareRow(
  p: Panel,
  row: HealthRow,
  canary: SampleValue | undefined,
  baseline: SampleValue | undefined,
  hadCanary: boolean,
): HealthRow {
  const ratio = ratioOf(canary, baseline);
  row.compare = {
    ...(canary !== undefined ? { canary } : {}),
    ...(baseline !== undefined ? { baseline } : {}),
    ...(ratio !== undefined ? { ratio } : {}),
  };
  const ratioCheck = p.crit?.ratio ? p.crit : p.warn?.ratio ? p.warn : (p.crit ?? p.warn);
  row.text = formatCompare(canary, baseline, p.unit, ratioCheck);
  if (canary === undefined) {
    if (hadCanary)
      return {
        ...row,
        text: row.text.replace('no traffic yet', 'no data'),
        brief: 'no data',
        status: 'nodata',
        detail: 'the canary query returned no series',
      };
    return {
      ...row,
      brief: 'no traffic yet',
      status: 'nodata',
      detail: 'the canary query returned no series: no traffic to the canary yet',
    };
  }
  const shown = formatValue(canary, p.unit, ratioCheck && !ratioCheck.ratio ? [ratioCheck.value] : []);
  row.brief = ratio === undefined ? `${shown}, no ratio` : `${shown} = ${formatRatio(ratio, ratioCheck?.ratio ? [ratioCheck.value] : [])}`;
  row.value = canary;
  const judge = (c?: Check) => c !== undefined && (c.ratio ? ratio !== undefined && holds(c, ratio) : holds(c, sampleNumber(canary)));
  row.status = judge(p.crit) ? 'crit' : judge(p.warn) ? 'warn' : 'ok';
  if (ratio === undefined) {
    const nan = [
      Number.isNaN(sampleNumber(canary)) && 'the canary',
      baseline !== undefined && Number.isNaN(sampleNumber(baseline)) && 'the baseline',
    ]
      .filter(Boolean)
      .join(' and ');
    row.detail =
      baseline === undefined
        ? 'the baseline query returned no series: ratio unknown'
        : nan
          ? `Prometheus returned NaN for ${nan} (${NAN_MEANS}): ratio unknown`
          : sampleNumber(baseline) === 0
            ? 'baseline is 0: ratio unknown'
            : 'canary or baseline is infinite: ratio unknown';
    // A ratio check that cannot be evaluated is not a pass: say unknown (it never fires either).
    if (row.status === 'ok' && (p.crit?.ratio || p.warn?.ratio)) row.status = 'unknown';
  }
  if (row.status === 'ok' && Number.isNaN(sampleNumber(canary))) {
    row.status = 'unknown';
    row.detail ??= `Prometheus returned NaN for the canary (${NAN_MEANS})`;
  }
  return row;
}

/** The thresholds of a panel's value checks (not ratio checks), in its unit. */
function thresholds(p: Panel): number[] {
  return [p.warn, p.crit].filter((c): c is Check => c !== undefined && !c.ratio).map((c) => c.value);
}

/** True when the panel's window shows the (canary) series had a number. */
function hadValue(ps: PanelState | undefined): boolean {
  return ps?.range?.points.some(([, v]) => typeof v === 'number') ?? false;
}

/** canary / baseline; unknown (undefined) when the baseline is missing, zero or not finite. */
export function ratioOf(canary?: SampleValue, baseline?: SampleValue): number | undefined {
  if (canary === undefined || baseline === undefined) return undefined;
  const c = sampleNumber(canary);
  const b = sampleNumber(baseline);
  if (!Number.isFinite(b) || b === 0 || !Number.isFinite(c)) return undefined;
  return c / b;
}

function statusOf(p: Panel, values: number[]): PanelStatus {
  if (p.crit && values.some((v) => holds(p.crit!, v))) return 'crit';
  if (p.warn && values.some((v) => holds(p.warn!, v))) return 'warn';
  return 'ok';
}

/** Highest value first; NaN last. Keeps the order stable for equal values. */
export function sortSeries(series: Series[]): Series[] {
  return [...series].sort((a, b) => {
    const x = sampleNumber(a.value);
    const y = sampleNumber(b.value);
    if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
    return x === y ? 0 : y > x ? 1 : -1;
  });
}

function labelText(labels: Record<string, string>): string {
  const entries = Object.entries(labels).filter(([k]) => k !== '__name__');
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}` : '{}';
}
