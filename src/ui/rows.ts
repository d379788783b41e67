/** Presentation as data: a pane's content is lines of styled segments, computed by a pure function. */
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

/** The visible width of a line (code points; cutover's own text has no wide glyphs). */
export function lineWidth(l: Line): number {
  return l.reduce((n, s) => n + [...s.text].length, 0);
}

/** Cuts a line to `width` columns, with an ellipsis when something was cut; strips control sequences first. */
export function fit(l: Line, width: number): Line {
  if (width <= 0) return [];
  // Every pane line passes here, so whatever a journal or a host sent cannot reach the terminal raw.
  l = clean(l);
  if (lineWidth(l) <= width) return l;
  const out: Line = [];
  let left = width - 1;
  for (const s of l) {
    const chars = [...s.text];
    if (chars.length <= left) {
      out.push(s);
      left -= chars.length;
    } else {
      if (left > 0) out.push({ ...s, text: chars.slice(0, left).join('') });
      break;
    }
  }
  out.push({ text: '…', dim: true });
  return out;
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

/** Pads or cuts text to exactly `n` columns. */
export function pad(text: string, n: number): string {
  const chars = [...text];
  return chars.length >= n ? chars.slice(0, n).join('') : text + ' '.repeat(n - chars.length);
}

/** A window of `height` lines around `cursor`, for lists longer than the pane (virtualized). */
export function windowAround(total: number, cursor: number, height: number): [number, number] {
  if (total <= height) return [0, total];
  const start = Math.min(Math.max(0, cursor - Math.floor(height / 2)), total - height);
  return [start, start + height];
}

/** Splits text into lines of at most `width` characters at spaces (a longer word is cut into pieces); blank lines part paragraphs. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  const w = Math.max(1, width);
  for (const para of text.split(/\n\s*\n/)) {
    let cur = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      for (let rest = [...word]; rest.length > 0; rest = rest.slice(w)) {
        const piece = rest.slice(0, w).join('');
        if (cur && [...cur].length + 1 + [...piece].length > w) {
          out.push(cur);
          cur = piece;
        } else cur = cur ? `${cur} ${piece}` : piece;
      }
    }
    if (cur) out.push(cur);
  }
  return out;
}
