/**
 * Remote output is untrusted (DESIGN.md §4): before a line is shown or journaled, every terminal
 * control sequence goes. That includes SGR colours: a colour code in the middle of a token would
 * hide it from the redaction patterns while the terminal still showed it whole, and the console
 * colours output by stream anyway.
 */

// One alternation, tried left to right at each position:
//   CSI (ESC [ or 8-bit 0x9b) with its parameter, intermediate and final bytes (the final byte is
//     optional so a sequence cut at the end of a line still goes);
//   string sequences OSC, DCS, SOS, PM, APC (ESC ] P X ^ _, or 8-bit 0x9d 0x90 0x98 0x9e 0x9f) up
//     to BEL or ST, or to the end of the line when unterminated (OSC 52 clipboard, titles, ...);
//   other ESC sequences (charset, keypad, reset: ESC c, ESC ( B, ESC 7, ...);
//   the remaining C0 controls (except tab), DEL and C1 controls;
//   bidirectional overrides, which can make text read differently from what it is.
const CONTROL =
  /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)|\x1b[\x20-\x2f]*[\x30-\x7e]?|[\x00-\x08\x0a-\x1f\x7f-\x9f]|[\u202a-\u202e\u2066-\u2069]/g;

/** Removes terminal control sequences from one line; printable text and tabs stay. */
export function stripControls(line: string): string {
  // Fast path: most lines are plain.
  if (!/[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(line)) return line;
  return line.replace(CONTROL, '');
}

/**
 * Applies carriage returns the way a progress bar means them: each `\r` starts the line over, so
 * the line shows the last non-empty segment (`10%\r20%\r` reads `20%`).
 */
export function overprint(line: string): string {
  if (!line.includes('\r')) return line;
  const parts = line.split('\r');
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== '') return parts[i];
  return '';
}
