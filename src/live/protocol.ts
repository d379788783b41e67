import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * The live session's socket: how other people and scripts on the same machine reach a running
 * console without writing its journal. A 0600 Unix socket beside the journal (`.live-HASH.sock`,
 * in the 0700 sessions directory) that only the console listens on; one JSON request per line,
 * one JSON answer per line. The console is the only writer of the journal: a mark or an approval
 * becomes an event only when the console journals it. No network listener: access is whatever
 * reaches the laptop (SSH) and the file's mode.
 */

/** What every session socket's file name looks like. */
export const SOCKET_NAME = /^\.live-[0-9a-f]{12}\.sock$/;

/**
 * Where a session's socket is: beside its journal, named by a hash of the journal's name. Not
 * `JOURNAL.sock`: a Unix socket's path holds at most 107 bytes, and a journal's name carries its
 * runbook's (the default sessions directory and a long runbook name went over).
 */
export function socketPath(journal: string): string {
  return join(dirname(journal), `.live-${createHash('sha256').update(basename(journal)).digest('hex').slice(0, 12)}.sock`);
}

/** Who sent a request: the name they give (--operator, else $USER), and the process. */
export interface Source {
  user: string;
  pid: number;
  /** The command line of the sender (e.g. the deploy script), cut to 200 characters. */
  command: string;
}

/** Kinds of mark a script may add to the timeline. */
export const MARK_KINDS = ['info', 'warning', 'error', 'phase'] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

/** Requests, one per line. */
export type Request =
  /** What the session is: for `follow` and `mark` to say where they are. */
  | { op: 'hello' }
  /** An event for the timeline (`cutover mark`). */
  | { op: 'mark'; kind: MarkKind; text: string; source: Source }
  /**
   * A second person's answer to a pending approval request: `request` is the id of its
   * `approval/requested` event (pending ones are the state's `approvals`). Refused when `by` is the
   * requester's name (case and blanks aside), when no such request is pending, or while the session ends.
   */
  | { op: 'approve'; request: string; decision: 'approve' | 'refuse'; by: string; reason?: string; source: Source };

/**
 * Answers, one per line: ok with what was recorded (`seq`: the journal line of the mark, or of the
 * approval's answer, once the console has it on disk; `session` for hello), or a one-line error.
 */
export type Answer =
  | { ok: true; seq?: number; session?: { id: string; runbook: string; operator: string; journal: string } }
  | { ok: false; error: string };

/** Longest request line the console reads (a longer one is refused and the connection closed). */
export const MAX_REQUEST_BYTES = 64 * 1024;
/** Longest mark text. */
export const MAX_MARK_CHARS = 500;
