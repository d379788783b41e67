/** The post-mortem report as data: `cutover report --format json` prints it, the markdown renders it. */
import type { PanelStatus } from '../core/select-health.js';
import type { LineKind, LineSeverity } from '../core/select-timeline.js';

/** A moment of the session: epoch ms, ISO time (UTC) and T+ from the start. */
export interface Moment {
  t: number;
  at: string;
  elapsed: string;
}

/** One panel's value as the console showed it at a moment. */
export interface HealthValue {
  panel: string;
  title: string;
  value: string;
  status: PanelStatus;
}

/** Who ran which runbook, when, and how it ended. */
export interface ReportSummary {
  runbook: string;
  runbookPath: string;
  sessionId: string;
  operator: string;
  mode: 'live' | 'demo';
  start: Moment;
  end?: Moment;
  durationMs: number;
  /**
   * How the session ended (`selectEndedAs`): the journaled outcome, or the latest rollback's when
   * the journal's `rolled-back` is stale; for a session that never ended (no `end`: a crash, or
   * still running), its latest rollback's outcome, else `unfinished`.
   */
  outcome: string;
  /** The journaled outcome, when it is stale and differs from `outcome`. */
  recordedOutcome?: string;
  endReason?: string;
  /** Each `run --resume` after a crash: when, and who resumed. */
  resumed: (Moment & { operator: string })[];
  events: number;
  /** Lines of the journal that were skipped: malformed, or impossible events (the integrity section lists them). */
  skippedLines: number;
}

/** A phase: planned against actual time, and its steps. */
export interface PhaseReport {
  id: string;
  title: string;
  status: string;
  plannedMs?: number;
  actualMs?: number;
  late: boolean;
  /** `note`: the error or skip reason of the last attempt; `earlier`: errors of the attempts before it. */
  steps: { id: string; title: string; kind: string; status: string; attempts: number; note?: string; earlier?: string[] }[];
}

/** A gate decision: who, when, why. */
export interface GateReport extends Moment {
  phase: string;
  title: string;
  decision: 'go' | 'no-go';
  operator: string;
  /** The second person who approved it (approvals: 2). */
  approvedBy?: string;
  reason?: string;
}

/** A canary judgment whose verdict changed, or the operator's decision on a marginal one. */
export interface JudgmentReport extends Moment {
  score: number;
  verdict: 'pass' | 'marginal' | 'fail' | 'nodata';
  /** "canary score 0 of 100: FAIL (pass ≥ 95, marginal ≥ 75)". */
  text: string;
  /** Per judged panel: class, the figures (counts, U, p, shift and interval, effect size) and why. */
  metrics: { panel: string; title: string; class: string; figures: string; why: string }[];
  /** Set for an operator's decision (then `metrics` is empty). */
  decision?: { decision: 'go' | 'no-go'; operator: string; reason?: string };
}

/** A trigger that fired: when, the value measured against its check. */
export interface TriggerReport extends Moment {
  trigger: string;
  severity?: string;
  panel?: string;
  /** The measured value in the panel's unit, and as journaled. */
  value: string;
  raw: number | string | null;
  /** The check as written, and in the panel's unit. */
  check: string;
  threshold?: string;
  holdingSince: string;
  recommend?: string;
}

/** One host's command in a rollback. */
export interface HostResult {
  host: string;
  step: string;
  result: 'ok' | 'failed' | 'unknown' | 'running';
  code?: number | null;
  error?: string;
  ms?: number;
}

/** A rollback: level, expected against actual duration, steps, per-host results. */
export interface RollbackReport extends Moment {
  level: string;
  title: string;
  operator: string;
  auto: boolean;
  status: 'ok' | 'failed' | 'aborted' | 'interrupted' | 'unfinished';
  /** What cut an interrupted run short: a restart (`run --resume`), or the session ending while it ran. */
  interruptedBy?: 'restart' | 'end';
  expectedMs?: number;
  actualMs?: number;
  aborted?: { operator: string; reason?: string; elapsed: string };
  steps: { id: string; title: string; status: string; error?: string }[];
  hosts: HostResult[];
}

/** An operator's note. */
export interface NoteReport extends Moment {
  operator: string;
  text: string;
}

/** A decision (gate, trigger firing, rollback event) and the health panels at that moment. */
export interface DecisionReport extends Moment {
  what: string;
  health: HealthValue[];
}

/** A line of the session's story, as the console's timeline tells it (core/story.ts). */
export interface TimelineEntry extends Moment {
  /** crit, warn, ok or info; `mark` is how the timeline writes it (`!!`, `!`, `ok`, `·`). */
  severity: LineSeverity;
  mark: string;
  kind: LineKind;
  text: string;
}

/** Whether the journal can be taken as it reads: its integrity (journal/integrity.ts) and the lines that were not taken as fact. */
export interface IntegrityReport {
  /** No layer (hash chain; head anchor and signature where present) found the journal changed after it was written. */
  intact: boolean;
  /** Why it is not intact: one line each, naming `FILE:LINE` where there is a line (as `cutover verify` says it). */
  problems: string[];
  /** What could not be checked (no head anchor, no signature). */
  notes: string[];
  /** What was checked and held (the chain, the head, the signature). */
  checked: string[];
  /** Lines not taken as fact: malformed or impossible events (`skipped`: left out of everything below), seq gaps (folded, flagged). */
  lines: { at: string; line: number; message: string; skipped: boolean }[];
}

/** The whole report. */
export interface Report {
  journal: string;
  /** First: what the rest can be trusted for. */
  integrity: IntegrityReport;
  summary: ReportSummary;
  phases: PhaseReport[];
  gates: GateReport[];
  triggers: TriggerReport[];
  /** The canary judge: each change of verdict and each decision (absent when the runbook judges nothing). */
  judgments?: JudgmentReport[];
  rollbacks: RollbackReport[];
  notes: NoteReport[];
  decisions: DecisionReport[];
  /** The story of the session, line by line. */
  timeline: TimelineEntry[];
}
