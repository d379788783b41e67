/**
 * A judged metric and a judgment in words, the same everywhere a verdict appears (the judge
 * command, the health pane, the timeline, the report): counts, U, p, the estimated shift with its
 * interval in the panel's unit, the effect size and the class.
 */
import { formatValue, type Unit } from '../core/format.js';
import { fmt, fmtEffect } from './classify.js';
import type { JudgedMetric, Judgment } from './judge.js';

/** A shift in the panel's unit, signed: +120ms, -2%. */
export function shiftText(v: number, unit?: Unit): string {
  const s = formatValue(Math.abs(v), unit);
  return `${v < 0 ? '-' : '+'}${s}`;
}

/** A p-value, short: 0.031, 1.2e-9. */
export function pText(p: number): string {
  return p < 0.001 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
}

/** The figures of a judged metric on one line: "40 vs 40 values, U 1580, p 1.2e-14, shift +210ms [+190ms, +230ms] 98%, effect 2.05×". */
export function metricFigures(m: JudgedMetric, unit?: Unit): string {
  const counts = `${m.canaryCount} vs ${m.baselineCount} values`;
  if (m.error) return `${counts}; ${m.error}`;
  // All the test's figures, or none: a journal (untrusted) may hold some without the others.
  if (m.u === undefined || m.estimate === undefined || m.p === undefined || m.lower === undefined || m.upper === undefined)
    return `${counts}, effect ${fmtEffect(m.effect)}`;
  const ci = `[${shiftText(m.lower, unit)}, ${shiftText(m.upper, unit)}] ${Math.round(m.confidence * 100)}%`;
  return `${counts}, U ${m.u}, p ${pText(m.p)}, shift ${shiftText(m.estimate, unit)} ${ci}, effect ${fmtEffect(m.effect)}`;
}

/** The class as shown: HIGH, LOW, PASS, NO DATA. */
export function classText(c: JudgedMetric['class']): string {
  return c === 'NoData' ? 'NO DATA' : c.toUpperCase();
}

/** The score line: "score 50 of 100: FAIL (pass ≥ 95, marginal ≥ 75)". */
export function scoreText(j: Pick<Judgment, 'score' | 'verdict' | 'pass' | 'marginal' | 'forced'>): string {
  const thresholds = `(pass ≥ ${j.pass}, marginal ≥ ${j.marginal})`;
  // No data is no score: "0 of 100" would read as a failing canary at 3 am.
  if (j.verdict === 'nodata') return `score –: NO DATA ${thresholds}${j.forced ? `; ${j.forced}` : ''}`;
  return `score ${fmt(j.score)} of 100: ${j.verdict.toUpperCase()} ${thresholds}${j.forced ? `; 0 because ${j.forced}` : ''}`;
}

/** One line per judgment for the timeline: the verdict and each metric that is not Pass. */
export function judgmentSummary(j: Judgment, units: Map<string, Unit | undefined> = new Map()): string {
  const what = badMetrics(j, units);
  return `canary ${scoreText(j)}${what ? `: ${what}` : ''}`;
}

/** The metrics that are not Pass, with their figures: "latency HIGH (40 vs 40 values, …)". */
export function badMetrics(j: Pick<Judgment, 'metrics'>, units: Map<string, Unit | undefined> = new Map()): string {
  return j.metrics
    .filter((m) => m.class !== 'Pass')
    .map((m) => `${m.panel} ${classText(m.class)} (${metricFigures(m, units.get(m.panel))})`)
    .join('; ');
}

/** Why a judge trigger holds, for its recommendation: the failing metrics, or the score alone. */
export function judgmentWhy(j: Judgment, panels: Map<string, { unit?: Unit }>): string {
  const units = new Map([...panels].map(([id, p]) => [id, p.unit]));
  return badMetrics(j, units) || scoreText(j);
}
