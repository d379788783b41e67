/**
 * Pending approval requests, as a follower learns them from the journal: `approval/requested`
 * {id, subject, operator, reason?} opens one, `approval/decided` {id, …} closes it, and the end of
 * the session closes them all. Read from events that passed the judge (follow-index.ts), but the
 * texts are still the journal's: shown only through `sanitizeLine`, and bounded.
 */
import { sanitizeLine } from '../core/controls.js';

/** One request waiting for a second person. */
export interface PendingApproval {
  id: string;
  /** What is to be approved, in words ("gate cutover-50", "rollback traffic"). */
  subject: string;
  /** Rolling back: approving it needs a capital Y, as confirming a rollback does in the console. */
  rollback: boolean;
  /** Who asked. */
  operator: string;
  reason?: string;
  t: number;
}

/** Longest text kept from the journal for one field. */
const MAX = 200;

/** The requests not yet decided, oldest first; fed every event taken as fact. */
export class PendingApprovals {
  private readonly open = new Map<string, PendingApproval>();

  /** The requests waiting now, oldest first. */
  list(): PendingApproval[] {
    return [...this.open.values()];
  }

  /** The oldest request waiting, if any (the one the keys answer). */
  first(): PendingApproval | undefined {
    return this.open.values().next().value;
  }

  /** Takes one event (any: the approval events are read by their fields); returns true when the pending set changed. */
  add(e: { type: string; t: number; [field: string]: unknown }): boolean {
    if (e.type === 'approval/requested' && typeof e.id === 'string') {
      const s = subjectOf(e.subject);
      this.open.set(e.id, {
        id: e.id,
        subject: s.text,
        rollback: s.rollback,
        operator: text(e.operator) || '?',
        ...(typeof e.reason === 'string' && e.reason ? { reason: text(e.reason) } : {}),
        t: e.t,
      });
      return true;
    }
    if (e.type === 'approval/decided' && typeof e.id === 'string') return this.open.delete(e.id);
    if (e.type === 'session/ended' && this.open.size) {
      this.open.clear();
      return true;
    }
    return false;
  }
}

/** A subject as words, whether the console journals it as a string ("rollback traffic") or an object ({kind, level}). */
function subjectOf(v: unknown): { text: string; rollback: boolean } {
  if (typeof v === 'string') return { text: text(v) || '?', rollback: /^rollback\b/i.test(v) };
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const kind = typeof o.kind === 'string' ? o.kind : typeof o.type === 'string' ? o.type : '';
    const id = [o.level, o.phase, o.id, o.step].find((x) => typeof x === 'string') as string | undefined;
    return { text: text(`${kind}${id ? ` ${id}` : ''}`) || '?', rollback: /^rollback/i.test(kind) };
  }
  return { text: '?', rollback: false };
}

/** A journal text for the screen: control sequences stripped, one line, bounded. */
function text(v: unknown): string {
  if (typeof v !== 'string') return '';
  const s = sanitizeLine(v);
  return [...s].length > MAX ? `${[...s].slice(0, MAX - 1).join('')}…` : s;
}
