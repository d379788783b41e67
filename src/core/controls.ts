/**
 * Text from hosts, servers and journals is untrusted (DESIGN.md §4): before it is shown or
 * journaled, every terminal control sequence goes. One definition for the exec drivers, the
 * Prometheus driver, the console, the report and the CLI, so a gap closed here is closed everywhere.
 * SGR colours go too: a colour code in the middle of a token would hide it from the redaction
 * patterns while the terminal still showed it whole.
 */

// One alternation, tried left to right at each position:
//   CSI (ESC [ or 8-bit 0x9b) with its parameter, intermediate and final bytes (the final byte is
//     optional so a sequence cut at the end still goes);
//   string sequences OSC, DCS, SOS, PM, APC (ESC ] P X ^ _, or 8-bit 0x9d 0x90 0x98 0x9e 0x9f) up
//     to BEL or ST, or to the end when unterminated (OSC 52 clipboard, titles, ...);
//   other ESC sequences (charset, keypad, reset: ESC c, ESC ( B, ESC 7, ...);
//   bidirectional embeddings, overrides and isolates, which make text read differently from what it is.
const SEQUENCES =
  '(?:\\x1b\\[|\\x9b)[\\x30-\\x3f]*[\\x20-\\x2f]*[\\x40-\\x7e]?|(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[\\s\\S]*?(?:\\x07|\\x1b\\\\|\\x9c|$)|\\x1b[\\x20-\\x2f]*[\\x30-\\x7e]?|[\\u202a-\\u202e\\u2066-\\u2069]';
// Then the remaining C0 controls, DEL and C1 controls: all but tab, or all but tab and newline.
const CONTROL = new RegExp(`${SEQUENCES}|[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f]`, 'g');
const CONTROL_KEEP_NL = new RegExp(`${SEQUENCES}|[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]`, 'g');
// Cheap pre-tests: most text holds nothing to remove.
const SUSPECT = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const SUSPECT_LINE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Removes terminal control sequences and control characters; tabs stay, and newlines when asked. */
export function stripControls(text: string, keepNewlines = false): string {
  if (!SUSPECT.test(text)) return text;
  return text.replace(keepNewlines ? CONTROL_KEEP_NL : CONTROL, '');
}

/** For display: no control sequence, tabs as two spaces, newlines kept. */
export function sanitizeForDisplay(text: string): string {
  return stripControls(text, true).replace(/\t/g, '  ');
}

/** For one screen line: no control sequence, no bidi override, tabs and line breaks as spaces. */
export function sanitizeLine(text: string): string {
  if (!SUSPECT_LINE.test(text)) return text;
  return sanitizeForDisplay(text).replace(/[\n\u2028\u2029]/g, ' ');
}
