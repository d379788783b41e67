/**
 * The timeline pane as lines: the story (core/story.ts) by default, or every event (raw); follow
 * mode, scroll, filter; only the visible window is built.
 */
import { SEVERITY_MARK, timelineLine, type LineSeverity, type TimelineLine } from '../../../core/select-timeline.js';
import type { EventList } from '../../model.js';
import { fit, type Line } from '../../rows.js';
import { KIND_COLOR, type Color } from '../../theme.js';

/** Lines kept formatted; a replay of a million events must not keep a million of them. */
const CACHE_LIMIT = 20_000;

/** Narrower panes leave the wall clock out (a 2x2 layout at 160 columns gives the timeline 78). */
const WALL_CLOCK_WIDTH = 100;

/** The mark's colour: the same meaning as its characters. */
const SEVERITY_COLOR: Record<LineSeverity, Color> = { crit: 'red', warn: 'yellow', ok: 'green', info: undefined };

/** Formats each event once (within a bounded cache); the raw view asks only for the lines it shows. */
export class TimelineCache {
  private lines = new Map<number, TimelineLine>();
  private start = 0;

  /** The formatted line of event `i` (event `i` never changes, so the cache never goes stale). */
  get(events: EventList, i: number): TimelineLine {
    const first = events.length ? events.get(0) : undefined;
    const start = first?.t ?? 0;
    if (start !== this.start) {
      this.lines.clear();
      this.start = start;
    }
    let l = this.lines.get(i);
    if (!l) {
      if (this.lines.size >= CACHE_LIMIT) this.lines.clear();
      l = timelineLine(events.get(i), start);
      this.lines.set(i, l);
    }
    return l;
  }
}

export interface TimelineInput {
  events: EventList;
  cache: TimelineCache;
  /** Every event rather than the story. */
  raw: boolean;
  /** Lines scrolled up from the newest (0 = following the tail). */
  offset: number;
  filter: string;
  width: number;
  height: number;
  color: boolean;
}

/** How many lines the view has (scrolling stops at the oldest). */
export function timelineLength(events: EventList, raw: boolean): number {
  return raw ? events.length : events.story.length;
}

/**
 * The offset that keeps the same moment at the bottom of the pane in the other view: the event of
 * the story's bottom line, or the story line of the raw view's bottom event (the last one told
 * before it). Following stays following; with a filter, whose lines differ, the other view follows.
 */
export function switchedOffset(events: EventList, raw: boolean, offset: number, filter: string): number {
  if (offset === 0 || filter) return 0;
  const story = events.story;
  if (!raw) {
    if (!story.length) return 0;
    const bottom = story.get(Math.max(0, story.length - 1 - offset));
    return events.length - 1 - bottom.index;
  }
  const bottom = Math.max(0, events.length - 1 - offset);
  return story.length - Math.max(1, story.before(bottom + 1));
}

/** Lines for the timeline pane, plus the matching lines counted (with a filter: at least offset + height, the scan stops there). */
export function timelineLines(inp: TimelineInput): { lines: Line[]; total: number } {
  const c = (k: Color): Color => (inp.color ? k : undefined);
  const n = timelineLength(inp.events, inp.raw);
  const at = (i: number): TimelineLine => (inp.raw ? inp.cache.get(inp.events, i) : inp.events.story.get(i));
  const f = inp.filter.toLowerCase();
  const re = new RegExp(inp.filter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  // The story's text and kind are read without stamping the line: a filter may scan tens of thousands.
  const matches = inp.raw
    ? (i: number) => {
        const l = inp.cache.get(inp.events, i);
        return re.test(l.text) || l.kind.includes(f);
      }
    : (i: number) => re.test(inp.events.story.text(i)) || inp.events.story.kind(i).includes(f);
  let picked: number[];
  let total: number;
  if (!f) {
    total = n;
    const end = Math.max(0, n - inp.offset);
    picked = range(Math.max(0, end - inp.height), end);
  } else {
    // Newest first, and only as far back as the window needs: a replay may hold a million events.
    const want = inp.offset + inp.height;
    const found: number[] = [];
    for (let i = n - 1; i >= 0 && found.length < want; i--) if (matches(i)) found.push(i);
    total = found.length;
    picked = found.slice(Math.min(inp.offset, found.length)).reverse();
  }
  const lines = picked.map((i) => {
    const l = at(i);
    const loud = l.severity === 'crit' || l.severity === 'warn';
    return fit(
      [
        // The wall clock only where there is room: T+ tells the story, and the text needs the columns.
        ...(inp.width >= WALL_CLOCK_WIDTH ? [{ text: `${l.clock} `, dim: true }] : []),
        { text: `${l.elapsed} `, dim: true },
        { text: SEVERITY_MARK[l.severity], color: c(SEVERITY_COLOR[l.severity]), bold: loud, dim: l.severity === 'info' },
        { text: ' ' },
        {
          text: l.text,
          color: c(loud ? SEVERITY_COLOR[l.severity] : KIND_COLOR[l.kind]),
          bold: l.severity === 'crit' || l.kind === 'gate' || l.kind === 'rollback' || l.kind === 'note',
        },
      ],
      inp.width,
    );
  });
  return { lines, total };
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}
