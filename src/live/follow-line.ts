/**
 * The follower's line under the status bar (pure): who operates the session, how far behind the
 * journal the follower is, a pending approval request (with its keys when --approve is on), and
 * the console's last answer to this follower.
 */
import { formatDuration } from '../runbook/duration.js';
import { fit, type Line } from '../ui/rows.js';
import type { Color } from '../ui/theme.js';
import type { PendingView } from './follow-approvals.js';

/** Everything the line shows. */
export interface FollowView {
  operator?: string;
  /** How the session ended, once it has. */
  ended?: string;
  /** Everything the file held at the last look is read. */
  caughtUp: boolean;
  /** Bytes of the file not read yet. */
  unread: number;
  /** Time of the latest event read (0 before any). */
  lastEvent: number;
  now: number;
  count: number;
  pending?: PendingView;
  /** The approve keys exist (--approve). */
  approving: boolean;
  message?: { ok: boolean; text: string };
  /** Why following stopped (the file was cut, or cannot be read). */
  halted?: string;
}

/** The line, cut to `width`. */
export function followLine(v: FollowView, width: number, color: boolean): Line {
  const c = (k: Color): Color => (color ? k : undefined);
  const out: Line = [{ text: ` operator ${v.operator ?? '?'} `, bold: true }];
  const since = v.lastEvent ? ago(v.now - v.lastEvent) : undefined;
  if (v.halted) out.push({ text: ' ✗ STOPPED FOLLOWING (see the line above) ', bold: true, color: c('red') });
  else if (v.ended) out.push({ text: ` session ended${since ? ` ${since} ago` : ''}; q quits `, color: c('yellow') });
  else if (!v.caughtUp && v.unread > 0)
    out.push({ text: ` catching up: ${mb(v.unread)} to read${since ? `, ${since} behind` : ''} `, bold: true, color: c('yellow') });
  else out.push({ text: ` up to date${since ? ` · last event ${since} ago` : ''} `, color: c('green') });
  // The console's answer first: it is what the person just asked for.
  if (v.message)
    out.push({ text: ` ${v.message.ok ? '✓' : '✗'} ${v.message.text} `, bold: true, color: c(v.message.ok ? 'green' : 'red') });
  if (v.pending) {
    const p = v.pending;
    out.push({ text: ` ⚑ ${p.operator} asks approval: ${p.subject} `, bold: true, inverse: true, color: c('yellow') });
    if (v.approving) out.push({ text: ' a approve · r refuse ', bold: true, color: c('yellow') });
  }
  out.push({ text: ` ${v.count.toLocaleString('en-US')} event${v.count === 1 ? '' : 's'} `, dim: true });
  return fit(out, width);
}

/** A lag as people read it: tenths of a second under 10 s. */
function ago(ms: number): string {
  const m = Math.max(0, ms);
  return m < 10_000 ? `${(m / 1000).toFixed(1)}s` : formatDuration(m);
}

function mb(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
