/**
 * The two-sided Mann-Whitney U test (Wilcoxon rank-sum) of canary against baseline, with the
 * Hodges-Lehmann estimate of the shift and its confidence interval, as R's
 * `wilcox.test(canary, baseline, conf.int = TRUE, conf.level = 0.98)` computes them
 * (src/library/stats/R/wilcox.test.R):
 *
 * - U is the canary's rank sum minus m(m+1)/2: the pairs where the canary is higher, ties half.
 * - Both samples under 50 and no ties: the exact distribution of U (wilcox-exact.ts), and the
 *   interval from the order statistics of the m*n differences canary - baseline at the exact
 *   critical value: [d(k), d(mn+1-k)] with k = qwilcox(alpha/2), at least 1.
 * - Otherwise the normal approximation with the tie correction of the variance and a continuity
 *   correction of 1/2. R finds the interval's ends with uniroot on a step function of the shift;
 *   the steps sit at the pairwise differences, so here the end is the difference where that
 *   function changes sign, found by bisection over the sorted differences (R's answer within
 *   its tolerance, 1e-4). Kayenta's MannWhitney.scala ports the same R code.
 * - The estimate is the median of all pairwise differences (Hodges & Lehmann 1963): R's exact
 *   branch uses it as written, and its normal branch's root of the uncorrected statistic is the
 *   same point.
 */
import { pnorm, qnorm } from './normal.js';
import { EXACT_LIMIT, pwilcox, qwilcox } from './wilcox-exact.js';

/** What the test found. */
export interface MannWhitneyResult {
  /** The canary's U (pairs where the canary is higher; ties count half). */
  u: number;
  /** Two-sided p-value. */
  p: number;
  /** Hodges-Lehmann estimate of the shift canary - baseline. */
  estimate: number;
  /** Confidence interval of the shift. */
  lower: number;
  upper: number;
  /** `exact` (small samples without ties) or `normal` (approximation with tie and continuity corrections). */
  method: 'exact' | 'normal';
  confidence: number;
}

/** Options; defaults are Kayenta's classifier's (confidence 0.98) and R's (exact when it can, continuity correction). */
export interface MannWhitneyOptions {
  confidence?: number;
  /** Force (true) or forbid (false) the exact distribution; by default exact when both samples are under 50 and nothing is tied. */
  exact?: boolean;
  /** The continuity correction of the normal approximation (default true). */
  correct?: boolean;
}

/** Average ranks (1-based) of `values`, ties sharing the mean of their positions; also the tie group sizes. */
export function ranks(values: number[]): { ranks: number[]; ties: number[] } {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  const ties: number[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k][1]] = r;
    ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks: out, ties };
}

/** Sum of t^3 - t over tie groups: the variance's tie correction. */
function tieSum(ties: number[]): number {
  let s = 0;
  for (const t of ties) s += t * t * t - t;
  return s;
}

/** The standard deviation of U under the null hypothesis, corrected for ties. */
function sigmaU(m: number, n: number, tieTerm: number): number {
  const N = m + n;
  return Math.sqrt(((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1))));
}

/** The test; both samples need at least one value, and not every value may be the same. */
export function mannWhitney(canary: number[], baseline: number[], o: MannWhitneyOptions = {}): MannWhitneyResult {
  const m = canary.length;
  const n = baseline.length;
  if (m === 0 || n === 0) throw new Error('mannWhitney: both samples need at least one value');
  const confidence = o.confidence ?? 0.98;
  const correct = o.correct ?? true;
  const all = ranks([...canary, ...baseline]);
  let rankSum = 0;
  for (let i = 0; i < m; i++) rankSum += all.ranks[i];
  const u = rankSum - (m * (m + 1)) / 2;
  const tied = all.ties.some((t) => t > 1);
  const exact = o.exact ?? (m < EXACT_LIMIT && n < EXACT_LIMIT && !tied);
  const diffs = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) diffs[i * n + j] = canary[i] - baseline[j];
  diffs.sort();
  const estimate = median(diffs);
  const alpha = 1 - confidence;
  if (exact) {
    const half = (m * n) / 2;
    // P(U >= u) is P(U <= mn - u) by symmetry: no 1 - x, which would lose a tiny tail.
    const one = u > half ? pwilcox(m * n - u, m, n) : pwilcox(u, m, n);
    const p = Math.min(2 * one, 1);
    const k = Math.max(1, qwilcox(alpha / 2, m, n));
    return { u, p, estimate, lower: diffs[k - 1], upper: diffs[m * n - k], method: 'exact', confidence };
  }
  const sigma = sigmaU(m, n, tieSum(all.ties));
  if (sigma === 0) throw new Error('mannWhitney: every value is the same; there is no distribution to compare');
  const z0 = u - (m * n) / 2;
  const z = (z0 - (correct ? Math.sign(z0) * 0.5 : 0)) / sigma;
  const p = Math.min(1, 2 * Math.min(pnorm(z), pnorm(-z)));
  const zq = qnorm(1 - alpha / 2);
  // Between two neighbouring differences no canary value ties a baseline one: only ties within
  // each sample remain, so the variance there is fixed.
  const sigmaIn = sigmaU(m, n, tieSum(ranks(canary).ties) + tieSum(ranks(baseline).ties));
  return {
    u,
    p,
    estimate,
    lower: root(diffs, sigmaIn, zq, correct),
    upper: root(diffs, sigmaIn, -zq, correct),
    method: 'normal',
    confidence,
  };
}

/**
 * R's `wdiff(d, zq)` just above the k-th smallest difference (k of the m*n at or below d): the
 * canary's U against the shifted baseline is then m*n - k.
 */
function wdiff(k: number, total: number, sigma: number, zq: number, correct: boolean): number {
  const dz = total / 2 - k;
  return (dz - (correct ? Math.sign(dz) * 0.5 : 0)) / sigma - zq;
}

/** The shift where wdiff(., zq) crosses zero: the smallest difference after which it is <= 0. */
function root(diffs: Float64Array, sigma: number, zq: number, correct: boolean): number {
  const N = diffs.length;
  if (wdiff(0, N, sigma, zq, correct) <= 0) return diffs[0];
  let lo = 0; // wdiff(lo) > 0
  let hi = N; // wdiff(hi) <= 0, or N when it never is (then the largest difference, as R)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (wdiff(mid, N, sigma, zq, correct) <= 0) hi = mid;
    else lo = mid;
  }
  return diffs[hi - 1];
}

/** Median of sorted values. */
function median(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}
