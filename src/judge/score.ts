/**
 * The canary score from the metrics' classes, as Kayenta's WeightedSumScorer
 * (spinnaker/kayenta, kayenta-judge/.../scorers/WeightedSumScorer.scala):
 *
 * - per group: Pass / (Pass + High + Low + NoData of metrics that must have data) × 100; a group
 *   with nothing counted has no score and adds nothing;
 * - the summary: each group's score × its weight / 100; groups without a weight share what the
 *   weighted ones leave of 100;
 * - 0 when a critical metric is not Pass, or when at least half the metrics have no data (then
 *   the verdict is `nodata`: there is not enough to judge).
 *
 * The verdict: `pass` at or above the pass threshold, `marginal` at or above marginal, else `fail`.
 */
import type { MetricClass } from './classify.js';

/** Verdict of a judgment. */
export type Verdict = 'pass' | 'marginal' | 'fail' | 'nodata';

/** Default thresholds (Kayenta's UI defaults: pass 95, marginal 75). */
export const DEFAULT_PASS = 95;
export const DEFAULT_MARGINAL = 75;

/** One metric as the scorer sees it. */
export interface ScoredMetric {
  /** The panel id, to name a failing critical metric. */
  id: string;
  class: MetricClass;
  group: string;
  /** The group's weight in percent, when the runbook gives one. */
  weight?: number;
  critical: boolean;
  mustHaveData: boolean;
}

/** A group's result. */
export interface GroupScore {
  group: string;
  /** 0-100, or null when nothing in it counted. */
  score: number | null;
  weight: number;
}

/** The summary: score 0-100, verdict, and the groups. */
export interface ScoreResult {
  score: number;
  verdict: Verdict;
  groups: GroupScore[];
  /** Why a score was forced to 0 (a critical metric, or too little data). */
  forced?: string;
}

/** Scores classified metrics against the thresholds. */
export function score(metrics: ScoredMetric[], pass = DEFAULT_PASS, marginal = DEFAULT_MARGINAL): ScoreResult {
  const names = [...new Set(metrics.map((m) => m.group))];
  const given = new Map<string, number>();
  for (const m of metrics) if (m.weight !== undefined && !given.has(m.group)) given.set(m.group, m.weight);
  const givenSum = [...given.values()].reduce((a, b) => a + b, 0);
  const rest = names.filter((g) => !given.has(g));
  const shared = rest.length ? Math.max(0, 100 - givenSum) / rest.length : 0;
  const groups: GroupScore[] = names.map((g) => {
    const ms = metrics.filter((m) => m.group === g);
    const passed = ms.filter((m) => m.class === 'Pass').length;
    const counted = ms.filter((m) => m.class !== 'NoData' || m.mustHaveData).length;
    return { group: g, score: counted ? (passed / counted) * 100 : null, weight: given.get(g) ?? shared };
  });
  const noData = metrics.filter((m) => m.class === 'NoData').length;
  if (metrics.length === 0 || noData * 2 >= metrics.length)
    return { score: 0, verdict: 'nodata', groups, forced: `${noData} of ${metrics.length} metrics have no data` };
  const critical = metrics.filter((m) => m.critical && m.class !== 'Pass');
  if (critical.length)
    return { score: 0, verdict: 'fail', groups, forced: `critical ${critical.map((m) => `${m.id} is ${m.class}`).join(', ')}` };
  // A group with nothing to score (its metrics have no data and need none) gives its weight to the
  // others: counting it as 0 would fail a healthy canary because one optional query came back empty.
  let total = 0;
  let weights = 0;
  for (const g of groups)
    if (g.score !== null) {
      total += g.score * g.weight;
      weights += g.weight;
    }
  const s = weights > 0 ? Math.round((total / weights) * 100) / 100 : 0;
  return { score: s, verdict: s >= pass ? 'pass' : s >= marginal ? 'marginal' : 'fail', groups };
}
