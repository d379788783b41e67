/**
 * The exact null distribution of the Mann-Whitney U statistic for samples of sizes m and n
 * without ties, by the standard recurrence (Mann & Whitney 1947): arrange the m + n values in
 * order; the largest comes from the first sample (and beats all n of the second) or from the
 * second (and beats none), so
 *
 *   count(u; m, n) = count(u - n; m - 1, n) + count(u; m, n - 1),   count(0; 0, n) = count(0; m, 0) = 1.
 *
 * The counts sum to C(m + n, m); below 50 + 50 they stay well inside a double's exact range of
 * ratios. R's pwilcox and qwilcox (src/nmath/wilcox.c) compute the same table.
 */

/** Sizes above this use the normal approximation (R's wilcox.test does the same at 50). */
export const EXACT_LIMIT = 50;

const cache = new Map<string, Float64Array>();

/** Cumulative probabilities P(U <= u) for u = 0..m*n, cached per (m, n). */
export function uDistribution(m: number, n: number): Float64Array {
  const key = `${Math.min(m, n)},${Math.max(m, n)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // U's distribution is symmetric in m and n: build the table over the smaller one.
  const [a, b] = m <= n ? [m, n] : [n, m];
  // row[j] = counts for (i, j), j = 0..b; start at i = 0: one arrangement, U = 0.
  let row: Float64Array[] = Array.from({ length: b + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= a; i++) {
    const next: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= b; j++) {
      const c = new Float64Array(i * j + 1);
      const fromFirst = row[j]; // (i - 1, j), shifted by j
      for (let u = 0; u < fromFirst.length; u++) c[u + j] += fromFirst[u];
      const fromSecond = next[j - 1]; // (i, j - 1)
      for (let u = 0; u < fromSecond.length; u++) c[u] += fromSecond[u];
      next.push(c);
    }
    row = next;
  }
  const counts = row[b];
  let total = 0;
  for (const c of counts) total += c;
  const cdf = new Float64Array(counts.length);
  let acc = 0;
  for (let u = 0; u < counts.length; u++) {
    acc += counts[u];
    cdf[u] = acc / total;
  }
  cache.set(key, cdf);
  return cdf;
}

/** P(U <= q) for sizes m and n (R's pwilcox(q, m, n)). */
export function pwilcox(q: number, m: number, n: number): number {
  const k = Math.floor(q + 1e-7);
  if (k < 0) return 0;
  if (k >= m * n) return 1;
  return uDistribution(m, n)[k];
}

/** The smallest q with P(U <= q) >= p (R's qwilcox(p, m, n), with its small fuzz against rounding). */
export function qwilcox(p: number, m: number, n: number): number {
  const cdf = uDistribution(m, n);
  const target = p - 10 * Number.EPSILON;
  for (let q = 0; q < cdf.length; q++) if (cdf[q] >= target) return q;
  return m * n;
}
