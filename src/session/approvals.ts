/**
 * The second approver: a gate's GO or a rollback level that needs two people (`approvals: 2`)
 * waits as a journaled request until another person answers through the live socket, or the
 * operator withdraws it. A NO-GO never waits (stopping takes one person), nor does an auto
 * rollback (validation refuses `auto` on a level that needs two). Approving performs the decision
 * exactly as a lone confirmation would; the rules (core's `refusal`) are asked again then.
 */
import type { ApprovalSubject, EventSource, SessionEvent } from '../core/events.js';
import type { Intent, Refusal } from '../core/refusal.js';
import type { SessionState } from '../core/state.js';
import type { Runbook } from '../runbook/schema.js';

/** What the approvals need from the session. */
export interface ApprovalHost {
  operator: string;
  now(): number;
  state(): SessionState;
  refusal(intent: Intent): Refusal;
  emit(e: SessionEvent): Promise<void>;
  nextSeq(): number;
  /** Whether the journal cannot write now (an answer then says the decision is held, not on disk). */
  notRecording(): string | undefined;
  /** Performs an approved subject as the requester, naming the approver. */
  perform(subject: ApprovalSubject, requester: string, approvedBy: string, reason?: string): Refusal;
}

/** A second person's answer, as the socket brings it. */
export interface ApprovalAnswer {
  id: string;
  decision: 'approve' | 'refuse';
  by: string;
  reason?: string;
  source: EventSource;
}

/** Whether the runbook says `subject` needs a second person. */
export function needsSecond(rb: Runbook, subject: ApprovalSubject): boolean {
  if (subject.kind === 'gate') return subject.decision === 'go' && rb.phases.find((p) => p.id === subject.phase)?.gate?.approvals === 2;
  return rb.rollback?.levels.find((l) => l.id === subject.level)?.approvals === 2;
}

/** Requests, answers and withdrawals of second approvals for one session. */
export class Approvals {
  /** Requests and answers journaled but not folded yet: a second one in that window would act twice. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly h: ApprovalHost) {}

  /** Journals a request for `subject` (the caller has asked `refusal` for the decision itself). */
  request(subject: ApprovalSubject, reason?: string): Refusal {
    const what = subject.kind === 'gate' ? `gate-${subject.phase}-${subject.decision}` : `rollback-${subject.level}`;
    // The journal's seq makes the id unique in the session, and it still says what it is about.
    const id = `${what}-${this.h.nextSeq()}`;
    if (this.inFlight.has(what)) return 'waiting for a second person to approve it (the request is being recorded)';
    this.inFlight.add(what);
    const why = reason?.trim();
    void this.h
      .emit({ type: 'approval/requested', t: this.h.now(), id, subject, operator: this.h.operator, ...(why ? { reason: why } : {}) })
      .catch(() => {})
      .finally(() => this.inFlight.delete(what));
    return undefined;
  }

  /** The operator takes back a pending request (the newest when `id` is undefined). */
  withdraw(id?: string, reason?: string): Refusal {
    const refused = this.h.refusal({ kind: 'withdraw', ...(id !== undefined ? { id } : {}) });
    if (refused) return refused;
    const p = Object.values(this.h.state().approvals ?? {}).sort((a, b) => b.t - a.t);
    const target = id ?? p[0].id;
    if (this.inFlight.has(target)) return `request ${target} is being answered`;
    this.inFlight.add(target);
    void this.h
      .emit({
        type: 'approval/decided',
        t: this.h.now(),
        id: target,
        decision: 'withdraw',
        by: this.h.operator,
        ...(reason ? { reason } : {}),
      })
      .catch(() => {})
      .finally(() => this.inFlight.delete(target));
    return undefined;
  }

  /**
   * A second person's answer: refused (one line) when no such request is pending, when it is the
   * requester's own name, when the session is ending, or when the decision is not allowed now;
   * otherwise journaled, then (approve) performed. Resolves with the answer's seq in the journal.
   */
  async answer(a: ApprovalAnswer): Promise<{ seq: number } | { error: string }> {
    const refused = this.h.refusal({ kind: 'approve', id: a.id, by: a.by, decision: a.decision });
    if (refused) return { error: refused };
    // Two answers at once (two people, one request): the first is the answer.
    if (this.inFlight.has(a.id)) return { error: `request ${a.id} is being answered by someone else; it is no longer pending` };
    this.inFlight.add(a.id);
    const p = this.h.state().approvals![a.id];
    const seq = this.h.nextSeq();
    const why = a.reason?.trim();
    const decided = this.h.emit({
      type: 'approval/decided',
      t: this.h.now(),
      id: a.id,
      decision: a.decision,
      by: a.by.trim(),
      ...(why ? { reason: why } : {}),
      source: a.source,
    });
    // Performed in the same tick as the answer is journaled: nothing can come between them to change the rules' verdict.
    const done = a.decision === 'approve' ? this.h.perform(p.subject, p.operator, a.by.trim(), p.reason) : undefined;
    try {
      await decided;
    } catch (e) {
      return { error: `the console could not record the answer: ${(e as Error).message}` };
    } finally {
      this.inFlight.delete(a.id);
    }
    if (done) return { error: `recorded, but the console refused to act: ${done}` };
    const down = this.h.notRecording();
    if (down !== undefined) return { error: `the console is NOT RECORDING (${down}): the answer holds, but it is not on disk yet` };
    return { seq };
  }
}
