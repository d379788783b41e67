/** The session state that the reducer folds events into. Plain data, no methods. */
import type { Judgment } from '../judge/judge.js';
import type { Runbook } from '../runbook/schema.js';
import type { Alert, ApprovalSubject, LevelReadiness, MetricErrorKind, Outcome, SampleValue, Series } from './events.js';

/** What the console knows of one health panel. */
export interface PanelState {
  /** Last successful sample: `t` when received, `at` the sample's own time. */
  sample?: { t: number; at: number; series: Series[]; baseline?: Series[]; warnings?: string[] };
  /** Last failure; cleared by the next sample. */
  error?: { t: number; kind: MetricErrorKind; message: string; since: number };
  /** The sparkline window; `baseline` for compare panels (same window as the canary's `points`). */
  range?: { t: number; from: number; step: number; points: [number, SampleValue][]; baseline?: [number, SampleValue][] };
  /**
   * Samples taken since the window's last point (its headline value, and a compare panel's
   * baseline), at most RECENT_SAMPLES: the chart draws them after the window until it is
   * refreshed, so half a minute of a rising value is not one dot at the end.
   */
  recent?: { at: number; value: SampleValue; baseline?: SampleValue }[];
}

/** Samples kept after a panel's sparkline window (a window is refreshed every half minute or so). */
export const RECENT_SAMPLES = 120;

export type StepStatus = 'pending' | 'running' | 'passed' | 'failed' | 'skipped';

/** One checklist step (phase steps only; rollback steps live in RollbackRun). */
export interface StepState {
  status: StepStatus;
  attempts: number;
  startedAt?: number;
  endedAt?: number;
  error?: string;
  detail?: string;
  reason?: string;
  operator?: string;
  /** Command ids of the latest attempt, in start order. */
  cmds: string[];
}

/**
 * One command on one host: what ran, and how it ended. Its output is not here: the tails live in
 * OutputTails (output-tails.ts), so an output event does not copy this record.
 */
export interface CommandState {
  id: string;
  step: string;
  level?: string;
  host: string;
  command: string;
  startedAt: number;
  endedAt?: number;
  code?: number | null;
  signal?: string;
  error?: string;
}

export interface GateState {
  decision: 'go' | 'no-go';
  operator: string;
  /** The second person who approved it (approvals: 2). */
  approvedBy?: string;
  reason?: string;
  t: number;
}

export interface TriggerState {
  state: 'inactive' | 'pending' | 'firing';
  since?: number;
  firedAt?: number;
  value: SampleValue | null;
  check: string;
  t: number;
}

/** A rollback that was confirmed: its steps and commands as they run. */
export interface RollbackRun {
  level: string;
  operator: string;
  auto: boolean;
  confirmedAt: number;
  steps: Record<string, { status: 'pending' | 'started' | 'passed' | 'failed' | 'skipped'; error?: string; t?: number; cmds: string[] }>;
  finishedAt?: number;
  ok?: boolean;
  ms?: number;
  aborted?: { operator: string; reason?: string; t: number };
  /** When a restart (`run --resume`) cut the run short: its outcome is unknown and it never continues by itself. */
  interrupted?: number;
  /** How long it waits for the deploy commands it cancelled, and how that wait ended (still running ones by host). */
  graceMs?: number;
  waited?: { ms: number; running: { cmd: string; host: string }[] };
}

export interface RollbackState {
  recommended?: { level: string; trigger?: string; reason: string; t: number; countdownUntil?: number };
  /** Levels whose recommendation the operator dismissed: no trigger starts them until every trigger recommending them is quiet again. */
  dismissed?: Record<string, { t: number; operator: string }>;
  /** The latest rollback run (older runs in `history`). */
  run?: RollbackRun;
  history: RollbackRun[];
  /** Per level: its hosts connected ahead of a rollback, as last reported. */
  readiness?: Record<string, LevelReadiness & { t: number }>;
}

export interface Note {
  t: number;
  operator: string;
  text: string;
}

/** A decision waiting for a second person (`approvals: 2`): who asked, what, when. */
export interface PendingApproval {
  id: string;
  subject: ApprovalSubject;
  operator: string;
  reason?: string;
  t: number;
}

/** The whole session as the panes see it. */
export interface SessionState {
  session?: {
    id: string;
    runbook: Runbook;
    runbookPath: string;
    operator: string;
    mode: 'live' | 'demo';
    startedAt: number;
    resumedAt: number[];
    endedAt?: number;
    outcome?: Outcome;
    endReason?: string;
  };
  /** Time of the latest event. */
  t: number;
  /** Number of events folded. */
  count: number;
  panels: Record<string, PanelState>;
  alerts?: { t: number; list: Alert[]; error?: string };
  steps: Record<string, StepState>;
  gates: Record<string, GateState>;
  commands: Record<string, CommandState>;
  triggers: Record<string, TriggerState>;
  rollback: RollbackState;
  notes: Note[];
  /** Requests waiting for a second approver, by id (absent when none ever was). */
  approvals?: Record<string, PendingApproval>;
  /** The canary judge: its latest judgment, and the operator's decision on a marginal one. */
  judge?: JudgeState;
}

/** The judge's state: the latest judgment, since when its verdict holds, the decision for this verdict. */
export interface JudgeState {
  latest: Judgment & { t: number };
  /** When the current verdict began (a new episode resets `decided`). */
  since: number;
  decided?: { decision: 'go' | 'no-go'; operator: string; reason?: string; t: number; score: number };
}

/** The state before any event. */
export function initialState(): SessionState {
  return { t: 0, count: 0, panels: {}, steps: {}, gates: {}, commands: {}, triggers: {}, rollback: { history: [] }, notes: [] };
}
