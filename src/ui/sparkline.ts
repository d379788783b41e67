/**
 * Sparklines drawn with the braille canvas of drawille-canvas-blessed-contrib, as plain text:
 * one braille cell holds 2x4 dots, so a `width` x `height` cell sparkline has twice the width
 * and four times the height in dots. Pure: points in, string out; no Ink, no colours.
 */
import { createRequire } from 'node:module';
import { sampleNumber, type SampleValue } from '../core/events.js';

/** The part of the library's canvas context that is used here (it ships no types). */
interface BrailleContext {
  _canvas: { set(x: number, y: number): void; frame(delimiter?: string): string };
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
}

const BrailleCanvas = createRequire(import.meta.url)('drawille-canvas-blessed-contrib') as new (w: number, h: number) => BrailleContext;

/** Where the points sit in time and value; every field is optional. */
export interface SparklineOptions {
  /** Size in terminal cells. */
  width: number;
  height: number;
  /** Start of the window and the spacing of points (ms); gaps are missing steps. Inferred when absent. */
  from?: number;
  step?: number;
  /** End of the window (ms); default: the last point. */
  to?: number;
  /** Value range; default: the points' own minimum and maximum. */
  min?: number;
  max?: number;
}

/**
 * Renders points `[ms, value]` (oldest first) as `height` lines of `width` characters. Missing
 * steps, NaN and infinities are gaps in the line, never zeros. No points: blank lines.
 */
export function sparkline(points: readonly [number, SampleValue][], o: SparklineOptions): string {
  const width = Math.max(1, Math.floor(o.width));
  const height = Math.max(1, Math.floor(o.height));
  const W = width * 2;
  const H = height * 4;
  const ctx = new BrailleCanvas(W, H);
  const good = points.filter(([, v]) => Number.isFinite(sampleNumber(v)));
  if (good.length > 0) {
    const step = o.step !== undefined && o.step > 0 ? o.step : inferStep(points);
    const from = o.from ?? points[0][0];
    const to = Math.max(o.to ?? points[points.length - 1][0], from + step);
    const values = good.map(([, v]) => sampleNumber(v));
    const lo = o.min ?? Math.min(...values);
    const hi = o.max ?? Math.max(...values);
    const slots = Math.max(1, Math.round((to - from) / step));
    const xOf = (t: number) => Math.round((Math.round((t - from) / step) / slots) * (W - 1));
    const yOf = (v: number) => {
      const f = hi > lo ? (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo) : 0.5;
      return H - 1 - Math.round(f * (H - 1));
    };
    ctx.beginPath();
    let prev: number | undefined;
    let runStart: [number, number] | undefined;
    let runLength = 0;
    const endRun = () => {
      // A lone point has no segment to stroke: set its dot directly.
      if (runStart && runLength === 1) ctx._canvas.set(runStart[0], runStart[1]);
      runStart = undefined;
      runLength = 0;
    };
    for (const [t, v] of points) {
      const n = sampleNumber(v);
      const slot = Math.round((t - from) / step);
      if (!Number.isFinite(n) || slot < 0 || slot > slots) {
        endRun();
        prev = undefined;
        continue;
      }
      const x = xOf(t);
      const y = yOf(n);
      if (prev !== undefined && slot - prev === 1) {
        ctx.lineTo(x, y);
        runLength++;
      } else {
        endRun();
        ctx.moveTo(x, y);
        runStart = [x, y];
        runLength = 1;
      }
      prev = slot;
    }
    endRun();
    ctx.stroke();
  }
  // The canvas wraps every dot in colour codes; the sparkline is plain text.
  const lines = ctx._canvas
    .frame('\n')
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n');
  return lines.slice(0, height).join('\n');
}

/** The smallest spacing between consecutive points (1 s when there are fewer than two). */
function inferStep(points: readonly [number, SampleValue][]): number {
  let step = Infinity;
  for (let i = 1; i < points.length; i++) {
    const d = points[i][0] - points[i - 1][0];
    if (d > 0 && d < step) step = d;
  }
  return Number.isFinite(step) ? step : 1000;
}
