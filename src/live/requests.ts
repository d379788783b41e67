/**
 * One request line of the live socket, checked and answered: the console's side of protocol.ts.
 * Whatever arrives is untrusted (another user's script, a mistake): every field is checked here
 * and a bad one answered with one line naming it, before anything reaches the session.
 */
import { MARK_KINDS, type Answer, type MarkKind, type Source } from './protocol.js';
import { cleanMeta, MAX_COMMAND_CHARS, MAX_NAME_CHARS, textProblem } from './text.js';

/** What the socket asks of the console: the session's `hello`, its marks and its approvals. */
export interface LiveDesk {
  hello(): { id: string; runbook: string; operator: string; journal: string };
  mark(kind: MarkKind, text: string, source: Source): Promise<{ seq: number } | { error: string }>;
  approve(a: {
    id: string;
    decision: 'approve' | 'refuse';
    by: string;
    reason?: string;
    source: Source;
  }): Promise<{ seq: number } | { error: string }>;
}

type Obj = Record<string, unknown>;
/** An id is printable: nothing to hide in a refusal that quotes it. */
const CONTROL_FREE = /^[^\u0000-\u001f\u007f-\u009f]+$/u;

/** Answers one request line (without its newline). Never throws. */
export async function answerLine(line: string, desk: LiveDesk): Promise<Answer> {
  let req: unknown;
  try {
    req = JSON.parse(line);
  } catch {
    return fail('the request is not JSON: send one JSON object per line, like {"op":"hello"}');
  }
  if (typeof req !== 'object' || req === null || Array.isArray(req)) return fail('the request is not a JSON object');
  const r = req as Obj;
  try {
    switch (r.op) {
      case 'hello':
        return { ok: true, session: desk.hello() };
      case 'mark': {
        if (!MARK_KINDS.includes(r.kind as MarkKind)) return fail(`kind must be one of ${MARK_KINDS.join(', ')}`);
        if (typeof r.text !== 'string') return fail('text must be a string');
        const bad = textProblem(r.text);
        if (bad) return fail(bad);
        const source = sourceOf(r.source);
        if (typeof source === 'string') return fail(source);
        return settle(await desk.mark(r.kind as MarkKind, r.text.trim(), source));
      }
      case 'approve': {
        if (typeof r.request !== 'string' || !r.request || r.request.length > 200 || !CONTROL_FREE.test(r.request))
          return fail('request must name the approval request (its id, as approval/requested in the journal gives it)');
        if (r.decision !== 'approve' && r.decision !== 'refuse') return fail('decision must be approve or refuse');
        const by = nameOf(r.by, 'by');
        if (by.error) return fail(by.error);
        let reason: string | undefined;
        if (r.reason !== undefined) {
          if (typeof r.reason !== 'string') return fail('reason must be a string');
          const bad = r.reason.trim() ? textProblem(r.reason, 'the reason') : undefined;
          if (bad) return fail(bad);
          reason = r.reason.trim() || undefined;
        }
        const source = sourceOf(r.source);
        if (typeof source === 'string') return fail(source);
        return settle(await desk.approve({ id: r.request, decision: r.decision, by: by.name!, ...(reason ? { reason } : {}), source }));
      }
      default:
        return fail(`unknown op ${JSON.stringify(r.op ?? null).slice(0, 40)}; this console answers hello, mark and approve`);
    }
  } catch (e) {
    return fail(`internal error: ${(e as Error).message}`);
  }
}

/** A name as given: a string with something in it, no control characters, not too long. */
function nameOf(v: unknown, field: string): { name?: string; error?: string } {
  if (typeof v !== 'string' || !v.trim()) return { error: `${field} must name a person (--operator NAME, or $USER)` };
  const bad = textProblem(v, field, MAX_NAME_CHARS);
  return bad ? { error: bad } : { name: v.trim() };
}

/** The sender: who, which process, which command line (cleaned and cut, it is metadata); or why it is refused. */
function sourceOf(v: unknown): Source | string {
  if (typeof v !== 'object' || v === null) return 'source must say who sends it: {"user", "pid", "command"}';
  const s = v as Obj;
  const user = nameOf(s.user, 'source.user');
  if (user.error) return user.error;
  if (typeof s.pid !== 'number' || !Number.isInteger(s.pid) || s.pid < 0) return 'source.pid must be a process id';
  if (typeof s.command !== 'string') return 'source.command must be a string';
  return { user: user.name!, pid: s.pid, command: cleanMeta(s.command, MAX_COMMAND_CHARS) };
}

function settle(r: { seq: number } | { error: string }): Answer {
  return 'error' in r ? fail(r.error) : { ok: true, seq: r.seq };
}

/** A refusal: always one line. */
function fail(error: string): Answer {
  return { ok: false, error: error.replace(/[\r\n]+/g, ' ') };
}
