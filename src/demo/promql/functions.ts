/**
 * The PromQL functions the simulated endpoint knows, computed the way Prometheus computes them:
 * rate and increase extrapolate to the window's edges and correct counter resets;
 * histogram_quantile interpolates linearly inside the bucket that holds the rank.
 */

/** A point of a series: time (ms) and value. */
export interface Point {
  t: number;
  v: number;
}

/** Prometheus's extrapolatedRate: `increase` over [start, end], per second when `perSecond`. */
export function extrapolatedRate(points: Point[], start: number, end: number, perSecond: boolean, counter = true): number | undefined {
  if (points.length < 2) return undefined;
  const first = points[0];
  const last = points[points.length - 1];
  let result = last.v - first.v;
  if (counter) {
    let prev = first.v;
    for (const p of points) {
      if (p.v < prev) result += prev;
      prev = p.v;
    }
  }
  const sampled = (last.t - first.t) / 1000;
  if (sampled <= 0) return undefined;
  let toStart = (first.t - start) / 1000;
  const toEnd = (end - last.t) / 1000;
  const avgGap = sampled / (points.length - 1);
  if (counter && result > 0 && first.v >= 0) toStart = Math.min(toStart, sampled * (first.v / result));
  const threshold = avgGap * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : avgGap / 2;
  interval += toEnd < threshold ? toEnd : avgGap / 2;
  result *= interval / sampled;
  return perSecond ? result / ((end - start) / 1000) : result;
}

/** irate: the per-second rate between the last two points. */
export function instantRate(points: Point[]): number | undefined {
  if (points.length < 2) return undefined;
  const [a, b] = points.slice(-2);
  const dv = b.v < a.v ? b.v : b.v - a.v;
  return b.t > a.t ? dv / ((b.t - a.t) / 1000) : undefined;
}

/** One bucket of a classic histogram: upper bound and cumulative count. */
export interface Bucket {
  le: number;
  count: number;
}

/** Prometheus's bucketQuantile. */
export function bucketQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const buckets = [...input].sort((a, b) => a.le - b.le);
  if (buckets.length < 2 || buckets[buckets.length - 1].le !== Infinity) return NaN;
  // Counts must not fall as bounds rise (a scrape can catch buckets mid-update).
  for (let i = 1; i < buckets.length; i++)
    if (buckets[i].count < buckets[i - 1].count) buckets[i] = { ...buckets[i], count: buckets[i - 1].count };
  const total = buckets[buckets.length - 1].count;
  if (!(total > 0)) return NaN;
  let rank = q * total;
  const b = buckets.findIndex((x) => x.count >= rank);
  if (b === buckets.length - 1) return buckets[buckets.length - 2].le;
  if (b === 0 && buckets[0].le <= 0) return buckets[0].le;
  let start = 0;
  let count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].le;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  // As Prometheus: an empty bucket at rank 0 (q = 0) gives 0/0, NaN, not the bucket's lower bound.
  return start + (buckets[b].le - start) * (rank / count);
}

/** Functions over a range vector's points, by name. */
export const RANGE_FUNCTIONS: Record<string, (pts: Point[], start: number, end: number) => number | undefined> = {
  rate: (pts, s, e) => extrapolatedRate(pts, s, e, true),
  increase: (pts, s, e) => extrapolatedRate(pts, s, e, false),
  delta: (pts, s, e) => extrapolatedRate(pts, s, e, false, false),
  irate: (pts) => instantRate(pts),
  avg_over_time: (pts) => (pts.length ? pts.reduce((a, p) => a + p.v, 0) / pts.length : undefined),
  sum_over_time: (pts) => (pts.length ? pts.reduce((a, p) => a + p.v, 0) : undefined),
  min_over_time: (pts) => (pts.length ? Math.min(...pts.map((p) => p.v)) : undefined),
  max_over_time: (pts) => (pts.length ? Math.max(...pts.map((p) => p.v)) : undefined),
  count_over_time: (pts) => (pts.length ? pts.length : undefined),
  last_over_time: (pts) => pts[pts.length - 1]?.v,
};

/** Functions applied to every sample of an instant vector, by name (extra scalar arguments after). */
export const SAMPLE_FUNCTIONS: Record<string, (v: number, ...args: number[]) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  round: (v, to = 1) => Math.round(v / to) * to,
  sqrt: Math.sqrt,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  clamp_min: (v, min) => Math.max(v, min),
  clamp_max: (v, max) => Math.min(v, max),
  clamp: (v, min, max) => (min > max ? NaN : Math.min(Math.max(v, min), max)),
};
