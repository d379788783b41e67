/**
 * The two-person rule, judged in a journal: a GO of a gate, or a rollback of a level, that needs
 * two people (`approvals: 2`) is a fact only when a second person approved that very request
 * before it, under another name. A journal re-chained by hand can say "GO by alice, approved by
 * alice", or drop the approver: that line is a problem, never a fact (replay, report, follow).
 */
import type { ApprovalSubject, SessionEvent } from '../core/events.js';
import { samePerson } from '../core/refusal.js';
import type { Runbook } from '../runbook/schema.js';

const keyOf = (s: ApprovalSubject): string => (s.kind === 'gate' ? `gate ${s.phase} ${s.decision}` : `rollback ${s.level}`);

/** What the journal's events say of approvals so far. */
export class ApprovalJudge {
  private twoGates = new Set<string>();
  private twoLevels = new Set<string>();
  private readonly requests = new Map<string, { key: string; operator: string }>();
  /** Approved requests not yet carried out, by subject: the operator who asked, the approver. */
  private readonly approved = new Map<string, { operator: string; by: string }>();

  /** The runbook the session follows (session/started, or a runbook accepted at resume). */
  runbook(rb: Runbook): void {
    this.twoGates = new Set(rb.phases.filter((p) => p.gate?.approvals === 2).map((p) => p.id));
    this.twoLevels = new Set((rb.rollback?.levels ?? []).filter((l) => l.approvals === 2).map((l) => l.id));
  }

  /** Why `e` breaks the two-person rule, or undefined. */
  judge(e: SessionEvent): string | undefined {
    switch (e.type) {
      case 'approval/decided': {
        const r = this.requests.get(e.id);
        if (e.decision === 'approve' && r && samePerson(e.by, r.operator))
          return `approval/decided: ${e.by} approves the request ${r.operator} made (a second approval must come from another person)`;
        return undefined;
      }
      case 'gate/decided':
        if (e.decision !== 'go' || !this.twoGates.has(e.phase)) return undefined;
        return this.carried(e.type, `gate ${e.phase} go`, e.operator, e.approvedBy);
      case 'rollback/confirmed':
        if (e.auto || !this.twoLevels.has(e.level)) return undefined;
        return this.carried(e.type, `rollback ${e.level}`, e.operator, e.approvedBy);
      default:
        return undefined;
    }
  }

  /** Records an event that was folded. */
  folded(e: SessionEvent): void {
    if (e.type === 'approval/requested') this.requests.set(e.id, { key: keyOf(e.subject), operator: e.operator });
    else if (e.type === 'approval/decided') {
      const r = this.requests.get(e.id);
      this.requests.delete(e.id);
      if (r && e.decision === 'approve') this.approved.set(r.key, { operator: r.operator, by: e.by });
    } else if (e.type === 'gate/decided') this.approved.delete(`gate ${e.phase} go`);
    else if (e.type === 'rollback/confirmed') this.approved.delete(`rollback ${e.level}`);
    else if (e.type === 'session/resumed') this.requests.clear();
  }

  private carried(type: string, key: string, operator: string, approvedBy: string | undefined): string | undefined {
    const what = key.startsWith('gate') ? `a GO of ${key.split(' ')[1]}` : `a rollback of ${key.split(' ')[1]}`;
    if (approvedBy === undefined) return `${type}: ${what}, which needs two people, without a second person's approval`;
    if (samePerson(approvedBy, operator)) return `${type}: ${what} by ${operator}, approved by the same person`;
    const a = this.approved.get(key);
    if (!a || !samePerson(a.by, approvedBy))
      return `${type}: ${what} approved by ${approvedBy}, but no approval of that request by ${approvedBy} comes before it`;
    return undefined;
  }
}
