/** The checklist pane's rows: phases with status and timing, steps with status, gate locks. */
import { stepKind, type StepKind } from '../runbook/schema.js';
import type { GateState, PendingApproval, SessionState, StepStatus } from './state.js';
import { lastCall } from './last-call.js';

export type PhaseStatus = 'locked' | 'pending' | 'running' | 'failed' | 'gate' | 'done' | 'no-go';

export interface StepRow {
  id: string;
  title: string;
  kind: StepKind;
  status: StepStatus;
  attempts: number;
  error?: string;
  reason?: string;
  startedAt?: number;
  endedAt?: number;
}

export interface PhaseRow {
  id: string;
  title: string;
  status: PhaseStatus;
  /** Why the phase is locked (the gate that must say go first). */
  lockedBy?: string;
  plannedMs?: number;
  /** Actual time so far (running), or until it stopped (done, at its gate, no-go, failed), from the first step start; never negative. */
  actualMs?: number;
  late: boolean;
  steps: StepRow[];
  /** `asked`: a decision waiting for a second approver (approvals: 2); `approvals` as the runbook says. */
  gate?: { title: string; decision?: GateState; asked?: PendingApproval; approvals?: number };
}

/** Phases and steps in runbook order, evaluated at `now`. */
function computeChecklist(state: SessionState, now: number): PhaseRow[] {
  const rb = state.session?.runbook;
  if (!rb) return [];
  let lockedBy: string | undefined;
  return rb.phases.map((ph) => {
    const steps: StepRow[] = ph.steps.map((st) => {
      const s = state.steps[st.id];
      const row: StepRow = { id: st.id, title: st.title, kind: stepKind(st), status: s?.status ?? 'pending', attempts: s?.attempts ?? 0 };
      if (s?.error) row.error = s.error;
      if (s?.reason) row.reason = s.reason;
      if (s?.startedAt !== undefined) row.startedAt = s.startedAt;
      if (s?.endedAt !== undefined) row.endedAt = s.endedAt;
      return row;
    });
    const decision = state.gates[ph.id];
    const starts = steps.map((s) => s.startedAt).filter((x): x is number => x !== undefined);
    const ends = steps.map((s) => s.endedAt).filter((x): x is number => x !== undefined);
    const allDone = steps.every((s) => s.status === 'passed' || s.status === 'skipped');
    let status: PhaseStatus;
    if (lockedBy) status = 'locked';
    else if (steps.some((s) => s.status === 'running')) status = 'running';
    else if (steps.some((s) => s.status === 'failed')) status = 'failed';
    else if (allDone && ph.gate && decision?.decision === 'no-go') status = 'no-go';
    else if (allDone && ph.gate && !decision) status = 'gate';
    else if (allDone) status = 'done';
    else status = starts.length ? 'running' : 'pending';
    const start = starts.length ? Math.min(...starts) : undefined;
    // The clock runs while the phase works; it stops when the phase is done, waits at its gate, or failed
    // (at its last step's end: a failed phase does not grow late while a person decides what to do).
    const stopped = status === 'done' || status === 'gate' || status === 'no-go' || status === 'failed';
    const end = stopped ? Math.max(...ends, status === 'failed' ? 0 : (decision?.t ?? 0)) : now;
    const actualMs = start !== undefined ? Math.max(0, Math.min(end, now) - start) : undefined;
    const row: PhaseRow = {
      id: ph.id,
      title: ph.title,
      status,
      late: ph.planned !== undefined && actualMs !== undefined && actualMs > ph.planned,
      steps,
      ...(lockedBy ? { lockedBy } : {}),
      ...(ph.planned !== undefined ? { plannedMs: ph.planned } : {}),
      ...(actualMs !== undefined ? { actualMs } : {}),
      ...(ph.gate
        ? { gate: { title: ph.gate.title, ...(decision ? { decision } : {}), ...gateAsk(state, ph.id, ph.gate.approvals) } }
        : {}),
    };
    if (ph.gate && decision?.decision !== 'go' && !lockedBy) lockedBy = ph.gate.title;
    return row;
  });
}

/** A gate's pending request for a second approver, and how many people it needs when more than one. */
function gateAsk(state: SessionState, phase: string, approvals: number | undefined): { asked?: PendingApproval; approvals?: number } {
  const asked = Object.values(state.approvals ?? {}).find((p) => p.subject.kind === 'gate' && p.subject.phase === phase);
  return { ...(asked ? { asked } : {}), ...(approvals !== undefined && approvals > 1 ? { approvals } : {}) };
}

/** Memoized on (state, now): results are read-only. */
export const selectChecklist = lastCall(computeChecklist);
