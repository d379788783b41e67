/**
 * The event union for a whole session. Types are `domain/verb`; time (`t`, epoch ms) and ids are
 * stamped when an event is made, never by the reducer. Every event is plain JSON.
 */
import type { Judgment } from '../judge/judge.js';
import type { Runbook } from '../runbook/schema.js';

/** A Prometheus sample value: a finite number, or the strings Prometheus uses for the rest. */
export type SampleValue = number | 'NaN' | '+Inf' | '-Inf';

/** One series of an instant-query result. */
export interface Series {
  labels: Record<string, string>;
  value: SampleValue;
}

/** Why a metric could not be read. */
export type MetricErrorKind = 'refused' | 'dns' | 'timeout' | 'http' | 'bad-response' | 'query' | 'network' | 'config';

/**
 * How a session ended. When a rollback was confirmed, its latest run decides: `rolled-back` (it
 * finished ok; journals from before the other three values existed wrote it for any rollback),
 * `rollback-failed`, `rollback-aborted` (by the operator), `rollback-interrupted` (cut short by a
 * restart or by the session ending while it ran). Otherwise: `completed` (every phase done, every
 * gate go), `failed` (a no-go or a failed step), `aborted` (a signal ended it while a step ran),
 * `stopped-at-gate` (an unattended run reached a manual step or a gate), `quit`.
 */
export type Outcome = 'completed' | 'failed' | 'aborted' | 'stopped-at-gate' | 'quit' | RollbackOutcome;

/** How a session that rolled back ended: its latest rollback run's result. */
export type RollbackOutcome = 'rolled-back' | 'rollback-failed' | 'rollback-aborted' | 'rollback-interrupted';

/** Every outcome, for validation of untrusted journals and for tests. */
export const OUTCOMES: readonly Outcome[] = [
  'completed',
  'failed',
  'aborted',
  'stopped-at-gate',
  'quit',
  'rolled-back',
  'rollback-failed',
  'rollback-aborted',
  'rollback-interrupted',
];

/** An alert as Alertmanager reports it, reduced to what the console shows. */
export interface Alert {
  name: string;
  severity?: string;
  summary?: string;
  startsAt: number;
  labels: Record<string, string>;
}

type Ev<T extends string, P> = { type: T; t: number } & P;

export type SessionStarted = Ev<
  'session/started',
  {
    sessionId: string;
    runbook: Runbook;
    runbookPath: string;
    runbookSha256: string;
    operator: string;
    mode: 'live' | 'demo';
    version: string;
  }
>;
/**
 * A restart continued the session. When the operator resumed with a runbook file that differs from
 * the journal's (`--accept-changed-runbook`), the event carries that runbook, its path and sha256,
 * and a one-line summary of what changed: from here on the session follows it.
 */
export type SessionResumed = Ev<
  'session/resumed',
  { operator: string; afterSeq: number; runbook?: Runbook; runbookPath?: string; runbookSha256?: string; runbookChanges?: string }
>;
export type SessionEnded = Ev<'session/ended', { outcome: Outcome; reason?: string }>;

/** An instant sample of a panel: `series` is the query (or the canary), `baseline` for compare panels. */
export type MetricSampled = Ev<'metric/sampled', { panel: string; at: number; series: Series[]; baseline?: Series[]; warnings?: string[] }>;
export type MetricFailed = Ev<'metric/failed', { panel: string; kind: MetricErrorKind; message: string; role?: 'canary' | 'baseline' }>;
/** A sparkline window: points of the (first) series, oldest first; a compare panel's canary, with its baseline over the same window. */
export type MetricRange = Ev<
  'metric/range',
  { panel: string; from: number; step: number; points: [number, SampleValue][]; baseline?: [number, SampleValue][] }
>;
export type AlertsUpdated = Ev<'alerts/updated', { alerts: Alert[] }>;
export type AlertsFailed = Ev<'alerts/failed', { kind: MetricErrorKind; message: string }>;

export type StepStarted = Ev<'step/started', { phase: string; step: string; operator?: string }>;
export type StepPassed = Ev<'step/passed', { step: string; detail?: string }>;
export type StepFailed = Ev<'step/failed', { step: string; error: string }>;
export type StepSkipped = Ev<'step/skipped', { step: string; reason: string; operator: string }>;

/** A command on one host (`host: "local"` for local commands); `cmd` is its id. */
export type CommandStarted = Ev<'command/started', { cmd: string; step: string; host: string; command: string; level?: string }>;
export type CommandOutput = Ev<'command/output', { cmd: string; host: string; stream: 'stdout' | 'stderr'; text: string }>;
export type CommandExited = Ev<
  'command/exited',
  {
    cmd: string;
    host: string;
    code: number | null;
    signal?: string;
    /** Set when the command never ran or did not finish: refused host key, timeout, cancelled, ... */
    error?: string;
    ms: number;
  }
>;

/** `approvedBy`: the second person who approved it, when the gate needs two (`approvals: 2`). */
export type GateDecided = Ev<
  'gate/decided',
  { phase: string; decision: 'go' | 'no-go'; operator: string; reason?: string; approvedBy?: string }
>;

type TriggerPayload = { trigger: string; value: SampleValue | null; check: string; since: number };
export type TriggerPending = Ev<'trigger/pending', TriggerPayload>;
export type TriggerFiring = Ev<'trigger/firing', TriggerPayload>;
export type TriggerResolved = Ev<'trigger/resolved', TriggerPayload>;
/** A rollback ended: the trigger starts over, and only samples taken after `after` count (its `for` again included). */
export type TriggerRearmed = Ev<'trigger/rearmed', { trigger: string; level: string; after: number }>;

export type RollbackRecommended = Ev<'rollback/recommended', { level: string; trigger?: string; reason: string; countdownUntil?: number }>;
/** `graceMs`: how long the rollback waits for the deploy commands it cancels before its first step. */
/** `approvedBy`: the second person who approved it, when the level needs two (`approvals: 2`). */
export type RollbackConfirmed = Ev<
  'rollback/confirmed',
  { level: string; operator: string; auto?: boolean; graceMs?: number; approvedBy?: string }
>;
/** The wait for the cancelled deploy ended: `running` lists the deploy commands that may still run then (no exit, or an exit saying so); the rollback starts anyway. */
export type RollbackWaited = Ev<'rollback/waited', { level: string; ms: number; running: { cmd: string; host: string }[] }>;
export type RollbackStep = Ev<
  'rollback/step',
  { level: string; step: string; status: 'started' | 'passed' | 'failed' | 'skipped'; error?: string }
>;
/** `aborted` when the run stopped because it was aborted (then `ok` is false): the timeline says ABORTED, not FAILED. */
export type RollbackFinished = Ev<'rollback/finished', { level: string; ok: boolean; ms: number; aborted?: boolean }>;
export type RollbackAborted = Ev<'rollback/aborted', { level: string; operator: string; reason?: string }>;
/** The operator dismissed a recommendation or cancelled an auto-rollback countdown. */
export type RollbackDismissed = Ev<'rollback/dismissed', { level: string; operator: string }>;

/** Whether each rollback level's hosts are connected and ready, sent when it changes (the warm way back). */
export type RollbackReadiness = Ev<'rollback/readiness', { levels: LevelReadiness[] }>;
/** One level: hosts connected of all it touches, and the first few that are not, with why. */
export interface LevelReadiness {
  level: string;
  ready: number;
  total: number;
  down: { host: string; error: string }[];
}

export type NoteAdded = Ev<'note/added', { operator: string; text: string }>;

/** Who sent something through the live socket: the name they gave, their process and its command line. */
export interface EventSource {
  user: string;
  pid: number;
  command: string;
}
/** A line a script added to the timeline (`cutover mark`), through the live socket. */
export type MarkAdded = Ev<'mark/added', { kind: 'info' | 'warning' | 'error' | 'phase'; text: string; source: EventSource }>;
/** What waits for a second person: a gate's decision, or a rollback level. */
export type ApprovalSubject = { kind: 'gate'; phase: string; decision: 'go' | 'no-go' } | { kind: 'rollback'; level: string };
/** The operator decided something that needs two people (`approvals: 2`): it waits for another's answer. */
export type ApprovalRequested = Ev<'approval/requested', { id: string; subject: ApprovalSubject; operator: string; reason?: string }>;
/**
 * The answer to a request: approve or refuse by another person (through the live socket, `source`
 * says from where), or withdraw by the operator who asked (from the console, no `source`).
 */
export type ApprovalDecided = Ev<
  'approval/decided',
  { id: string; decision: 'approve' | 'refuse' | 'withdraw'; by: string; reason?: string; source?: EventSource }
>;
/**
 * A notification reached a webhook of the runbook's `notify:` (its id): `event` what it told
 * (trigger/firing, rollback/failed, ...), `eventSeq` the journal seq of the event it told (none for
 * session/ended, sent before that line is written; not `seq`, which is this line's own), `status` the webhook's HTTP answer, `ms` from
 * queued to answered.
 */
export type NotifyDelivered = Ev<
  'notify/delivered',
  { webhook: string; event: string; eventSeq?: number; status: number; attempts: number; ms: number }
>;
/**
 * A notification that did not reach its webhook, and why: refused, no answer in time, dropped
 * from a full queue (`attempts` 0), still queued when the session ended. `status` when it answered.
 */
export type NotifyFailed = Ev<
  'notify/failed',
  { webhook: string; event: string; eventSeq?: number; status?: number; attempts: number; ms: number; error: string }
>;
/**
 * A statistical judgment of the canary, journaled when its verdict, score or a class changed (the
 * story tells it when the verdict changed): the score, the verdict and, per judged panel, counts,
 * U, p, estimate, interval, effect size and class.
 */
export type JudgeVerdict = Ev<'judge/verdict', Judgment>;
/** The operator's decision on an inconclusive (marginal) canary, journaled like a gate. */
export type JudgeDecided = Ev<'judge/decided', { decision: 'go' | 'no-go'; operator: string; reason?: string; score: number }>;

/** Every event of a session. */
export type SessionEvent =
  | SessionStarted
  | SessionResumed
  | SessionEnded
  | MetricSampled
  | MetricFailed
  | MetricRange
  | AlertsUpdated
  | AlertsFailed
  | StepStarted
  | StepPassed
  | StepFailed
  | StepSkipped
  | CommandStarted
  | CommandOutput
  | CommandExited
  | GateDecided
  | TriggerPending
  | TriggerFiring
  | TriggerResolved
  | TriggerRearmed
  | RollbackRecommended
  | RollbackConfirmed
  | RollbackWaited
  | RollbackStep
  | RollbackFinished
  | RollbackAborted
  | RollbackDismissed
  | RollbackReadiness
  | NoteAdded
  | MarkAdded
  | ApprovalRequested
  | ApprovalDecided
  | NotifyDelivered
  | NotifyFailed
  | JudgeVerdict
  | JudgeDecided;

/** An event before its time is stamped: each member of the union without `t` (for builders and tests). */
export type Unstamped = SessionEvent extends infer X ? (X extends SessionEvent ? Omit<X, 't'> : never) : never;

/** The `type` strings of all events. */
export type EventType = SessionEvent['type'];

/** An event as read back from a journal: the journal adds `seq`. */
export type JournaledEvent = SessionEvent & { seq: number };

/** Every event type, for validation of untrusted journals and for tests. */
export const EVENT_TYPES: readonly EventType[] = [
  'session/started',
  'session/resumed',
  'session/ended',
  'metric/sampled',
  'metric/failed',
  'metric/range',
  'alerts/updated',
  'alerts/failed',
  'step/started',
  'step/passed',
  'step/failed',
  'step/skipped',
  'command/started',
  'command/output',
  'command/exited',
  'gate/decided',
  'trigger/pending',
  'trigger/firing',
  'trigger/resolved',
  'trigger/rearmed',
  'rollback/recommended',
  'rollback/confirmed',
  'rollback/waited',
  'rollback/step',
  'rollback/finished',
  'rollback/aborted',
  'rollback/dismissed',
  'rollback/readiness',
  'note/added',
  'mark/added',
  'approval/requested',
  'approval/decided',
  'notify/delivered',
  'notify/failed',
  'judge/verdict',
  'judge/decided',
];

/** Converts a JS number to a SampleValue (NaN and infinities as Prometheus writes them). */
export function toSampleValue(v: number): SampleValue {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return v;
}

/** Converts a SampleValue (or Prometheus's string) back to a JS number. */
export function sampleNumber(v: SampleValue | string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}
