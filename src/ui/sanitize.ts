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
