/**
 * Last line of defence before text reaches the terminal: whatever a journal or a remote host
 * holds, no control sequence gets through (the exec drivers sanitize too; replayed journals may
 * not have been written by them).
 */

// CSI, OSC (BEL or ST terminated), DCS/SOS/PM/APC strings, other ESC sequences, C0 and C1 controls.
const CONTROL = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][\s\S]*?(?:\x07|\x1b\\|$)|\x1b[PX^_][\s\S]*?(?:\x1b\\|$)|\x1b[@-Z\\-_]|\x1b|[\x00-\x08\x0b-\x1f\x7f]|[\u0080-\u009f]/g;

/** Removes every terminal control sequence; tabs become spaces; newlines are kept. */
export function sanitizeForDisplay(text: string): string {
  return text.replace(CONTROL, '').replace(/\t/g, '  ');
}

// Cheap pre-test: most text has no control character, bidi override or line break at all.
const SUSPECT = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// Bidi embeddings, overrides and isolates can make a line read differently from what it holds.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/** For one screen line: no control sequence, no bidi override, and line breaks become spaces. */
export function sanitizeLine(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return sanitizeForDisplay(text).replace(BIDI, '').replace(/[\n\u2028\u2029]/g, ' ');
}
