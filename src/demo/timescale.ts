/**
 * Time scaling for the demo: a runbook's real durations (a 10-minute soak, `for: 5m`) divided
 * by N so a deploy plays out in minutes, with floors where a shorter time would stop meaning
 * anything (a rate window needs several 1 s scrapes; a person needs a moment to read a
 * countdown). Query windows (`[5m]`, `offset 1h`) are scaled with the rest, outside strings.
 */

/** Floors, ms. */
export const FLOOR = {
  /** Range selectors: at least five scrapes at 1 s. */
  window: 5000,
  /** Poll intervals: the scrape interval. */
  interval: 1000,
  /** A wait, a `for`, a phase's plan. */
  wait: 1000,
  /** expect's `within`: two polls. */
  within: 2000,
  /** An auto-rollback countdown: long enough to read and cancel. */
  countdown: 5000,
  /** Sparkline windows. */
  range: 60_000,
} as const;

/** `ms / scale`, never below `floor` (nor above the original). */
export function scaleMs(ms: number, scale: number, floor = 0): number {
  if (scale <= 1) return ms;
  return Math.round(Math.min(ms, Math.max(floor, ms / scale)));
}

/** A duration in PromQL's notation (`30s`, `1500ms`, `2m`). */
export function promDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${Math.round(ms)}ms`;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
const DURATION = /(?:\d+(?:ms|s|m|h|d|w|y))+/y;

function durationAt(q: string, i: number): { ms: number; end: number } | undefined {
  DURATION.lastIndex = i;
  const m = DURATION.exec(q);
  if (!m) return undefined;
  let ms = 0;
  for (const p of m[0].matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) ms += Number(p[1]) * UNIT_MS[p[2]];
  return { ms, end: i + m[0].length };
}

/** Scales every range window, subquery step and offset of a PromQL query (strings untouched). */
export function scaleQuery(query: string, scale: number): string {
  if (scale <= 1) return query;
  let out = '';
  let i = 0;
  const scaled = (d: { ms: number }) => promDuration(scaleMs(d.ms, scale, FLOOR.window));
  while (i < query.length) {
    const c = query[i];
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < query.length && query[j] !== c) j += query[j] === '\\' && c !== '`' ? 2 : 1;
      out += query.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    // After '[' or ':' inside brackets, or after the keyword offset, a duration follows.
    const afterBracket = c === '[' || (c === ':' && /\[[^\]]*$/.test(out));
    const offset = /^offset\s+/i.exec(query.slice(i));
    if (afterBracket || (offset && /(^|[^\w:])$/.test(out))) {
      const lead = afterBracket ? c : offset![0];
      let j = i + lead.length;
      while (query[j] === ' ') j++;
      const d = durationAt(query, j);
      if (d) {
        out += query.slice(i, j) + scaled(d);
        i = d.end;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}
