/** Turns what a pass over the journal collected into the report's sections. Pure. */
import { formatRatio, formatThreshold, formatValue } from '../core/format.js';
import { sampleNumber } from '../core/events.js';
import { selectChecklist } from '../core/select-checklist.js';
import { selectEndedAs } from '../core/select-outcome.js';
import type { RollbackRun, SessionState } from '../core/state.js';
import { formatElapsed } from '../runbook/duration.js';
import type { Runbook } from '../runbook/schema.js';
import { sanitizeLine as clean } from '../core/controls.js';
import type { Collected } from './collect.js';
import type { Integrity } from '../journal/integrity.js';
import type { JudgeDecided, JudgeVerdict } from '../core/events.js';
import { classText, metricFigures, scoreText } from '../judge/text.js';
import type { HostResult, IntegrityReport, JudgmentReport, Moment, Report, RollbackReport, TimelineEntry, TriggerReport } from './types.js';
import { SEVERITY_MARK } from '../core/select-timeline.js';

/** The report of a collected journal and its integrity verdict; `journal` is the path as the user gave it. */
export function buildReport(
  journal: string,
  c: Collected,
  integrity: Pick<Integrity, 'intact' | 'problems' | 'notes' | 'checked'>,
): Report {
  const s = c.final;
  const rb = s.session?.runbook;
  const start = s.session?.startedAt ?? 0;
  const at = (t: number): Moment => ({ t, at: new Date(t).toISOString().replace('.000Z', 'Z'), elapsed: formatElapsed(t - start) });
  const end = s.session?.endedAt ?? c.lastT;
  const endedAs = selectEndedAs(s);
  return {
    journal,
    integrity: integrityReport(journal, c, integrity),
    summary: {
      runbook: clean(rb?.name ?? ''),
      runbookPath: clean(s.session?.runbookPath ?? ''),
      sessionId: clean(s.session?.id ?? ''),
      operator: clean(s.session?.operator ?? ''),
      mode: s.session?.mode ?? 'live',
      start: at(start),
      ...(s.session?.endedAt !== undefined ? { end: at(s.session.endedAt) } : {}),
      durationMs: end - start,
      outcome: endedAs.outcome ?? 'unfinished',
      ...(endedAs.recorded ? { recordedOutcome: endedAs.recorded } : {}),
      ...(s.session?.endReason ? { endReason: clean(s.session.endReason) } : {}),
      resumed: c.resumes.map((r) => ({ ...at(r.t), operator: clean(r.operator) })),
      events: c.events,
      skippedLines: c.problems.filter((p) => !p.folded).length,
    },
    phases: selectChecklist(s, end).map((p) => ({
      id: p.id,
      title: clean(p.title),
      status: p.status,
      late: p.late,
      ...(p.plannedMs !== undefined ? { plannedMs: p.plannedMs } : {}),
      ...(p.actualMs !== undefined ? { actualMs: p.actualMs } : {}),
      steps: p.steps.map((st) => {
        const failed = c.failures.get(st.id) ?? [];
        const earlier = st.status === 'failed' ? failed.slice(0, -1) : failed;
        return {
          id: st.id,
          title: clean(st.title),
          kind: st.kind,
          status: st.status,
          attempts: st.attempts,
          ...(st.error || st.reason ? { note: clean(st.error ?? st.reason ?? '') } : {}),
          ...(earlier.length ? { earlier } : {}),
        };
      }),
    })),
    gates: c.gates.map((g) => ({
      ...at(g.t),
      phase: g.phase,
      title: clean(rb?.phases.find((p) => p.id === g.phase)?.gate?.title ?? g.phase),
      decision: g.decision,
      operator: clean(g.operator),
      ...(g.approvedBy ? { approvedBy: clean(g.approvedBy) } : {}),
      ...(g.reason ? { reason: clean(g.reason) } : {}),
    })),
    triggers: c.firings.map((f) => trigger(f, rb, at)),
    ...(c.judgments.length ? { judgments: c.judgments.map((j) => judgment(j, rb, at)) } : {}),
    rollbacks: [...s.rollback.history, ...(s.rollback.run ? [s.rollback.run] : [])].map((r) =>
      rollback(r, s, at, r === s.rollback.run && endedAs.ended && endedAs.outcome === 'rollback-interrupted'),
    ),
    notes: s.notes.map((n) => ({ ...at(n.t), operator: clean(n.operator), text: clean(n.text) })),
    decisions: c.decisions.map((d) => ({ ...at(d.t), what: d.what, health: d.health })),
    timeline: timeline(c, at),
  };
}

/** A judgment (or a decision on one) with the why of each metric, in its panel's unit. */
function judgment(j: JudgeVerdict | JudgeDecided, rb: Runbook | undefined, at: (t: number) => Moment): JudgmentReport {
  if (j.type === 'judge/decided')
    return {
      ...at(j.t),
      score: j.score,
      verdict: 'marginal',
      text: clean(`canary judge: ${j.decision.toUpperCase()} by ${j.operator} at score ${j.score}`),
      metrics: [],
      decision: { decision: j.decision, operator: clean(j.operator), ...(j.reason ? { reason: clean(j.reason) } : {}) },
    };
  const panels = new Map((rb?.health ?? []).map((p) => [p.id, p]));
  return {
    ...at(j.t),
    score: j.score,
    verdict: j.verdict,
    text: clean(`canary ${scoreText(j)}`),
    metrics: j.metrics.map((m) => ({
      panel: m.panel,
      title: clean(panels.get(m.panel)?.title ?? m.panel),
      class: classText(m.class),
      figures: clean(metricFigures(m, panels.get(m.panel)?.unit)),
      why: clean(m.why),
    })),
  };
}

/** The integrity verdict as given, and every line not taken as fact, named `FILE:LINE`. */
function integrityReport(journal: string, c: Collected, i: Pick<Integrity, 'intact' | 'problems' | 'notes' | 'checked'>): IntegrityReport {
  return {
    intact: i.intact,
    problems: i.problems.map(clean),
    notes: i.notes.map(clean),
    checked: (i.checked ?? []).map(clean),
    lines: c.problems.map((p) => ({ at: `${journal}:${p.line}`, line: p.line, message: clean(p.message), skipped: !p.folded })),
  };
}

/** The story's lines, told while the journal was read: the same selection and words as the console's timeline. */
function timeline(c: Collected, at: (t: number) => Moment): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (let k = 0; k < c.story.length; k++) {
    const l = c.story.get(k);
    out.push({ ...at(l.t), severity: l.severity, mark: SEVERITY_MARK[l.severity].trim(), kind: l.kind, text: clean(l.text) });
  }
  return out;
}

function trigger(f: Collected['firings'][number], rb: Runbook | undefined, at: (t: number) => Moment): TriggerReport {
  const def = rb?.rollback?.triggers?.find((t) => t.id === f.trigger);
  const panel = rb?.health?.find((p) => p.id === def?.when.panel);
  const ratio = def?.when.check.ratio ?? false;
  const value =
    f.value === null
      ? 'no data'
      : ratio
        ? formatRatio(sampleNumber(f.value), def ? [def.when.check.value] : [])
        : formatValue(f.value, panel?.unit, def ? [def.when.check.value] : []);
  return {
    ...at(f.t),
    trigger: f.trigger,
    value,
    raw: f.value,
    check: clean(f.check),
    holdingSince: at(f.since).elapsed,
    ...(def
      ? {
          severity: def.severity,
          panel: def.when.panel,
          recommend: def.recommend,
          threshold: formatThreshold(def.when.check.op, def.when.check.value, panel?.unit, ratio),
        }
      : {}),
  };
}

/**
 * One rollback run. `cutShort`: the session's outcome says the latest run was interrupted; when no
 * restart did it, the session ended while it ran (and the ending's cancel journaled it as failed).
 */
function rollback(r: RollbackRun, s: SessionState, at: (t: number) => Moment, cutShort: boolean): RollbackReport {
  const level = s.session?.runbook.rollback?.levels.find((l) => l.id === r.level);
  const byEnd = cutShort && !r.aborted && !r.ok && r.interrupted === undefined;
  const status: RollbackReport['status'] = r.aborted
    ? 'aborted'
    : byEnd
      ? 'interrupted'
      : r.finishedAt !== undefined
        ? r.ok
          ? 'ok'
          : 'failed'
        : r.interrupted !== undefined
          ? 'interrupted'
          : 'unfinished';
  const stop = r.finishedAt ?? r.aborted?.t ?? r.interrupted;
  const hosts: HostResult[] = [];
  for (const [step, st] of Object.entries(r.steps))
    for (const id of st.cmds) {
      const c = s.commands[id];
      if (!c) continue;
      const result =
        c.endedAt === undefined
          ? 'running'
          : c.error?.startsWith('outcome unknown')
            ? 'unknown'
            : c.code === 0 && !c.error
              ? 'ok'
              : 'failed';
      hosts.push({
        host: clean(c.host),
        step,
        result,
        ...(c.code !== undefined ? { code: c.code } : {}),
        ...(c.error ? { error: clean(c.error) } : {}),
        ...(c.endedAt !== undefined ? { ms: c.endedAt - c.startedAt } : {}),
      });
    }
  return {
    ...at(r.confirmedAt),
    level: r.level,
    title: clean(level?.title ?? r.level),
    operator: clean(r.operator),
    auto: r.auto,
    status,
    ...(status === 'interrupted' ? { interruptedBy: byEnd ? ('end' as const) : ('restart' as const) } : {}),
    ...(level?.expected !== undefined ? { expectedMs: level.expected } : {}),
    ...(r.ms !== undefined ? { actualMs: r.ms } : stop !== undefined ? { actualMs: stop - r.confirmedAt } : {}),
    ...(r.aborted
      ? {
          aborted: {
            operator: clean(r.aborted.operator),
            elapsed: at(r.aborted.t).elapsed,
            ...(r.aborted.reason ? { reason: clean(r.aborted.reason) } : {}),
          },
        }
      : {}),
    steps: (level?.steps ?? []).map((st) => ({
      id: st.id,
      title: clean(st.title),
      status: r.steps[st.id]?.status ?? 'pending',
      ...(r.steps[st.id]?.error ? { error: clean(r.steps[st.id].error!) } : {}),
    })),
    hosts,
  };
}
