/** The timeline pane as lines: every event one line, follow mode, scroll, filter; only the visible window is built. */
import type { SessionEvent } from '../../../core/events.js';
import { timelineLine, type TimelineLine } from '../../../core/select-timeline.js';
import { sanitizeForDisplay } from '../../sanitize.js';
import { fit, type Line } from '../../rows.js';
import { KIND_COLOR, type Color } from '../../theme.js';

/** Formats each event once; the pane asks only for the lines it shows. */
export class TimelineCache {
  private lines: TimelineLine[] = [];
  private start = 0;

  /** The formatted line of event `i` (events are append-only, so the cache never goes stale). */
  get(events: readonly SessionEvent[], i: number): TimelineLine {
    const first = events[0];
    const start = first?.type === 'session/started' ? first.t : first?.t ?? 0;
    if (start !== this.start) {
      this.lines = [];
      this.start = start;
    }
    return (this.lines[i] ??= timelineLine(events[i], start));
  }
}

export interface TimelineInput {
  events: readonly SessionEvent[];
  cache: TimelineCache;
  /** Lines scrolled up from the newest (0 = following the tail). */
  offset: number;
  filter: string;
  width: number;
  height: number;
  color: boolean;
}

/** Lines for the timeline pane, plus the number of matching lines (for the scroll bound). */
export function timelineLines(inp: TimelineInput): { lines: Line[]; total: number } {
  const c = (k: Color): Color => (inp.color ? k : undefined);
  const n = inp.events.length;
  const f = inp.filter.toLowerCase();
  let picked: number[];
  let total: number;
  if (!f) {
    total = n;
    const end = Math.max(0, n - inp.offset);
    picked = range(Math.max(0, end - inp.height), end);
  } else {
    // A filter has to look at every line; still, each is formatted once thanks to the cache.
    const all: number[] = [];
    for (let i = 0; i < n; i++) {
      const l = inp.cache.get(inp.events, i);
      if (l.text.toLowerCase().includes(f) || l.kind.includes(f)) all.push(i);
    }
    total = all.length;
    const end = Math.max(0, all.length - inp.offset);
    picked = all.slice(Math.max(0, end - inp.height), end);
  }
  const lines = picked.map((i) => {
    const l = inp.cache.get(inp.events, i);
    return fit([
      { text: `${l.clock} `, dim: true },
      { text: `${l.elapsed} `, dim: true },
      { text: sanitizeForDisplay(l.text), color: c(KIND_COLOR[l.kind]), bold: l.kind === 'gate' || l.kind === 'rollback' || l.kind === 'note' },
    ], inp.width);
  });
  return { lines, total };
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}
