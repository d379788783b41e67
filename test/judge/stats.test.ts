// The judge's statistics against values computed elsewhere: published Mann-Whitney critical-value
// tables, R's documented wilcox.test output, and scipy 1.17 (scipy.stats.mannwhitneyu, scipy.stats.norm),
// never against this code's own output.
import { describe, expect, it } from 'vitest';
import { mannWhitney, ranks } from '../../src/judge/mann-whitney.js';
import { pnorm, qnorm } from '../../src/judge/normal.js';
import { pwilcox, qwilcox } from '../../src/judge/wilcox-exact.js';

describe('normal distribution', () => {
  // scipy: norm.ppf(0.99), norm.ppf(0.975), norm.ppf(1e-10), norm.ppf(0.3)
  it.each([
    [0.99, 2.3263478740408408],
    [0.975, 1.959963984540054],
    [1e-10, -6.361340902404056],
    [0.3, -0.5244005127080409],
  ])('qnorm(%d) = %d', (p, z) => expect(qnorm(p)).toBeCloseTo(z, 12));

  // scipy: norm.cdf(-1.5), norm.cdf(0.3), norm.sf(5) = norm.cdf(-5), norm.sf(8.5)
  it.each([
    [-1.5, 0.06680720126885807],
    [0.3, 0.6179114221889526],
    [-5, 2.866515718791933e-7],
    [-8.5, 9.47953482220325e-18],
  ])('pnorm(%d) = %d', (z, p) => expect(pnorm(z) / p).toBeCloseTo(1, 10));
});

describe('exact U distribution', () => {
  // Two-tailed critical values of U (reject when U <= value) from the published Mann-Whitney tables
  // (e.g. Siegel & Castellan, Nonparametric Statistics, table J; alpha .05 and .02 two-tailed),
  // cross-checked by enumerating every rank arrangement in Python.
  it.each([
    [5, 5, 0.05, 2],
    [5, 10, 0.05, 8],
    [6, 6, 0.05, 5],
    [7, 7, 0.05, 8],
    [8, 8, 0.05, 13],
    [4, 8, 0.05, 4],
    [10, 10, 0.05, 23],
    [5, 5, 0.02, 1],
    [8, 8, 0.02, 9],
    [10, 10, 0.02, 19],
    [6, 9, 0.02, 7],
  ])('m=%d n=%d alpha %d: critical U %d', (m, n, alpha, crit) => {
    expect(pwilcox(crit, m, n)).toBeLessThanOrEqual(alpha / 2);
    expect(pwilcox(crit + 1, m, n)).toBeGreaterThan(alpha / 2);
    // qwilcox is the next one up: the smallest q with P(U <= q) >= alpha/2.
    expect(qwilcox(alpha / 2, m, n)).toBe(crit + 1);
    // Symmetric in the sample sizes.
    expect(pwilcox(crit, n, m)).toBe(pwilcox(crit, m, n));
  });
});

describe('Mann-Whitney U, Hodges-Lehmann estimate and interval', () => {
  // R's ?wilcox.test, two-sample example (Hollander & Wolfe 1973, p. 69): permeability at term (x)
  // and at 12-26 weeks (y).
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];

  it("matches R's wilcox.test(x, y, conf.int = TRUE)", () => {
    // > wilcox.test(x, y, conf.int = TRUE)
    //   Wilcoxon rank sum exact test
    //   W = 35, p-value = 0.2544
    //   95 percent confidence interval:
    //    -0.15  0.76
    //   sample estimates:
    //   difference in location
    //                    0.305
    // (scipy: mannwhitneyu(x, y, method='exact') -> U 35, p 0.2544122544122544)
    const r = mannWhitney(x, y, { confidence: 0.95 });
    expect(r.method).toBe('exact');
    expect(r.u).toBe(35);
    expect(r.p).toBeCloseTo(0.2544122544122544, 12);
    expect(r.lower).toBeCloseTo(-0.15, 10);
    expect(r.upper).toBeCloseTo(0.76, 10);
    expect(r.estimate).toBeCloseTo(0.305, 10);
  });

  it('at 98% (Kayenta) the interval widens to the 7th order statistics', () => {
    // qwilcox(0.01, 10, 5) = 7 (table: critical U 6 at alpha .02 for 5 and 10, checked by enumeration):
    // the 7th smallest and 7th largest of the 50 differences, -0.17 and 0.90.
    const r = mannWhitney(x, y, { confidence: 0.98 });
    expect(r.lower).toBeCloseTo(-0.17, 10);
    expect(r.upper).toBeCloseTo(0.9, 10);
  });

  it("the normal approximation without continuity correction matches R's large-sample example", () => {
    // > wilcox.test(x, y, alternative = "greater", exact = FALSE, correct = FALSE)
    //   W = 35, p-value = 0.1103       (two-sided: twice that; scipy: 0.11033568095992347 one-sided)
    const r = mannWhitney(x, y, { exact: false, correct: false });
    expect(r.method).toBe('normal');
    expect(r.p / 2).toBeCloseTo(0.11033568095992347, 12);
  });

  // Ties force the normal approximation: tie-corrected variance and continuity correction.
  const a = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3, 1.3, 2.48];
  const b = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

  it('with ties: the p-value of scipy with tie and continuity corrections', () => {
    // scipy: mannwhitneyu(a, b, method='asymptotic', use_continuity=True) -> U 73, p 0.08011329077607834
    //        use_continuity=False -> p 0.0737641953575163
    const r = mannWhitney(a, b);
    expect(r.method).toBe('normal');
    expect(r.u).toBe(73);
    expect(r.p).toBeCloseTo(0.08011329077607834, 12);
    expect(mannWhitney(a, b, { correct: false }).p).toBeCloseTo(0.0737641953575163, 12);
  });

  it("with ties: the interval of R's root-finding, ported line by line to Python", () => {
    // R's wdiff/uniroot (wilcox.test.R, asymptotic branch) in Python with scipy's rankdata and brentq:
    // 98%: (-0.43000000003663397, 1.2330000000762); 95%: (-0.14700000005680744, 1.1899999999713051);
    // median of the pairwise differences 0.56.
    const r98 = mannWhitney(a, b, { confidence: 0.98 });
    expect(r98.lower).toBeCloseTo(-0.43, 6);
    expect(r98.upper).toBeCloseTo(1.233, 6);
    expect(r98.estimate).toBeCloseTo(0.56, 10);
    const r95 = mannWhitney(a, b, { confidence: 0.95 });
    expect(r95.lower).toBeCloseTo(-0.147, 6);
    expect(r95.upper).toBeCloseTo(1.19, 6);
  });

  it('is about canary minus baseline: swapping the samples mirrors U and the shift', () => {
    const fwd = mannWhitney(x, y);
    const back = mannWhitney(y, x);
    expect(back.u).toBe(x.length * y.length - fwd.u);
    expect(back.estimate).toBeCloseTo(-fwd.estimate, 12);
    expect(back.lower).toBeCloseTo(-fwd.upper, 12);
    expect(back.p).toBeCloseTo(fwd.p, 12);
  });

  it('ranks ties by their average position', () => {
    expect(ranks([3, 1, 3, 2])).toEqual({ ranks: [3.5, 1, 3.5, 2], ties: [1, 1, 2] });
  });
});
