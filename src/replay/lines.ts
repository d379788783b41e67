/** One journal line, untrusted: parsed, validated and folded, or the reason it is skipped. */
import type { SessionEvent } from '../core/events.js';
import type { RawLine } from '../journal/scan.js';
import { sanitizeLine } from '../core/controls.js';
import { checkEvent } from './validate.js';

/** A line not taken as fact, with its 1-based line number and why: skipped, or (`folded`) shown but flagged. */
export interface LineProblem {
  line: number;
  message: string;
  /** The event was folded all the same (a seq gap: the event is sound, lines before it are missing). */
  folded?: true;
}

/** What one raw line turned out to be (`seq` of a bad line when it has a valid one). A torn last line (a crash mid-write) is not a problem. */
export type LineResult = { event: SessionEvent; seq: number } | { problem: LineProblem; seq?: number } | 'torn';

const HASH = /^[0-9a-f]{32}$/;

/** Parses and validates one line's text; the event keeps its `seq` and `hash` (no copy is made: nothing reads them). */
export function parseEvent(text: string): { event: SessionEvent; seq: number } | { message: string; seq?: number } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { message: text.trim() === '' ? 'empty line' : 'not valid JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { message: 'not a JSON object' };
  const { seq, hash } = v as { seq?: unknown; hash?: unknown };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return { message: 'seq missing or not a positive integer' };
  if (typeof hash !== 'string' || !HASH.test(hash)) return { message: 'hash missing or not 32 hex characters', seq };
  const c = checkEvent(v);
  return c.ok ? { event: c.event, seq } : { message: clean(c.message), seq };
}

/** Longest problem message kept: a message may quote journal keys, which can be any length. */
const MESSAGE_MAX = 300;

/** A validation message can quote the journal's own keys (labels, hosts): strip their control sequences, bound the length. */
function clean(message: string): string {
  const m = sanitizeLine(message);
  return [...m].length > MESSAGE_MAX ? `${[...m].slice(0, MESSAGE_MAX - 1).join('')}…` : m;
}

/** Parses and validates one raw line of a journal. */
export function checkLine(raw: RawLine): LineResult {
  const p = parseEvent(raw.text);
  if ('event' in p) return p;
  // Only an unterminated line can be torn: a crash cuts the tail of a write, and the newline is written last.
  if (!raw.terminated) return 'torn';
  return p.seq === undefined
    ? { problem: { line: raw.line, message: p.message } }
    : { problem: { line: raw.line, message: p.message }, seq: p.seq };
}

/** The mark an event gets (0 none, 1 gate, 2 trigger firing, 3 rollback): `n`/`p` stop at marked events, the progress bar shows them. */
export function decisionKind(type: string): 0 | 1 | 2 | 3 {
  if (type === 'gate/decided' || type === 'judge/decided') return 1;
  if (type === 'trigger/firing') return 2;
  if (
    type === 'rollback/recommended' ||
    type === 'rollback/confirmed' ||
    type === 'rollback/aborted' ||
    type === 'rollback/dismissed' ||
    type === 'rollback/finished'
  )
    return 3;
  return 0;
}

/** Events that are not background telemetry: skip-idle jumps over stretches without any. */
export function isActivity(type: string): boolean {
  return !type.startsWith('metric/') && !type.startsWith('alerts/');
}
