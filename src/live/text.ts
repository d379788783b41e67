/**
 * What text the live socket takes: one line of plain text. A mark or a reason is refused (not
 * cleaned) when it holds a control character, so a script learns that its line would not show as
 * it wrote it; the sender's name and command line are metadata, cut and cleaned instead.
 */
import { sanitizeLine } from '../core/controls.js';
import { MAX_MARK_CHARS } from './protocol.js';

/** Longest name a sender may give (`--operator`, $USER). */
export const MAX_NAME_CHARS = 100;
/** Longest command line kept of a sender. */
export const MAX_COMMAND_CHARS = 200;

/** C0 controls (tab and newline included), DEL, C1 controls, line separators and bidi overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const NAMES: Record<number, string> = { 9: 'a tab', 10: 'a newline', 13: 'a carriage return', 27: 'an escape (ESC)' };

/** Why `text` (a mark, or a reason when `what` says so) is refused, in one line; undefined when it is taken. */
export function textProblem(text: string, what = 'the mark', max = MAX_MARK_CHARS): string | undefined {
  if (!text.trim()) return `${what} is empty: give the text to show`;
  const chars = [...text];
  if (chars.length > max) return `${what} is ${chars.length} characters long; at most ${max} are taken`;
  const m = CONTROL.exec(text);
  if (m) {
    const code = m[0].codePointAt(0)!;
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const at = [...text.slice(0, m.index)].length + 1;
    return `${what} contains ${NAMES[code] ? `${NAMES[code]} (${hex})` : `the control character ${hex}`} at character ${at}; give one line of plain text`;
  }
  return undefined;
}

/** A name or command line as it is kept: controls gone, blanks trimmed, cut to `max` characters. */
export function cleanMeta(text: string, max: number): string {
  const s = sanitizeLine(text).trim();
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}
