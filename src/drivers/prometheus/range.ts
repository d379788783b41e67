/**
 * Sparkline windows: one `query_range` per panel over its `range` (default 15 min), with a step
 * fitted to the width it is drawn in, emitted as `metric/range`.
 */
import { sampleNumber, type SampleValue } from '../../core/events.js';
import type { Panel } from '../../runbook/schema.js';
import type { DriverContext } from '../context.js';
import type { PromClient, RangeSeries } from './client.js';

/** Sparkline window when the panel sets no `range`. */
export const DEFAULT_RANGE_MS = 15 * 60_000;

/**
 * Step (ms) for a window drawn `widthCells` terminal cells wide: a braille cell holds two dots
 * across, so one point per dot; whole seconds, never under 1 s.
 */
export function rangeStep(rangeMs: number, widthCells: number): number {
  const dots = Math.max(1, Math.floor(widthCells) * 2);
  return Math.max(1000, Math.ceil(rangeMs / dots / 1000) * 1000);
}

/**
 * The window ending at `now`, aligned to whole steps so that successive refreshes put points on
 * the same timestamps (the line does not shimmer as it scrolls).
 */
export function rangeWindow(rangeMs: number, widthCells: number, now: number): { start: number; end: number; step: number } {
  const step = rangeStep(rangeMs, widthCells);
  const end = Math.floor(now / step) * step;
  return { start: end - Math.ceil(rangeMs / step) * step, end, step };
}

/** The series a sparkline follows: the one with the highest latest value, as the headline does. */
export function pickSeries(series: RangeSeries[]): RangeSeries | undefined {
  const last = (s: RangeSeries) => {
    const v = s.points.length ? sampleNumber(s.points[s.points.length - 1][1]) : NaN;
    return Number.isNaN(v) ? -Infinity : v;
  };
  let best: RangeSeries | undefined;
  for (const s of series) if (!best || last(s) > last(best)) best = s;
  return best;
}

/**
 * Fetches one panel's window and emits `metric/range` (a compare panel: its canary, and its
 * baseline over the same window, so the pane draws both).
 * Failures are returned, not emitted: the instant query of the same panel already reports them,
 * and a failed sparkline must not turn a panel with a good value into an error.
 */
export async function pollRange(
  client: PromClient,
  panel: Panel,
  ctx: DriverContext,
  widthCells: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const query = panel.query ?? panel.compare?.canary;
  if (query === undefined) return false;
  const w = rangeWindow(panel.range ?? DEFAULT_RANGE_MS, widthCells, ctx.now());
  try {
    const r = await client.queryRange(query, w, signal ? { signal } : {});
    if (signal?.aborted) return false;
    const points: [number, SampleValue][] = pickSeries(r.series)?.points ?? [];
    // The baseline is optional to the picture: if its query fails, the canary is still drawn.
    const base = panel.compare
      ? await client.queryRange(panel.compare.baseline, w, signal ? { signal } : {}).catch(() => undefined)
      : undefined;
    if (signal?.aborted) return false;
    const baseline: [number, SampleValue][] | undefined = base ? (pickSeries(base.series)?.points ?? []) : undefined;
    ctx.emit({
      type: 'metric/range',
      t: ctx.now(),
      panel: panel.id,
      from: w.start,
      step: w.step,
      points,
      ...(baseline ? { baseline } : {}),
    });
    return true;
  } catch {
    return false;
  }
}
