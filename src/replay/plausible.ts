/**
 * Whether a well-formed event could have happened, judged against the runbook in the journal's
 * `session/started` and the events before it. validate.ts checks an event's shape; this checks
 * its sense: a gate of a phase the runbook does not have, a rollback of an unknown level, a time
 * before the session or in the year 3000, an event after `session/ended`, a seq that does not
 * follow on. The chain (integrity.ts) proves lines were not changed after they were written; it
 * cannot prove the writer told the truth, and a forger can chain anything: so both readers of a
 * journal (replay's indexer and the report's pass) ask this one judge about every event.
 *
 * An implausible event is skipped, never folded: it would otherwise become a fact in the state,
 * the report's tables or its clocks (a year-3000 `t` makes the session last 974 years). A seq
 * gap is the one problem that is folded and flagged: the event itself is fine, lines before it
 * are missing. Cheap per event: a passing event costs a few Map/Set look-ups and allocates
 * nothing (replay judges a million events on open); sets are built once per runbook.
 */
import { ApprovalJudge } from './plausible-approvals.js';
import type { SessionEvent } from '../core/events.js';
import type { Runbook } from '../runbook/schema.js';
import { formatDuration } from '../runbook/duration.js';
import { sanitizeLine } from '../core/controls.js';
import type { LineProblem } from './lines.js';

/**
 * How far an event's `t` may lie behind the latest one before it. Events are stamped when they are
 * made and journaled in call order, so a few ms of disorder are normal, and NTP may step a clock
 * back by a second or so; 5 s allows both and still refuses a story told out of order.
 */
export const BACKWARDS_MS = 5000;
/** How far past the reader's clock an event may lie (clock skew between the recording and the reading machine). */
export const FUTURE_MS = 24 * 3_600_000;
/**
 * The longest silence between two events of a session. A live session journals samples every few
 * seconds, and even a session without panels waiting at a gate over a long weekend stays under a
 * week; only `session/resumed` may come any time later (a crash resumed the next month).
 */
export const MAX_SILENCE_MS = 7 * 24 * 3_600_000;
/** The step `cutover exec` journals its ad-hoc command under: no runbook step, but no forgery either. */
const EXEC_STEP = 'exec';

/** The ids a runbook defines, as sets, for look-ups that allocate nothing. */
interface Ids {
  /** Phase id → whether it has a gate, and its step ids. */
  phases: Map<string, { gate: boolean; steps: Set<string> }>;
  phaseSteps: Set<string>;
  /** Rollback level id → its step ids. */
  levels: Map<string, Set<string>>;
  triggers: Set<string>;
  panels: Set<string>;
  webhooks: Set<string>;
}

function idsOf(rb: Runbook): Ids {
  const phases = new Map<string, { gate: boolean; steps: Set<string> }>();
  const phaseSteps = new Set<string>();
  for (const p of rb.phases) {
    const steps = new Set(p.steps.map((s) => s.id));
    phases.set(p.id, { gate: p.gate !== undefined, steps });
    for (const s of steps) phaseSteps.add(s);
  }
  const levels = new Map((rb.rollback?.levels ?? []).map((l) => [l.id, new Set(l.steps.map((s) => s.id))]));
  return {
    phases,
    phaseSteps,
    levels,
    triggers: new Set((rb.rollback?.triggers ?? []).map((t) => t.id)),
    panels: new Set((rb.health ?? []).map((p) => p.id)),
    webhooks: new Set((rb.notify ?? []).map((w) => w.id)),
  };
}

/** Options: `now` is the reader's clock (injected so tests can pin it). */
export interface JudgeOptions {
  now?: number;
  /** The reader's clock read at each judgement instead (a follower runs for hours while events arrive). */
  clock?: () => number;
}

/** Judges a journal's events in file order; one judge per pass over a journal. */
export class Plausibility {
  private ids: Ids | undefined;
  private startedAt = 0;
  private startLine = 0;
  private endedLine = 0;
  private latest = -Infinity;
  private lastSeq = 0;
  private readonly cmds = new Set<string>();
  private readonly approvals = new ApprovalJudge();
  private readonly clock: () => number;

  constructor(o: JudgeOptions = {}) {
    const now = o.now ?? Date.now();
    this.clock = o.clock ?? (() => now);
  }

  /** Notes the seq of a line that failed validation: the lines after it still follow on. */
  seen(seq: number): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  /**
   * Judges event `e` (seq `seq`, 1-based `line`): pushes each problem it finds to `out` and
   * returns whether the event may be folded. A true return with nothing pushed is the usual case.
   * Call `folded` once the event is in the state (the reducer may still refuse it).
   */
  judge(e: SessionEvent, seq: number, line: number, out: LineProblem[]): boolean {
    const expected = this.lastSeq + 1;
    this.seen(seq);
    if (seq < expected) {
      out.push({ line, message: `seq ${seq} comes again after seq ${expected - 1}: a copied or moved line` });
      return false;
    }
    const wrong = this.sense(e) ?? (this.ids ? this.approvals.judge(e) : undefined) ?? this.time(e);
    if (wrong !== undefined) out.push({ line, message: wrong });
    // The gap is told whether or not the event is kept: it says lines are missing, whatever this one says.
    if (seq > expected)
      out.push({
        line,
        message: `seq ${seq} where ${expected} was expected: ${seq - expected === 1 ? 'a line is' : `${seq - expected} lines are`} missing before this one`,
        ...(wrong === undefined ? { folded: true } : {}),
      });
    return wrong === undefined;
  }

  /** Records an event that was folded: the session's bounds and the commands it started. */
  folded(e: SessionEvent, line: number): void {
    this.latest = Math.max(this.latest, e.t);
    this.approvals.folded(e);
    switch (e.type) {
      case 'session/started':
        this.ids = idsOf(e.runbook);
        this.approvals.runbook(e.runbook);
        this.startedAt = e.t;
        this.startLine = line;
        break;
      case 'session/ended':
        this.endedLine = line;
        break;
      case 'session/resumed':
        this.endedLine = 0;
        // Resumed with an edited runbook the operator accepted: the session follows it from here (as reduce does).
        if (e.runbook) {
          this.ids = idsOf(e.runbook);
          this.approvals.runbook(e.runbook);
        }
        break;
      case 'command/started':
        this.cmds.add(e.cmd);
        break;
    }
  }

  /** What makes `e` impossible given the session so far and its runbook, or undefined. */
  private sense(e: SessionEvent): string | undefined {
    const ids = this.ids;
    if (e.type === 'session/started')
      return ids ? `a second session/started (the session started at line ${this.startLine}); one journal holds one session` : undefined;
    if (!ids) return `${e.type} before any session/started`;
    if (this.endedLine && e.type !== 'session/resumed') return `${e.type} after session/ended at line ${this.endedLine}`;
    switch (e.type) {
      case 'gate/decided': {
        const p = ids.phases.get(e.phase);
        if (!p) return unknown('gate/decided', 'phase', e.phase);
        return p.gate ? undefined : `gate/decided for phase '${cut(e.phase)}', which has no gate in the journal's runbook`;
      }
      case 'step/started': {
        const p = ids.phases.get(e.phase);
        if (!p) return unknown('step/started', 'phase', e.phase);
        return p.steps.has(e.step) ? undefined : `step/started of step '${cut(e.step)}', which phase '${cut(e.phase)}' does not have`;
      }
      case 'step/passed':
      case 'step/failed':
      case 'step/skipped':
        return ids.phaseSteps.has(e.step) ? undefined : unknown(e.type, 'step', e.step);
      case 'command/started':
        if (e.level !== undefined) return this.levelStep(e.type, e.level, e.step);
        return ids.phaseSteps.has(e.step) || e.step === EXEC_STEP ? undefined : unknown(e.type, 'step', e.step);
      case 'command/output':
      case 'command/exited':
        return this.cmds.has(e.cmd) ? undefined : `${e.type} of command '${cut(e.cmd)}', which no command/started before it began`;
      case 'metric/sampled':
      case 'metric/failed':
      case 'metric/range':
        return ids.panels.has(e.panel) ? undefined : unknown(e.type, 'health panel', e.panel);
      case 'trigger/pending':
      case 'trigger/firing':
      case 'trigger/resolved':
        return ids.triggers.has(e.trigger) ? undefined : unknown(e.type, 'trigger', e.trigger);
      case 'trigger/rearmed':
        return ids.triggers.has(e.trigger) ? this.level(e.type, e.level) : unknown(e.type, 'trigger', e.trigger);
      case 'rollback/recommended':
        return e.trigger !== undefined && !ids.triggers.has(e.trigger)
          ? unknown(e.type, 'trigger', e.trigger)
          : this.level(e.type, e.level);
      case 'rollback/step':
        return this.levelStep(e.type, e.level, e.step);
      case 'rollback/confirmed':
      case 'rollback/waited':
      case 'rollback/finished':
      case 'rollback/aborted':
      case 'rollback/dismissed':
        return this.level(e.type, e.level);
      case 'approval/requested':
        return e.subject.kind === 'rollback'
          ? this.level(e.type, e.subject.level)
          : ids.phases.get(e.subject.phase)?.gate
            ? undefined
            : unknown(e.type, 'gated phase', e.subject.phase);
      case 'notify/delivered':
      case 'notify/failed':
        return ids.webhooks.has(e.webhook) ? undefined : unknown(e.type, 'webhook', e.webhook);
      case 'judge/verdict': {
        const bad = e.metrics.find((m) => !ids.panels.has(m.panel));
        return bad ? unknown(e.type, 'health panel', bad.panel) : undefined;
      }
      case 'rollback/readiness':
        for (const l of e.levels) {
          const bad = this.level(e.type, l.level);
          if (bad) return bad;
        }
        return undefined;
      default:
        return undefined;
    }
  }

  private level(type: string, level: string): string | undefined {
    return this.ids?.levels.has(level) ? undefined : unknown(type, 'rollback level', level);
  }

  private levelStep(type: string, level: string, step: string): string | undefined {
    const steps = this.ids?.levels.get(level);
    if (!steps) return unknown(type, 'rollback level', level);
    return steps.has(step) ? undefined : `${type} of step '${cut(step)}', which rollback level '${cut(level)}' does not have`;
  }

  /** What makes `e`'s time impossible, or undefined. */
  private time(e: SessionEvent): string | undefined {
    const t = e.t;
    const now = this.clock();
    if (e.type === 'session/started' && t < 0) return `t ${iso(t)} is before 1970: no clock stamps that`;
    if (t > now + FUTURE_MS) return `t ${iso(t)} is in the future (this machine says ${iso(now)})`;
    if (e.type === 'session/started') return undefined;
    if (t < this.startedAt - BACKWARDS_MS)
      return `t ${iso(t)} is ${formatDuration(this.startedAt - t)} before the session started (line ${this.startLine})`;
    // The one event stamped in the past by design: a re-arm carries the end of the rollback that caused it and is journaled with the next sample.
    if (t < this.latest - BACKWARDS_MS && e.type !== 'trigger/rearmed')
      return `t goes back ${formatDuration(this.latest - t)} from the event before it`;
    if (t - this.latest > MAX_SILENCE_MS && e.type !== 'session/resumed')
      return `t ${iso(t)} is ${formatDuration(t - this.latest)} after the event before it; a session is never silent that long`;
    return undefined;
  }
}

/** "gate/decided for phase 'x', which the journal's runbook does not have". */
function unknown(type: string, what: string, id: string): string {
  return `${type} for ${what} '${cut(id)}', which the journal's runbook does not have`;
}

/** An id quoted in a message: the journal's own text, so stripped of control sequences and bounded. */
function cut(id: string): string {
  const s = sanitizeLine(id);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

/** A time as people read it; a `t` past what Date holds cannot reach here (validate.ts bounds it). */
function iso(t: number): string {
  return new Date(t).toISOString();
}
