/**
 * The approval requests pending in a followed session, as the follower shows and answers them:
 * from the state the journal's events folded into (the reducer opens a request on
 * `approval/requested`, closes it on `approval/decided`, drops them on a restart), so only events
 * that passed the judge count. Their texts are the journal's: shown only sanitized and bounded.
 */
import { sanitizeLine } from '../core/controls.js';
import { subjectText } from '../core/select-timeline.js';
import type { SessionState } from '../core/state.js';

/** One request waiting for a second person, as the follower shows it. */
export interface PendingView {
  id: string;
  /** What is to be approved, in words ("gate cutover-50 GO", "rollback traffic"). */
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

/** The requests waiting now, oldest first; none once the session has ended. */
export function pendingApprovals(state: SessionState): PendingView[] {
  if (state.session?.endedAt !== undefined) return [];
  return Object.values(state.approvals ?? {})
    .sort((a, b) => a.t - b.t)
    .map((p) => ({
      id: p.id,
      subject: text(subjectText(p.subject)),
      rollback: p.subject.kind === 'rollback',
      operator: text(p.operator),
      ...(p.reason ? { reason: text(p.reason) } : {}),
      t: p.t,
    }));
}

/** A journal text for the screen: control sequences stripped, one line, bounded. */
function text(v: string): string {
  const s = sanitizeLine(v);
  return [...s].length > MAX ? `${[...s].slice(0, MAX - 1).join('')}…` : s;
}
