/**
 * Trigger evaluation with Prometheus alerting-rule semantics, run on every new sample (or
 * failure) of a trigger's panel:
 *
 * - the condition must hold on every evaluation for the whole `for` (pending, then firing);
 *   without `for` it fires at once. It resolves on the first evaluation where it does not hold.
 * - a panel with several series holds when any series holds (as the panel's status does); the
 *   value reported is the worst holding one.
 * - no data (the query matched nothing) never holds, unless the trigger says `onNoData: fire`.
 *   A ratio with no usable baseline (missing or 0), and a sample whose every series is NaN, are
 *   unknown and never hold. None of these is a good sample either: like a failure below, they
 *   never resolve a trigger (we cannot see that it recovered) and break a pending run.
 * - a failed query (Prometheus unreachable, query rejected) is not data and never changes a
 *   trigger by itself. "Never lie": a firing trigger stays firing through an outage (we cannot
 *   see that it recovered); a pending trigger stays pending but cannot fire during it, and the
 *   outage breaks its run of evaluations: if the condition still holds once values are back,
 *   `for` counts again from that first good sample (a fresh `trigger/pending`).
 *
 * `since` in the events is when the condition started holding for the episode (Prometheus's
 * activeAt), on pending, firing and resolved alike.
 *
 * The recommended level is the one of the most severe firing trigger that recommends one (ties:
 * the one that fired first, then runbook order); a trigger without `recommend` only informs.
 * `rollback/recommended` is emitted when that trigger changes, or when it fires anew; auto triggers
 * carry `countdownUntil` (default countdown 30 s). The recommendation ends when its trigger
 * resolves, its level finishes, or an operator dismisses it (the reducer does that).
 *
 * One decision, one rollback: when a rollback ends (finished, failed or aborted), every trigger
 * that was pending or firing re-arms (`trigger/rearmed`) and only samples taken after that end
 * count, its `for` again included. A level that already ran is recommended again only as
 * information: without a countdown, saying that it ran; running it again is a person's decision.
 *
 * Pure and deterministic: time is the `t` of the event being evaluated; output events carry it.
 */
import { sampleNumber, toSampleValue, type JudgeVerdict, type MetricSampled, type SampleValue, type SessionEvent } from '../core/events.js';
import { judgmentWhy } from '../judge/text.js';
import { ratioOf, sortSeries } from '../core/select-health.js';
import { SEVERITY_RANK, triggerReason } from '../core/select-triggers.js';
import { holds } from '../runbook/check.js';
import { formatElapsed } from '../runbook/duration.js';
import { levelRuns, ranText, runResult } from '../core/select-rollback.js';
import type { SessionState } from '../core/state.js';
import type { Panel, Runbook, Trigger } from '../runbook/schema.js';
import type { DriverContext } from './context.js';

/** Countdown of an auto trigger that does not set one. */
export const DEFAULT_COUNTDOWN_MS = 30_000;

/** What one evaluation found. */
export interface Measure {
  holds: boolean;
  /** The measured value (the ratio for ratio checks); null when there is none. */
  value: SampleValue | null;
  noData: boolean;
  /** No good sample (no data without `onNoData: fire`, an unknown ratio, only NaN): changes nothing. */
  unknown: boolean;
  /** Ratio checks: the two sides of the ratio, for the reason a person reads. */
  sides?: { canary: SampleValue; baseline: SampleValue };
}

/** The evaluator's memory of one trigger. */
export interface TriggerMemory {
  state: 'inactive' | 'pending' | 'firing';
  since?: number;
  firedAt?: number;
  value: SampleValue | null;
  /** Ratio checks: canary and baseline of the last good sample. */
  sides?: { canary: SampleValue; baseline: SampleValue };
  /** A failure came since the last good sample: the run of evaluations is broken. */
  blind: boolean;
}

/** Evaluates one trigger's condition against one sample of its panel. */
export function measure(trigger: Trigger, panel: Panel | undefined, e: MetricSampled): Measure {
  const check = trigger.when.check;
  const canary = sortSeries(e.series);
  if (canary.length === 0) {
    const fire = trigger.onNoData === 'fire';
    return { holds: fire, value: null, noData: true, unknown: !fire };
  }
  if (check.ratio) {
    const baseline = sortSeries(e.baseline ?? [])[0]?.value;
    const ratio = panel?.compare ? ratioOf(canary[0].value, baseline) : undefined;
    if (ratio === undefined) return { holds: false, value: null, noData: false, unknown: true };
    // 0 / -x is -0, which JSON cannot keep.
    const value = toSampleValue(ratio === 0 ? 0 : ratio);
    return { holds: holds(check, ratio), value, noData: false, unknown: false, sides: { canary: canary[0].value, baseline: baseline! } };
  }
  const known = canary.filter((s) => !Number.isNaN(sampleNumber(s.value)));
  if (known.length === 0) return { holds: false, value: canary[0].value, noData: false, unknown: true };
  const holding = known.filter((s) => holds(check, sampleNumber(s.value)));
  if (holding.length === 0) return { holds: false, value: known[0].value, noData: false, unknown: false };
  // The worst holding series: the lowest for a "below" check, the highest otherwise.
  const low = check.op === '<' || check.op === '<=';
  return { holds: true, value: low ? holding[holding.length - 1].value : holding[0].value, noData: false, unknown: false };
}

/** Turns a stream of session events into trigger transitions and recommendations. */
export class TriggerEvaluator {
  private readonly triggers: Trigger[];
  private readonly panels: Map<string, Panel>;
  private readonly mem = new Map<string, TriggerMemory>();
  private last: string | undefined;
  /** The end of the latest rollback: samples taken up to it no longer count. */
  private rearmedAfter = -Infinity;
  /** The latest judgment, for the reason of a trigger on the canary score. */
  private judgment: JudgeVerdict | undefined;

  constructor(
    runbook: Runbook,
    private readonly state?: () => SessionState,
  ) {
    this.triggers = runbook.rollback?.triggers ?? [];
    this.panels = new Map((runbook.health ?? []).map((p) => [p.id, p]));
    for (const t of this.triggers) this.mem.set(t.id, { state: 'inactive', value: null, blind: false });
  }

  /** The current memory of every trigger, by id (a copy). */
  snapshot(): Record<string, TriggerMemory> {
    return Object.fromEntries([...this.mem].map(([id, m]) => [id, { ...m }]));
  }

  /** Feeds one event; returns the events it causes (none for events that are not samples or failures). */
  observe(e: SessionEvent): SessionEvent[] {
    if (e.type === 'judge/verdict') return this.observeJudgment(e);
    if (e.type !== 'metric/sampled' && e.type !== 'metric/failed') return [];
    const out: SessionEvent[] = this.rearm();
    // A sample of a window that began before the rollback ended says nothing about after it.
    if ((e.type === 'metric/sampled' ? e.at : e.t) <= this.rearmedAfter) return out;
    const fired = new Set<string>();
    for (const tr of this.triggers) {
      if (tr.when.panel !== e.panel || tr.when.judge !== undefined) continue;
      const m = this.mem.get(tr.id)!;
      if (e.type === 'metric/failed') {
        if (m.state !== 'inactive') m.blind = true;
        continue;
      }
      const ev = this.step(tr, m, measure(tr, this.panels.get(tr.when.panel), e), e.t);
      if (ev) out.push(ev);
      if (ev?.type === 'trigger/firing') fired.add(tr.id);
    }
    return out.length ? [...out, ...this.recommend(e.t, fired)] : out;
  }

  /**
   * A judgment evaluates the triggers on the canary score (`judge < marginal`), as a sample does
   * a panel's: a `nodata` verdict is no data. A judgment whose window began before a rollback
   * ended says nothing about after it.
   */
  private observeJudgment(e: JudgeVerdict): SessionEvent[] {
    const out: SessionEvent[] = this.rearm();
    this.judgment = e;
    const start = Math.min(...e.metrics.map((m) => m.window.start));
    if ((Number.isFinite(start) ? start : e.t) <= this.rearmedAfter) return out;
    const fired = new Set<string>();
    for (const tr of this.triggers) {
      if (tr.when.judge === undefined) continue;
      const noData = e.verdict === 'nodata';
      const fire = noData && tr.onNoData === 'fire';
      const r: Measure = noData
        ? { holds: fire, value: null, noData: true, unknown: !fire }
        : { holds: holds(tr.when.check, e.score), value: e.score, noData: false, unknown: false };
      const ev = this.step(tr, this.mem.get(tr.id)!, r, e.t);
      if (ev) out.push(ev);
      if (ev?.type === 'trigger/firing') fired.add(tr.id);
    }
    return out.length ? [...out, ...this.recommend(e.t, fired)] : out;
  }

  /** After a rollback ends: every pending or firing trigger starts over (see the header). */
  private rearm(): SessionEvent[] {
    const run = this.state?.().rollback.run;
    const end = run ? (run.finishedAt ?? run.aborted?.t) : undefined;
    if (!run || end === undefined || end <= this.rearmedAfter) return [];
    this.rearmedAfter = end;
    this.last = undefined;
    const out: SessionEvent[] = [];
    for (const tr of this.triggers) {
      const m = this.mem.get(tr.id)!;
      if (m.state === 'inactive') continue;
      this.mem.set(tr.id, { state: 'inactive', value: m.value, blind: false });
      out.push({ type: 'trigger/rearmed', t: end, trigger: tr.id, level: run.level, after: end });
    }
    return out;
  }

  /** One evaluation of one trigger; returns its transition, if any. */
  private step(tr: Trigger, m: TriggerMemory, r: Measure, t: number): SessionEvent | undefined {
    if (r.unknown) {
      // Not a good sample: nothing resolves or fires on it, and a pending run is broken.
      if (m.state !== 'inactive') m.blind = true;
      return undefined;
    }
    const wasBlind = m.blind;
    m.blind = false;
    const check = tr.when.check.text;
    if (!r.holds) {
      if (m.state === 'inactive') return undefined;
      const since = m.since ?? t;
      m.state = 'inactive';
      m.value = r.value;
      delete m.since;
      delete m.firedAt;
      return { type: 'trigger/resolved', t, trigger: tr.id, value: r.value, check, since };
    }
    m.value = r.value;
    if (r.sides) m.sides = r.sides;
    if (m.state === 'firing') return undefined;
    const hold = tr.for ?? 0;
    if (m.state === 'inactive' || wasBlind) {
      m.since = t;
      if (hold <= 0) return this.fire(tr, m, t);
      m.state = 'pending';
      return { type: 'trigger/pending', t, trigger: tr.id, value: r.value, check, since: t };
    }
    return t - (m.since ?? t) >= hold ? this.fire(tr, m, t) : undefined;
  }

  private fire(tr: Trigger, m: TriggerMemory, t: number): SessionEvent {
    m.state = 'firing';
    m.firedAt = t;
    return { type: 'trigger/firing', t, trigger: tr.id, value: m.value, check: tr.when.check.text, since: m.since ?? t };
  }

  /** A recommendation when the most severe firing trigger changed or fired anew. */
  private recommend(t: number, fired: Set<string>): SessionEvent[] {
    const firing = this.triggers
      .map((tr, i) => ({ tr, i, m: this.mem.get(tr.id)! }))
      .filter((x) => x.m.state === 'firing' && x.tr.recommend)
      .sort((a, b) => SEVERITY_RANK[a.tr.severity] - SEVERITY_RANK[b.tr.severity] || (a.m.firedAt ?? 0) - (b.m.firedAt ?? 0) || a.i - b.i);
    const top = firing[0];
    if (!top) {
      this.last = undefined;
      return [];
    }
    const level = top.tr.recommend!;
    const key = `${level}\u0000${top.tr.id}`;
    if (key === this.last && !fired.has(top.tr.id)) return [];
    this.last = key;
    const state = this.state?.();
    const runs = state ? levelRuns(state, level) : [];
    // The level is running: that is the answer to this trigger; nothing to recommend.
    if (runs.at(-1) && runResult(runs.at(-1)!) === 'running') return [];
    const ran = runs.at(-1);
    const started = state?.session?.startedAt ?? 0;
    const no = state?.rollback.dismissed?.[level];
    const again =
      ran && state
        ? ` (level ${level} already ran: ${ranText(state, ran)}; running it again is your decision)`
        : no
          ? ` (${no.operator} dismissed ${level} at ${formatElapsed(no.t - started)}: no countdown until its triggers are quiet)`
          : '';
    const countdown = top.tr.auto && !ran && !no ? { countdownUntil: t + (top.tr.countdown ?? DEFAULT_COUNTDOWN_MS) } : {};
    return [{ type: 'rollback/recommended', t, level, trigger: top.tr.id, reason: this.reason(top.tr, top.m) + again, ...countdown }];
  }

  private reason(tr: Trigger, m: TriggerMemory): string {
    const why = tr.when.judge !== undefined && this.judgment ? `: ${judgmentWhy(this.judgment, this.panels)}` : '';
    return triggerReason(tr, this.panels.get(tr.when.panel), m.value, m.sides) + why;
  }
}

/** Wraps a context so that every event emitted through it is also evaluated; transitions follow it. */
export function withTriggers(ctx: DriverContext, runbook: Runbook): DriverContext & { evaluator: TriggerEvaluator } {
  const evaluator = new TriggerEvaluator(runbook, ctx.state ? () => ctx.state!() : undefined);
  return {
    evaluator,
    now: () => ctx.now(),
    ...(ctx.state ? { state: () => ctx.state!() } : {}),
    emit(e) {
      ctx.emit(e);
      for (const o of evaluator.observe(e)) ctx.emit(o);
    },
  };
}
