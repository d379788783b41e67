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

/** One series of a chart; a dotted one is drawn with every other dot, so two series read apart without colour. */
export interface ChartSeries {
  points: readonly [number, SampleValue][];
  dotted?: boolean;
}

/** A chart's options: a sparkline's, and horizontal rules (thresholds) drawn dashed at those values. */
export interface ChartOptions extends SparklineOptions {
  rules?: number[];
}

/**
 * Renders points `[ms, value]` (oldest first) as `height` lines of `width` characters. Missing
 * steps, NaN and infinities are gaps in the line, never zeros. No points: blank lines.
 */
export function sparkline(points: readonly [number, SampleValue][], o: SparklineOptions): string {
  return sparkChart([{ points }], o).join('\n');
}

/**
 * Several series on one canvas sharing one time window and one value range (the first series'
 * window unless `from`/`step` are given; the values of all of them unless `min`/`max` are), with
 * dashed rules across it. Returns `height` lines of `width` characters.
 */
export function sparkChart(series: readonly ChartSeries[], o: ChartOptions): string[] {
  const width = Math.max(1, Math.floor(o.width));
  const height = Math.max(1, Math.floor(o.height));
  const W = width * 2;
  const H = height * 4;
  const ctx = new BrailleCanvas(W, H);
  const all = series.flatMap((s) => s.points);
  const values = all.map(([, v]) => sampleNumber(v)).filter(Number.isFinite);
  const first = series.find((s) => s.points.length > 0)?.points ?? [];
  if (values.length > 0) {
    const step = o.step !== undefined && o.step > 0 ? o.step : inferStep(first);
    const from = o.from ?? first[0][0];
    const to = Math.max(o.to ?? Math.max(...series.map((s) => s.points.at(-1)?.[0] ?? -Infinity)), from + step);
    const lo = o.min ?? Math.min(...values);
    const hi = o.max ?? Math.max(...values);
    const slots = Math.max(1, Math.round((to - from) / step));
    const xOf = (t: number) => Math.round((Math.round((t - from) / step) / slots) * (W - 1));
    const yOf = (v: number) => {
      const f = hi > lo ? (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo) : 0.5;
      return H - 1 - Math.round(f * (H - 1));
    };
    for (const r of o.rules ?? []) {
      if (!Number.isFinite(r) || r < lo || r > hi) continue;
      // Dashes of one cell on, one cell off: a rule never reads as a series.
      for (let x = 0; x < W; x++) if (x % 4 < 2) ctx._canvas.set(x, yOf(r));
    }
    for (const s of series) {
      const draw = s.dotted ? dotted(ctx) : solid(ctx);
      let prev: number | undefined;
      for (const [t, v] of s.points) {
        const n = sampleNumber(v);
        const slot = Math.round((t - from) / step);
        if (!Number.isFinite(n) || slot < 0 || slot > slots) {
          draw.end();
          prev = undefined;
          continue;
        }
        if (prev !== undefined && slot - prev === 1) draw.to(xOf(t), yOf(n));
        else draw.start(xOf(t), yOf(n));
        prev = slot;
      }
      draw.end();
    }
  }
  // The canvas wraps every dot in colour codes; the sparkline is plain text.
  const lines = ctx._canvas
    .frame('\n')
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n');
  return lines.slice(0, height);
}

interface Pen {
  start(x: number, y: number): void;
  to(x: number, y: number): void;
  end(): void;
}

/** A continuous line, stroked by the library. */
function solid(ctx: BrailleContext): Pen {
  let runStart: [number, number] | undefined;
  let runLength = 0;
  ctx.beginPath();
  const endRun = () => {
    // A lone point has no segment to stroke: set its dot directly.
    if (runStart && runLength === 1) ctx._canvas.set(runStart[0], runStart[1]);
    runStart = undefined;
    runLength = 0;
  };
  return {
    start(x, y) {
      endRun();
      ctx.moveTo(x, y);
      runStart = [x, y];
      runLength = 1;
    },
    to(x, y) {
      ctx.lineTo(x, y);
      runLength++;
    },
    end() {
      endRun();
      ctx.stroke();
      ctx.beginPath();
    },
  };
}

/** Every other dot of the line (Bresenham), so it reads apart from a solid one on the same canvas. */
function dotted(ctx: BrailleContext): Pen {
  let at: [number, number] | undefined;
  let n = 0;
  const dot = (x: number, y: number) => {
    if (n++ % 2 === 0) ctx._canvas.set(x, y);
  };
  return {
    start(x, y) {
      at = [x, y];
      n = 0;
      dot(x, y);
    },
    to(x1, y1) {
      if (!at) return this.start(x1, y1);
      let [x, y] = at;
      const dx = Math.abs(x1 - x);
      const dy = -Math.abs(y1 - y);
      const sx = x < x1 ? 1 : -1;
      const sy = y < y1 ? 1 : -1;
      let err = dx + dy;
      while (x !== x1 || y !== y1) {
        const e2 = 2 * err;
        if (e2 >= dy) [err, x] = [err + dy, x + sx];
        if (e2 <= dx) [err, y] = [err + dx, y + sy];
        dot(x, y);
      }
      at = [x1, y1];
    },
    end() {
      at = undefined;
    },
  };
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
