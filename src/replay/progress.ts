/** The replay's progress line (pure): play state, speed, T+ position, a bar with the decisions marked, indexing. */
import { formatElapsed } from '../runbook/duration.js';
import { fit, type Line, type Segment } from '../ui/rows.js';
import type { Color } from '../ui/theme.js';

/** Everything the progress line shows. */
export interface ProgressView {
  playing: boolean;
  atEnd: boolean;
  speed: number;
  skipIdle: boolean;
  now: number;
  start: number;
  end: number;
  /** Time of the last indexed event; the bar shows what lies beyond it as not read yet. */
  indexedUntil: number;
  done: boolean;
  /** Share of the file's bytes indexed (0-1). */
  indexed: number;
  /** Decisions to mark: time and kind (1 gate, 2 trigger, 3 rollback). */
  decisions: { t: number; kind: number }[];
  position: number;
  count: number;
  /** The journal's integrity check (the warning line above tells why when it is not intact). */
  integrity: 'checking' | 'intact' | 'not intact' | 'unchecked';
  message?: string;
}

const MARK: Record<number, { text: string; color: Color }> = {
  1: { text: '◆', color: 'magenta' },
  2: { text: '▲', color: 'yellow' },
  3: { text: 'R', color: 'red' },
};

/** The line under the status bar, cut to `width`. */
export function progressLine(v: ProgressView, width: number, color: boolean): Line {
  const c = (k: Color): Color => (color ? k : undefined);
  const glyph = v.atEnd ? '■' : v.playing ? '▶' : '❚❚';
  const left: Line = [
    { text: ` ${glyph} `, bold: true, color: c('blue') },
    { text: `${v.speed}x${v.skipIdle ? ' skip-idle' : ''} `, bold: true },
    { text: `${formatElapsed(v.now - v.start)} / ${formatElapsed(v.end - v.start)} `, color: c('cyan') },
  ];
  const right: Line = [{ text: ` ${v.position.toLocaleString('en-US')}/${v.count.toLocaleString('en-US')} events`, dim: true }];
  if (!v.done) right.push({ text: `  indexing ${Math.floor(v.indexed * 100)}%`, color: c('yellow') });
  if (v.integrity === 'checking') right.push({ text: '  checking integrity…', dim: true });
  else if (v.integrity === 'intact') right.push({ text: '  ✓ intact', color: c('green') });
  else if (v.integrity === 'not intact') right.push({ text: '  ✗ NOT INTACT', bold: true, color: c('red') });
  if (v.message) right.push({ text: `  ${v.message}`, color: c('yellow') });
  const used = (l: Line) => l.reduce((n, s) => n + [...s.text].length, 0);
  let barWidth = width - used(left) - used(right);
  if (barWidth < 10) {
    right.length = 1;
    barWidth = Math.max(10, width - used(left) - used(right));
  }
  return fit([...left, ...bar(v, barWidth, c), ...right], width);
}

/** The bar: played, the cursor, not yet played, not yet indexed; decision marks on top. */
function bar(v: ProgressView, w: number, c: (k: Color) => Color): Segment[] {
  const span = Math.max(1, v.end - v.start);
  const cell = (t: number) => Math.min(w - 1, Math.max(0, Math.floor(((t - v.start) / span) * w)));
  const cursor = cell(v.now);
  const indexedTo = v.done ? w : cell(v.indexedUntil) + 1;
  const marks = new Array<number>(w).fill(0);
  for (const d of v.decisions) {
    const i = cell(d.t);
    marks[i] = Math.max(marks[i], d.kind);
  }
  const out: Segment[] = [];
  const push = (s: Segment) => {
    const last = out[out.length - 1];
    if (last && last.color === s.color && last.dim === s.dim && last.bold === s.bold) last.text += s.text;
    else out.push({ ...s });
  };
  for (let i = 0; i < w; i++) {
    if (i === cursor) push({ text: '●', bold: true, color: c('cyan') });
    else if (marks[i]) push({ text: MARK[marks[i]].text, bold: true, color: c(MARK[marks[i]].color) });
    else if (i < cursor) push({ text: '━', color: c('cyan') });
    else if (i < indexedTo) push({ text: '─' });
    else push({ text: '┄', dim: true });
  }
  return out;
}
