/**
 * One metric's class, by Kayenta's Mann-Whitney classifier (spinnaker/kayenta,
 * kayenta-judge/.../classifiers/metric/MannWhitneyClassifier.scala, and the canary-config docs:
 * "The entire confidence interval falls outside a tolerance band; the effect size exceeds
 * allowedIncrease/allowedDecrease; the metric's direction allows that classification"):
 *
 * - no values on either side (after the NaN strategy): NoData; too few for the confidence (fewer
 *   orderings of the two samples than 2 / (1 - confidence)): NoData too, and it says so;
 * - the same values on both sides, or a single value everywhere: Pass (nothing to compare);
 * - High: the direction allows increase, the interval's lower end is above tolerance × |estimate|,
 *   and the effect size (canary mean / baseline mean) is at least allowedIncrease;
 * - Low: the direction allows decrease, the interval's upper end is below -tolerance × |estimate|,
 *   and the effect size is at most allowedDecrease;
 * - otherwise Pass.
 */
import { JUDGE_DEFAULTS } from '../runbook/judge-fields.js';
import { mannWhitney } from './mann-whitney.js';

/** A metric's class. */
export type MetricClass = 'High' | 'Low' | 'Pass' | 'NoData';

/** The classifier's settings (a panel's `judge:` with its defaults filled in). */
export interface ClassifyConfig {
  confidence: number;
  tolerance: number;
  allowedIncrease: number;
  allowedDecrease: number;
  direction: 'increase' | 'decrease' | 'either';
  nanStrategy: 'remove' | 'replace';
}

/** The classifier's defaults: Kayenta's (confidence 0.98, tolerance 0.25, effect sizes 1). */
export const CLASSIFY_DEFAULTS: ClassifyConfig = {
  confidence: JUDGE_DEFAULTS.confidence,
  tolerance: JUDGE_DEFAULTS.tolerance,
  allowedIncrease: JUDGE_DEFAULTS.allowedIncrease,
  allowedDecrease: JUDGE_DEFAULTS.allowedDecrease,
  direction: JUDGE_DEFAULTS.direction,
  nanStrategy: JUDGE_DEFAULTS.nanStrategy,
};

/** What the classifier saw and concluded: plain JSON (non-finite numbers become null). */
export interface Classification {
  class: MetricClass;
  /** Values used from each side. */
  canaryCount: number;
  baselineCount: number;
  canaryMean: number | null;
  baselineMean: number | null;
  /** The test (absent when there was nothing to test: no data, or identical samples). */
  u?: number;
  p?: number;
  estimate?: number;
  lower?: number;
  upper?: number;
  /** Canary mean / baseline mean; null when the baseline mean is 0. */
  effect: number | null;
  /** One line: why this class. */
  why: string;
}

/** Applies the NaN strategy: non-finite values are dropped (`remove`, Kayenta's default) or become 0 (`replace`). */
export function cleanValues(values: number[], strategy: ClassifyConfig['nanStrategy']): number[] {
  return strategy === 'replace' ? values.map((v) => (Number.isFinite(v) ? v : 0)) : values.filter((v) => Number.isFinite(v));
}

/** Classifies one metric's canary values against its baseline values. */
export function classify(canaryRaw: number[], baselineRaw: number[], config: Partial<ClassifyConfig> = {}): Classification {
  const c = { ...CLASSIFY_DEFAULTS, ...config };
  const canary = cleanValues(canaryRaw, c.nanStrategy);
  const baseline = cleanValues(baselineRaw, c.nanStrategy);
  const counts = { canaryCount: canary.length, baselineCount: baseline.length };
  if (!canary.length || !baseline.length) {
    const side = !canary.length && !baseline.length ? 'canary and baseline have' : !canary.length ? 'canary has' : 'baseline has';
    return {
      class: 'NoData',
      ...counts,
      canaryMean: mean(canary),
      baselineMean: mean(baseline),
      effect: null,
      why: `${side} no values in the window`,
    };
  }
  const canaryMean = mean(canary)!;
  const baselineMean = mean(baseline)!;
  const effect = baselineMean === 0 ? (canaryMean === 0 ? 1 : null) : canaryMean / baselineMean;
  const base = { ...counts, canaryMean, baselineMean, effect: finite(effect) };
  if (sameValues(canary, baseline)) return { class: 'Pass', ...base, why: 'canary and baseline values are identical' };
  if (new Set([...canary, ...baseline]).size === 1) return { class: 'Pass', ...base, why: 'every value is the same' };
  // Too few values for the confidence asked: even all canary values above all baseline ones
  // (probability 1 / C(m+n, m) by chance) would not be significant. R's wilcox.test warns that the
  // level is "not achievable" and widens the interval; a judge says so and does not classify.
  if (arrangements(canary.length, baseline.length) < 2 / (1 - c.confidence))
    return {
      class: 'NoData',
      ...base,
      why: `${canary.length} vs ${baseline.length} values are too few for a ${Math.round(c.confidence * 100)}% interval; wait for more of the window`,
    };
  const r = mannWhitney(canary, baseline, { confidence: c.confidence });
  const band = c.tolerance * Math.abs(r.estimate);
  // A baseline mean of 0 under a higher canary is an unbounded increase.
  const ratio = effect ?? (canaryMean > 0 ? Infinity : -Infinity);
  const test = { u: r.u, p: r.p, estimate: r.estimate, lower: r.lower, upper: r.upper };
  const ci = `${Math.round(c.confidence * 100)}% interval`;
  if (c.direction !== 'decrease' && r.lower > band && ratio >= c.allowedIncrease)
    return {
      class: 'High',
      ...base,
      ...test,
      why: `${ci} of the shift lies above +${fmt(band)} (tolerance ${c.tolerance} × |estimate|), effect ${fmtEffect(effect)} ≥ ${c.allowedIncrease}`,
    };
  if (c.direction !== 'increase' && r.upper < -band && ratio <= c.allowedDecrease)
    return {
      class: 'Low',
      ...base,
      ...test,
      why: `${ci} of the shift lies below -${fmt(band)} (tolerance ${c.tolerance} × |estimate|), effect ${fmtEffect(effect)} ≤ ${c.allowedDecrease}`,
    };
  return { class: 'Pass', ...base, ...test, why: passWhy(c, r.lower, r.upper, band, ratio) };
}

function passWhy(c: ClassifyConfig, lower: number, upper: number, band: number, ratio: number): string {
  if (lower > band && c.direction !== 'decrease') return `higher, but effect ${fmtEffect(ratio)} < allowedIncrease ${c.allowedIncrease}`;
  if (upper < -band && c.direction !== 'increase') return `lower, but effect ${fmtEffect(ratio)} > allowedDecrease ${c.allowedDecrease}`;
  if (lower > band || upper < -band) return `shifted the way direction ${c.direction} allows`;
  return `interval [${fmt(lower)}, ${fmt(upper)}] reaches into ±${fmt(band)}: no clear shift`;
}

/** C(m + n, m): the orderings of two samples, capped once past any confidence's need. */
function arrangements(m: number, n: number): number {
  let c = 1;
  for (let i = 1; i <= Math.min(m, n) && c < 1e12; i++) c = (c * (m + n - Math.min(m, n) + i)) / i;
  return c;
}

function mean(v: number[]): number | null {
  if (!v.length) return null;
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

function sameValues(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  return x.every((v, i) => v === y[i]);
}

function finite(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}

/** A number short enough for a reason line. */
export function fmt(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/** An effect size as a factor: 1.52×; unbounded when the baseline mean is 0. */
export function fmtEffect(v: number | null): string {
  // No values, or a 0/0: there is no effect to show (a made-up ∞× would read as a disaster).
  if (v === null || Number.isNaN(v)) return 'n/a';
  return Number.isFinite(v) ? `${fmt(v)}×` : '∞×';
}
