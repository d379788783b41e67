/** Presentation as data: a pane's content is lines of styled segments, computed by a pure function. */
import stringWidth from 'string-width';
import { sanitizeLine } from '../core/controls.js';
import type { Color } from './theme.js';

/** A run of text with one style. */
export interface Segment {
  text: string;
  color?: Color;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

/** One screen line. */
export type Line = Segment[];

/** A one-segment line. */
export function line(text: string, style: Omit<Segment, 'text'> = {}): Line {
  return [{ text, ...style }];
}

/** The visible width of a line, in terminal columns. */
export function lineWidth(l: Line): number {
  return l.reduce((n, s) => n + textWidth(s.text), 0);
}

/**
 * Characters of one column each that never join a neighbour into a grapheme (printable ASCII,
 * Latin-1 and Latin Extended without the soft hyphen, punctuation, arrows, box drawing, blocks,
 * shapes, Braille, check marks): text of only these is measured by its length. string-width
 * segments every string, about a hundred times slower, and every pane line is measured each frame.
 */
const NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u25fc\u2713\u2717\u2800-\u28ff]*$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Terminal columns of text: a wide (CJK, emoji) character counts two, a combining mark or joiner none. */
export function textWidth(text: string): number {
  return NARROW.test(text) ? text.length : stringWidth(text);
}

/** The longest start of `text` within `n` columns, never splitting a grapheme, and its width (a wide character at the edge is left out). */
function head(text: string, n: number): [string, number] {
  if (n <= 0) return ['', 0];
  if (NARROW.test(text)) return [text.slice(0, n), Math.min(n, text.length)];
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = textWidth(segment);
    if (used + w > n) break;
    out += segment;
    used += w;
  }
  return [out, used];
}

/** Cuts a line to `width` columns, with an ellipsis when something was cut (the cut line is exactly `width` columns); strips control sequences first. */
export function fit(l: Line, width: number): Line {
  if (width <= 0) return [];
  // Every pane line passes here, so whatever a journal or a host sent cannot reach the terminal raw.
  l = clean(l);
  if (lineWidth(l) <= width) return l;
  const out: Line = [];
  let left = width - 1;
  for (const s of l) {
    const w = textWidth(s.text);
    if (w <= left) {
      out.push(s);
      left -= w;
      continue;
    }
    const [text, used] = head(s.text, left);
    if (text) out.push({ ...s, text });
    left -= used;
    break;
  }
  out.push({ text: '…', dim: true });
  // A wide character that would have straddled the edge leaves a column: a space keeps the line's width.
  if (left > 0) out.push({ text: ' '.repeat(left) });
  return out;
}

/** Text cut to at most `n` columns with an ellipsis when it is longer (one string, for a segment that keeps one style). */
export function ellipsize(text: string, n: number): string {
  if (textWidth(text) <= n) return text;
  if (n <= 0) return '';
  return pad(`${head(text, n - 1)[0]}…`, n);
}

function clean(l: Line): Line {
  let out: Line | undefined;
  for (let i = 0; i < l.length; i++) {
    const text = sanitizeLine(l[i].text);
    if (text === l[i].text) continue;
    out ??= [...l];
    out[i] = { ...l[i], text };
  }
  return out ?? l;
}

/** Plain text of a line (tests, non-TTY output). */
export function plain(l: Line): string {
  return l.map((s) => s.text).join('');
}

/** Pads or cuts text to exactly `n` columns (a wide character that would straddle the edge becomes a space). */
export function pad(text: string, n: number): string {
  const [cut, used] = head(text, n);
  return used < n ? cut + ' '.repeat(n - used) : cut;
}

/** A window of `height` lines around `cursor`, for lists longer than the pane (virtualized). */
export function windowAround(total: number, cursor: number, height: number): [number, number] {
  if (total <= height) return [0, total];
  const start = Math.min(Math.max(0, cursor - Math.floor(height / 2)), total - height);
  return [start, start + height];
}

/** Splits text into lines of at most `width` columns at spaces (a longer word is cut into pieces); blank lines part paragraphs. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  const w = Math.max(1, width);
  for (const para of text.split(/\n\s*\n/)) {
    let cur = '';
    let curW = 0;
    for (const word of para.split(/\s+/).filter(Boolean)) {
      for (const [piece, pieceW] of pieces(word, w)) {
        if (cur && curW + 1 + pieceW > w) {
          out.push(cur);
          cur = piece;
          curW = pieceW;
        } else {
          curW += (cur ? 1 : 0) + pieceW;
          cur = cur ? `${cur} ${piece}` : piece;
        }
      }
    }
    if (cur) out.push(cur);
  }
  return out;
}

/** A word cut into pieces of at most `w` columns, with their widths; a character wider than `w` becomes spaces. */
function pieces(word: string, w: number): [string, number][] {
  const out: [string, number][] = [];
  for (let rest = word; rest; ) {
    const [piece, used] = head(rest, w);
    if (piece) {
      out.push([piece, used]);
      rest = rest.slice(piece.length);
    } else {
      const [first] = graphemes.segment(rest);
      out.push([' '.repeat(w), w]);
      rest = rest.slice(first.segment.length);
    }
  }
  return out;
}
