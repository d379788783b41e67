/**
 * The rules for what an operator may do, written once. The session asks before it acts; every
 * binding and dialog asks for its disabled reason. Pure: state, intent, time and the live facts
 * the state cannot know (is the journal writing, what is being launched) in; a reason or nothing out.
 */
import type { ApprovalSubject } from './events.js';
import type { PendingApproval, SessionState } from './state.js';
import { levelRuns, ranText, rollbackInProgress } from './select-rollback.js';
import { formatElapsed } from '../runbook/duration.js';
import { selectChecklist, type PhaseRow } from './select-checklist.js';

/** What the operator (or an unattended run) asks the session to do. */
export type Intent =
  /** Enter on a step: tick a manual one, run any other kind. */
  | { kind: 'run'; step: string }
  | { kind: 'retry'; step: string }
  /** `reason` undefined: asking whether the skip dialog may open (no reason typed yet). */
  | { kind: 'skip'; step: string; reason?: string }
  /** `decision` undefined: asking whether the gate dialog may open. `approved`: a second person approved it (approvals: 2). */
  | { kind: 'gate'; phase: string; decision?: 'go' | 'no-go'; reason?: string; approved?: boolean }
  | { kind: 'note'; text?: string }
  /** `auto`: started by an auto trigger's countdown, not by a person. `approved`: a second person approved it. */
  | { kind: 'rollback'; level: string; auto?: boolean; approved?: boolean }
  /** A second person's answer to a pending approval request (through the live socket). */
  | { kind: 'approve'; id: string; by: string; decision: 'approve' | 'refuse' }
  /** The operator takes back their pending request (`id` undefined: the newest). */
  | { kind: 'withdraw'; id?: string }
  | { kind: 'abort-rollback' }
  | { kind: 'dismiss' }
  /** The operator's decision on an inconclusive canary; `decision` undefined: may the dialog open. */
  | { kind: 'judge'; decision?: 'go' | 'no-go'; reason?: string }
  | { kind: 'quit' };

/** What the session knows that the journaled state does not. */
export interface LiveFacts {
  /** Set while the journal cannot write: why (ENOSPC, EIO...). */
  notRecording?: string;
  /** Steps launched whose `step/started` is not folded yet. */
  launching?: ReadonlySet<string>;
  /** A rollback was confirmed and its runner has not settled yet. */
  rollbackActive?: boolean;
  /** The session is ending (quit or a signal): running commands are being cancelled and recorded. */
  ending?: boolean;
}

/** Why an intent is refused now (one line, shown to the operator), or undefined when it may go ahead. */
export type Refusal = string | undefined;

/** Whether `intent` may go ahead in `state` at `now`; the one place where these rules and their wording live. */
export function refusal(state: SessionState, intent: Intent, now: number, live: LiveFacts = {}): Refusal {
  const s = state.session;
  if (!s) return 'the session has not started';
  if (intent.kind === 'quit') return undefined;
  if (s.endedAt !== undefined) return 'the session has ended';
  if (live.ending) return 'the session is ending: running commands are being cancelled and recorded';
  const phases = selectChecklist(state, now);
  switch (intent.kind) {
    case 'run':
    case 'retry':
    case 'skip':
      return stepRefusal(state, phases, intent, live);
    case 'gate':
      return gateRefusal(state, phases, intent, live);
    case 'note':
      return intent.text !== undefined && !intent.text.trim() ? 'an empty note says nothing: type the note' : undefined;
    case 'rollback':
      if (!s.runbook.rollback?.levels.some((l) => l.id === intent.level)) return `no rollback level '${intent.level}'`;
      if (rollbackRunning(state, live)) return 'a rollback is already running: wait for it, or abort it (x)';
      if (!intent.approved) {
        const asked = waiting(state, (x) => x.kind === 'rollback' && x.level === intent.level);
        if (asked) return asked;
      }
      // One decision, one rollback: a trigger never starts a level that already ran; only a person can, knowingly.
      if (intent.auto) {
        const no = state.rollback.dismissed?.[intent.level];
        if (no)
          return `${no.operator} dismissed ${intent.level} at ${formatElapsed(no.t - s.startedAt)}: no trigger starts it until its triggers are quiet again`;
        const ran = levelRuns(state, intent.level).at(-1);
        if (ran)
          return `level ${intent.level} already ran (${ranText(state, ran)}): a trigger never starts a level twice; the operator decides`;
      }
      return undefined;
    case 'abort-rollback':
      return rollbackRunning(state, live) ? undefined : 'no rollback is running';
    case 'dismiss':
      return state.rollback.recommended ? undefined : 'nothing is recommended';
    case 'approve':
      return approvalRefusal(state, intent, now, live);
    case 'withdraw':
      return pendingOf(state, intent.id) ? undefined : 'no approval request is pending';
    case 'judge':
      if (live.notRecording) return `not recording (${live.notRecording}): a decision that is not journaled did not happen`;
      if (state.judge?.latest.verdict !== 'marginal') return 'the canary judge is not inconclusive: nothing to decide';
      if (state.judge.decided) return `already decided: ${state.judge.decided.decision} by ${state.judge.decided.operator}`;
      if (intent.decision === 'no-go' && intent.reason !== undefined && !intent.reason.trim()) return 'no-go needs a reason: type it';
      return undefined;
  }
}

/** The pending request `id`, or the newest one when `id` is undefined. */
export function pendingOf(state: SessionState, id?: string): PendingApproval | undefined {
  const all = Object.values(state.approvals ?? {});
  return id === undefined ? all.sort((a, b) => b.t - a.t)[0] : state.approvals?.[id];
}

/** Why a request waits already: "waiting for a second approver ...", or undefined. */
function waiting(state: SessionState, of: (x: ApprovalSubject) => boolean): Refusal {
  const p = Object.values(state.approvals ?? {}).find((x) => of(x.subject));
  return p ? `waiting for a second person to approve it (request ${p.id}); esc withdraws the request` : undefined;
}

/** A second person may answer a pending request that is not their own; approving it must still be allowed now. */
function approvalRefusal(state: SessionState, intent: Extract<Intent, { kind: 'approve' }>, now: number, live: LiveFacts): Refusal {
  const p = state.approvals?.[intent.id];
  if (!p) {
    const ids = Object.keys(state.approvals ?? {});
    return `no approval request '${intent.id}' is pending (${ids.length ? `pending: ${ids.join(', ')}` : 'none is'})`;
  }
  if (!intent.by.trim()) return 'say who approves: a name is required';
  if (samePerson(intent.by, p.operator))
    return `${p.operator} asked for this approval: a second approval must come from another person (--operator NAME)`;
  if (intent.decision === 'refuse') return undefined;
  // Approving performs the decision now: it must pass the rules it would pass if confirmed alone.
  const x = p.subject;
  const why =
    x.kind === 'gate'
      ? refusal(state, { kind: 'gate', phase: x.phase, decision: x.decision, approved: true }, now, live)
      : refusal(state, { kind: 'rollback', level: x.level, approved: true }, now, live);
  return why
    ? `cannot ${x.kind === 'gate' ? `say ${x.decision.toUpperCase()} at gate ${x.phase}` : `roll back ${x.level}`} now: ${why}`
    : undefined;
}

/**
 * Names compared as they read on screen: case, blanks, invisible characters (zero-width spaces,
 * bidi marks, escape sequences and other controls) and look-alike forms (NFKC) do not make another
 * person. "alice" with a zero-width space is alice.
 */
export function samePerson(a: string, b: string): boolean {
  return personKey(a) === personKey(b);
}

/** A name as it reads: NFKC, without escape sequences, controls, format characters or blanks, lower case. */
export function personKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\u001b(\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(\u0007|\u001b\\)?|.)/g, '')
    .replace(/[\p{Cc}\p{Cf}\p{Z}\s]/gu, '')
    .toLowerCase();
}

/** The refusal every forward action (run, tick, go, skip) gets first: no record, or a rollback in progress. */
function forward(state: SessionState, live: LiveFacts): Refusal {
  // Short enough for an 80-column footer: the status bar shows the whole reason.
  if (live.notRecording !== undefined)
    return `NOT RECORDING (${/\(([A-Z0-9]+)\)$/.exec(live.notRecording)?.[1] ?? live.notRecording}): only roll back, abort, no-go and quit work`;
  if (rollbackRunning(state, live)) return 'a rollback is running: the deploy waits until it ends';
  return undefined;
}

function rollbackRunning(state: SessionState, live: LiveFacts): boolean {
  return Boolean(live.rollbackActive) || rollbackInProgress(state);
}

function stepRefusal(state: SessionState, phases: PhaseRow[], intent: Extract<Intent, { step: string }>, live: LiveFacts): Refusal {
  const phase = phases.find((p) => p.steps.some((x) => x.id === intent.step));
  if (!phase) return `no step '${intent.step}' in this runbook`;
  const index = phase.steps.findIndex((x) => x.id === intent.step);
  const step = phase.steps[index];
  const status = live.launching?.has(step.id) ? 'running' : step.status;
  const f = forward(state, live);
  if (f) return f;
  if (phase.status === 'locked') return `locked until "${phase.lockedBy}" says go`;
  if (status === 'running') return intent.kind === 'skip' ? 'running: wait for it, or let it fail' : 'already running';
  if (status === 'passed' || status === 'skipped') return `already ${status}`;
  if (intent.kind === 'retry' && status !== 'failed') return 'only a failed step can be retried';
  if (intent.kind === 'run' && status === 'failed') return 'failed: r retries it, s skips it';
  if (intent.kind === 'skip') return intent.reason !== undefined && !intent.reason.trim() ? 'a skip needs a reason: type why' : undefined;
  const spec = state.session!.runbook.phases.find((p) => p.id === phase.id)!.steps[index];
  if (!spec.parallel) {
    // Phases run in order too: every step before this one, in its phase and in the phases above, is done first.
    const before = [...phases.slice(0, phases.indexOf(phase)).flatMap((p) => p.steps), ...phase.steps.slice(0, index)].find(
      (x) => x.status !== 'passed' && x.status !== 'skipped',
    );
    if (before) return `waits for "${before.title}" (${before.id}) to pass or be skipped first`;
  }
  return undefined;
}

function gateRefusal(state: SessionState, phases: PhaseRow[], intent: Extract<Intent, { kind: 'gate' }>, live: LiveFacts): Refusal {
  const phase = phases.find((p) => p.id === intent.phase);
  if (!phase?.gate) return `phase '${intent.phase}' has no gate`;
  // A no-go stops the deploy: it is never refused for want of a record or during a rollback, so the dialog opens too.
  if (intent.decision === 'go') {
    const f = forward(state, live);
    if (f) return f;
  }
  if (phase.status === 'locked') return `locked until "${phase.lockedBy}" says go`;
  if (state.gates[phase.id]?.decision === 'go') return 'this gate already said go';
  if (intent.decision === 'go' && !intent.approved) {
    const asked = waiting(state, (x) => x.kind === 'gate' && x.phase === phase.id);
    if (asked) return asked;
  }
  const open = phase.steps.filter((x) => x.status !== 'passed' && x.status !== 'skipped');
  if (open.length) return `finish the phase first: ${open.map((x) => x.id).join(', ')} not done`;
  if (intent.decision === 'no-go' && intent.reason !== undefined && !intent.reason.trim()) return 'a no-go needs a reason: type why';
  return undefined;
}
