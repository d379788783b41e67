/**
 * The simulated endpoint's time series database: it scrapes every app's prom-client registry
 * once a second (as a Prometheus with a 1 s scrape interval would), adds the target labels
 * (instance, job, pool...) and a synthetic `up`, keeps 21 minutes, and marks a series stale the
 * moment it disappears from a scrape, so a removed gauge reads as "no data" at once.
 */
import type { SimApp } from './app.js';
import type { Point } from './promql/functions.js';
import type { Matcher } from './promql/parse.js';
import { labelKey, type Labels, type Sample, type SeriesSource } from './promql/eval.js';

/** The scrape interval of the simulated endpoint, like the real Prometheus config's. */
export const SCRAPE_MS = 1000;
/** Prometheus's default lookback for instant selectors. */
const LOOKBACK_MS = 5 * 60_000;
const RETENTION_MS = 21 * 60_000;

interface Series {
  labels: Labels;
  ts: number[];
  /** null is a staleness marker. */
  vs: (number | null)[];
}

/** Scraped samples of the fleet's apps, queryable by selector. */
export class SampleStore implements SeriesSource {
  private readonly byName = new Map<string, Series[]>();
  private readonly byKey = new Map<string, Series>();
  private readonly regexes = new Map<string, RegExp>();
  private timer: NodeJS.Timeout | undefined;
  private scrapes = 0;

  constructor(
    private readonly apps: () => SimApp[],
    private readonly now: () => number = Date.now,
  ) {}

  /** Scrapes now and then every second until stopped. */
  start(): void {
    void this.scrape();
    this.timer = setInterval(() => void this.scrape(), SCRAPE_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One scrape of every app at `t`. */
  async scrape(t = this.now()): Promise<void> {
    const seen = new Set<Series>();
    const add = (labels: Labels, value: number) => {
      const key = labelKey(labels);
      let s = this.byKey.get(key);
      if (!s) {
        s = { labels, ts: [], vs: [] };
        this.byKey.set(key, s);
        const list = this.byName.get(labels.__name__) ?? [];
        list.push(s);
        this.byName.set(labels.__name__, list);
      }
      s.ts.push(t);
      s.vs.push(value);
      seen.add(s);
    };
    for (const app of this.apps()) {
      add({ __name__: 'up', ...app.labels }, 1);
      for (const m of await app.registry.getMetricsAsJSON()) {
        for (const v of m.values) {
          const own = Object.fromEntries(Object.entries(v.labels).map(([k, x]) => [k, x === Infinity ? '+Inf' : String(x)]));
          add({ ...own, ...app.labels, __name__: (v as { metricName?: string }).metricName ?? m.name }, v.value);
        }
      }
    }
    for (const s of this.byKey.values()) {
      if (!seen.has(s) && s.vs.length && s.vs[s.vs.length - 1] !== null) {
        s.ts.push(t);
        s.vs.push(null);
      }
    }
    if (++this.scrapes % 60 === 0) this.trim(t - RETENTION_MS);
  }

  range(name: string | undefined, matchers: Matcher[], from: number, to: number): { labels: Labels; points: Point[] }[] {
    const out: { labels: Labels; points: Point[] }[] = [];
    for (const s of this.candidates(name, matchers)) {
      const points: Point[] = [];
      for (let i = firstAfter(s.ts, from); i < s.ts.length && s.ts[i] <= to; i++)
        if (s.vs[i] !== null) points.push({ t: s.ts[i], v: s.vs[i]! });
      if (points.length) out.push({ labels: s.labels, points });
    }
    return out;
  }

  instant(name: string | undefined, matchers: Matcher[], t: number): Sample[] {
    const out: Sample[] = [];
    for (const s of this.candidates(name, matchers)) {
      const i = firstAfter(s.ts, t) - 1;
      if (i >= 0 && s.ts[i] >= t - LOOKBACK_MS && s.vs[i] !== null) out.push({ labels: s.labels, value: s.vs[i]! });
    }
    return out;
  }

  /** Series whose labels satisfy every matcher (a missing label is ""). */
  private candidates(name: string | undefined, matchers: Matcher[]): Series[] {
    const all = name !== undefined ? (this.byName.get(name) ?? []) : [...this.byKey.values()];
    return all.filter((s) => matchers.every((m) => this.matches(m, s.labels[m.name] ?? '')));
  }

  private matches(m: Matcher, v: string): boolean {
    if (m.op === '=') return v === m.value;
    if (m.op === '!=') return v !== m.value;
    let re = this.regexes.get(m.value);
    if (!re) this.regexes.set(m.value, (re = new RegExp(`^(?:${m.value})$`)));
    return m.op === '=~' ? re.test(v) : !re.test(v);
  }

  private trim(before: number): void {
    for (const s of this.byKey.values()) {
      const n = firstAfter(s.ts, before);
      if (n > 0) {
        s.ts.splice(0, n);
        s.vs.splice(0, n);
      }
    }
  }
}

/** Index of the first timestamp greater than `t` (binary search; timestamps only grow). */
function firstAfter(ts: number[], t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
