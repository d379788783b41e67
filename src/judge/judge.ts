/**
 * The judgment now: for each compare panel with `judge:`, canary and baseline over the panel's
 * window with `query_range` (the same window and step for both), classified (classify.ts), then
 * scored (score.ts). A query that fails makes that metric NoData with the error said; it never
 * throws. Judgments are plain JSON, ready for a `judge/verdict` event.
 */
import { sampleNumber } from '../core/events.js';
import type { PromClient, RangeSeries } from '../drivers/prometheus/client.js';
import { asMetricError, MetricError } from '../drivers/prometheus/errors.js';
import { pickSeries } from '../drivers/prometheus/range.js';
import { JUDGE_DEFAULTS } from '../runbook/judge-fields.js';
import type { Panel, Runbook } from '../runbook/schema.js';
import { classify, type Classification } from './classify.js';
import { DEFAULT_MARGINAL, DEFAULT_PASS, score, type Verdict } from './score.js';

/** One judged metric: its class and the figures behind it. */
export interface JudgedMetric extends Classification {
  panel: string;
  group: string;
  critical: boolean;
  mustHaveData: boolean;
  /** Confidence of the interval. */
  confidence: number;
  /** The window compared: start and end (epoch ms) and step (ms). */
  window: { start: number; end: number; step: number };
  /** The query that failed, and why (the metric is then NoData). */
  error?: string;
}

/** A judgment of every judged panel (a type, not an interface: it is an event's payload, plain JSON). */
export type Judgment = {
  /** 0-100. */
  score: number;
  verdict: Verdict;
  /** The thresholds the verdict was read against. */
  pass: number;
  marginal: number;
  metrics: JudgedMetric[];
  /** Why the score was forced to 0, when it was. */
  forced?: string;
};

/** The panels the judge looks at. */
export function judgedPanels(rb: Runbook): Panel[] {
  return (rb.health ?? []).filter((p) => p.judge && p.compare);
}

/** The settings of a panel's judge with the defaults filled in. */
export function judgeSettings(p: Panel) {
  return { ...JUDGE_DEFAULTS, group: p.id, ...p.judge };
}

/** The window (aligned to whole steps, so that judgments a moment apart use the same points) ending at `now`. */
export function judgeWindow(windowMs: number, stepMs: number, now: number): { start: number; end: number; step: number } {
  const end = Math.floor(now / stepMs) * stepMs;
  return { start: end - Math.floor(windowMs / stepMs) * stepMs, end, step: stepMs };
}

/**
 * Values of the one series a side must return. Several are refused, not picked from: the highest
 * one could be canary pod 3 against baseline pod 1, and another pair at the next judgment.
 */
function values(series: RangeSeries[]): number[] {
  if (series.length > 1)
    throw new MetricError(
      'query',
      `the query returned ${series.length} series; the judge compares one a side: aggregate it (sum, avg or max without the instance labels)`,
    );
  return (pickSeries(series)?.points ?? []).map(([, v]) => sampleNumber(v));
}

/** Judges one panel. */
export async function judgePanel(client: PromClient, p: Panel, now: number, signal?: AbortSignal): Promise<JudgedMetric> {
  const s = judgeSettings(p);
  const w = judgeWindow(s.window, s.step, now);
  const meta = { panel: p.id, group: s.group, critical: s.critical, mustHaveData: s.mustHaveData, confidence: s.confidence, window: w };
  const o = signal ? { signal } : {};
  let role = 'canary';
  try {
    const canary = values((await client.queryRange(p.compare!.canary, w, o)).series);
    role = 'baseline';
    const baseline = values((await client.queryRange(p.compare!.baseline, w, o)).series);
    return { ...meta, ...classify(canary, baseline, s) };
  } catch (e) {
    const err = asMetricError(e);
    return {
      ...meta,
      ...classify([], [], s),
      error: `${role}: ${err.kind}: ${err.message}`,
      why: `the ${role} query failed (${err.kind}): no values`,
    };
  }
}

/** Judges every judged panel of the runbook at `now` and scores them. */
export async function judgeRunbook(client: PromClient, rb: Runbook, now: number, signal?: AbortSignal): Promise<Judgment> {
  const metrics = await Promise.all(judgedPanels(rb).map((p) => judgePanel(client, p, now, signal)));
  return scoreJudgment(rb, metrics);
}

/** Scores judged metrics against the runbook's thresholds. */
export function scoreJudgment(rb: Runbook, metrics: JudgedMetric[]): Judgment {
  const pass = rb.judge?.pass ?? DEFAULT_PASS;
  const marginal = rb.judge?.marginal ?? DEFAULT_MARGINAL;
  const weights = new Map((rb.health ?? []).map((p) => [p.id, p.judge?.weight]));
  const r = score(
    metrics.map((m) => ({
      id: m.panel,
      class: m.class,
      group: m.group,
      critical: m.critical,
      mustHaveData: m.mustHaveData,
      ...(weights.get(m.panel) !== undefined ? { weight: weights.get(m.panel)! } : {}),
    })),
    pass,
    marginal,
  );
  return { score: r.score, verdict: r.verdict, pass, marginal, metrics, ...(r.forced ? { forced: r.forced } : {}) };
}
