/**
 * A session's outcome from its state, so that the console, the exit code, `cutover sessions` and
 * the report agree: what a session ending now would have (`selectOutcome`), and how a journal's
 * ending reads afterwards (`selectEndedAs`). Pure.
 */
import type { Outcome, RollbackOutcome } from './events.js';
import type { RollbackRun, SessionState } from './state.js';

/** What the state cannot know about an ending: why the session ends now. */
export interface Ending {
  /** A signal (SIGINT, SIGTERM, SIGHUP) ends the session: a step still running makes it `aborted`. */
  signal?: boolean;
  /** An unattended run stops at a manual step or a gate that needs a person. */
  stoppedAtGate?: boolean;
}

/** How a rollback run ended: aborted, else finished ok or not, else cut short (by a restart, or by ending now). */
export function rollbackOutcome(run: RollbackRun): RollbackOutcome {
  if (run.aborted) return 'rollback-aborted';
  if (run.finishedAt !== undefined) return run.ok ? 'rolled-back' : 'rollback-failed';
  return 'rollback-interrupted';
}

/** The outcome a session ending now (for `ending`'s reasons) would have; the latest rollback run decides when there is one. */
export function selectOutcome(state: SessionState, ending: Ending = {}): Outcome {
  const run = state.rollback.run;
  if (run) return rollbackOutcome(run);
  if (ending.signal && Object.values(state.steps).some((st) => st.status === 'running')) return 'aborted';
  const phases = state.session?.runbook.phases ?? [];
  const done = (id: string) => ['passed', 'skipped'].includes(state.steps[id]?.status ?? '');
  if (phases.every((p) => p.steps.every((st) => done(st.id)) && (!p.gate || state.gates[p.id]?.decision === 'go'))) return 'completed';
  if (Object.values(state.gates).some((g) => g.decision === 'no-go') || Object.values(state.steps).some((st) => st.status === 'failed'))
    return 'failed';
  return ending.stoppedAtGate ? 'stopped-at-gate' : 'quit';
}

/** How a journal's session reads afterwards. */
export interface EndedAs {
  /** False when the journal stops without `session/ended`: a crash, or a session still running. */
  ended: boolean;
  /** The outcome to show; undefined only for a session that never ended and never rolled back. */
  outcome?: Outcome;
  /** The journaled outcome, when it is stale and differs from `outcome`. */
  recorded?: Outcome;
}

/** The outcome a reader (`sessions`, the report, the status bar) shows for a journal's final state. */
export function selectEndedAs(state: SessionState): EndedAs {
  // A journaled outcome stands: it was computed at the ending, which knew what the state cannot (a
  // signal, a gate, a rollback that the ending cut short and its cancel then journaled as failed).
  // Except `rolled-back`, which versions before the rollback outcomes wrote for any rollback: there
  // the latest run decides. Only `state.session` and `state.rollback.run` are read (see rollback-tail.ts).
  const s = state.session;
  const run = state.rollback.run;
  if (s?.endedAt === undefined || s.outcome === undefined) return { ended: false, ...(run ? { outcome: rollbackOutcome(run) } : {}) };
  const fromRun = run ? rollbackOutcome(run) : undefined;
  if (s.outcome === 'rolled-back' && fromRun && fromRun !== 'rolled-back') return { ended: true, outcome: fromRun, recorded: s.outcome };
  return { ended: true, outcome: s.outcome };
}

/** One line for a listing: `rollback-aborted (recorded as rolled-back)`, `rollback-interrupted (unfinished)`, `unfinished`. */
export function formatEndedAs(e: EndedAs): string {
  if (!e.outcome) return 'unfinished';
  if (!e.ended) return `${e.outcome} (unfinished)`;
  return e.recorded ? `${e.outcome} (recorded as ${e.recorded})` : e.outcome;
}
