/**
 * A client for the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`), and anything
 * that speaks it (Thanos, Mimir, VictoriaMetrics). Results come back as the event core's types:
 * NaN and ±Inf as the strings Prometheus uses, never as numbers JSON cannot hold.
 */
import { toSampleValue, sampleNumber, type SampleValue, type Series } from '../../core/events.js';
import { MetricError, badResponse, displayUrl, oneLine, queryError, type RequestSite } from './errors.js';
import { DEFAULT_TIMEOUT_MS, getJson, type HttpOptions, type HttpTarget } from './http.js';

/** An instant query's answer: every series, the evaluation time, and Prometheus's warnings. */
export interface InstantResult {
  series: Series[];
  /** Evaluation time in ms (Prometheus's own clock); undefined when the result was empty. */
  at?: number;
  warnings: string[];
}

/** One series of a range query: its labels and points `[ms, value]`, oldest first. */
export interface RangeSeries {
  labels: Record<string, string>;
  points: [number, SampleValue][];
}

/** A range query's answer. */
export interface RangeResult {
  series: RangeSeries[];
  warnings: string[];
}

/** Per-call options: an evaluation time (ms) and a signal that stops the request. */
export interface QueryOptions {
  time?: number;
  signal?: AbortSignal;
}

/** The Prometheus HTTP API client. Stateless apart from its configuration; safe to share. */
export class PromClient {
  constructor(
    readonly target: HttpTarget,
    private readonly opts: HttpOptions = {},
  ) {}

  /** Evaluates `query` at one instant (Prometheus's now unless `time` is given). */
  async query(query: string, o: QueryOptions = {}): Promise<InstantResult> {
    const params: [string, string][] = [['query', query]];
    if (o.time !== undefined) params.push(['time', seconds(o.time)]);
    const data = await this.call('/api/v1/query', params, query, o.signal);
    return parseInstant(data.data, data.warnings, this.site(query));
  }

  /** Evaluates `query` over [start, end] (ms) every `step` ms. */
  async queryRange(query: string, r: { start: number; end: number; step: number }, o: QueryOptions = {}): Promise<RangeResult> {
    const params: [string, string][] = [
      ['query', query],
      ['start', seconds(r.start)],
      ['end', seconds(r.end)],
      ['step', seconds(r.step)],
    ];
    const data = await this.call('/api/v1/query_range', params, query, o.signal);
    const site = this.site(query);
    const d = data.data as { resultType?: unknown; result?: unknown };
    if (d?.resultType !== 'matrix' || !Array.isArray(d.result))
      throw badResponse(site, `query_range returned ${String(d?.resultType)}, not a matrix`);
    const list = d.result as { metric?: unknown; values?: unknown }[];
    const series = strictly(site, 'matrix', () =>
      byLabels(
        list.map((s) => ({
          labels: labelsOf(s.metric),
          points: pairs(s.values).map(([t, v]) => [millis(t), value(v)] as [number, SampleValue]),
        })),
      ),
    );
    return { series, warnings: data.warnings };
  }

  /** Sends the request and unwraps Prometheus's `{status, data, error, warnings}` envelope. */
  private async call(path: string, params: [string, string][], query: string, signal?: AbortSignal) {
    // The server stops evaluating when we stop waiting, so a slow query does not keep loading it.
    const timeout: [string, string] = ['timeout', seconds(this.target.timeout ?? DEFAULT_TIMEOUT_MS)];
    const body = await getJson(this.target, 'Prometheus', path, [...params, timeout], {
      ...this.opts,
      query,
      ...(signal ? { signal } : {}),
    });
    const site = this.site(query);
    if (!body || typeof body !== 'object') throw badResponse(site, 'the JSON body is not an object');
    const b = body as { status?: unknown; data?: unknown; error?: unknown; warnings?: unknown };
    // Warnings are the server's text, shown and journaled: one line each, no control sequences.
    const warnings = Array.isArray(b.warnings) ? b.warnings.slice(0, 10).map((w) => oneLine(String(w), 300)) : [];
    if (b.status === 'error') throw queryError(site, typeof b.error === 'string' ? b.error : 'no error text');
    if (b.status !== 'success') throw badResponse(site, `status is ${JSON.stringify(b.status)}, not "success"`);
    return { data: b.data, warnings };
  }

  private site(query: string): RequestSite {
    return { service: 'Prometheus', url: displayUrl(this.target.url), query };
  }
}

/**
 * Turns an instant query's `data` into series; a scalar is one series without labels. Series come
 * in one canonical order (by labels), so that equal values rank the same way on every poll.
 */
export function parseInstant(data: unknown, warnings: string[], site: RequestSite): InstantResult {
  const d = data as { resultType?: unknown; result?: unknown };
  switch (d?.resultType) {
    case 'scalar':
      return strictly(site, 'scalar', () => {
        const [t, v] = pair(d.result);
        return { series: [{ labels: {}, value: value(v) }], at: millis(t), warnings };
      });
    case 'vector':
      return strictly(site, 'vector', () => {
        const series: Series[] = [];
        let at: number | undefined;
        let skipped = 0;
        for (const s of list(d.result) as { metric?: unknown; value?: unknown }[]) {
          // Native histograms carry `histogram` instead of `value`; a panel shows numbers only.
          if (!s || typeof s !== 'object') throw new Malformed('a series is not an object');
          if (s.value === undefined) {
            skipped++;
            continue;
          }
          const [t, v] = pair(s.value);
          at ??= millis(t);
          series.push({ labels: labelsOf(s.metric), value: value(v) });
        }
        const w = skipped
          ? [...warnings, `${skipped} native histogram series skipped; wrap the query in histogram_quantile() or histogram_count()`]
          : warnings;
        return { series: byLabels(series), ...(at !== undefined ? { at } : {}), warnings: w };
      });
    case 'matrix':
      return strictly(site, 'matrix', () => {
        // A range selector (`x[5m]`) at an instant: show each series' latest point.
        const series: Series[] = [];
        let at: number | undefined;
        for (const s of list(d.result) as { metric?: unknown; values?: unknown }[]) {
          const values = pairs(s?.values);
          const last = values[values.length - 1];
          if (!last) continue;
          at = Math.max(at ?? 0, millis(last[0]));
          series.push({ labels: labelsOf(s.metric), value: value(last[1]) });
        }
        return { series: byLabels(series), ...(at !== undefined ? { at } : {}), warnings };
      });
    case 'string':
      throw new MetricError(
        'query',
        `query '${oneLine(site.query ?? '')}' returns a string, not a number; a panel needs a numeric expression`,
      );
    default:
      throw badResponse(site, `unknown resultType ${JSON.stringify(d?.resultType)}`);
  }
}

/** A result that is not shaped as the API promises is a bad response, never a value. */
class Malformed extends Error {}

function strictly<T>(site: RequestSite, type: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Malformed) throw badResponse(site, `malformed ${type} result: ${e.message}`);
    throw e;
  }
}

function list(x: unknown): unknown[] {
  if (!Array.isArray(x)) throw new Malformed(`expected a list, got ${typeof x}`);
  return x;
}

function pair(x: unknown): [unknown, unknown] {
  if (!Array.isArray(x) || x.length !== 2) throw new Malformed(`expected [time, value], got ${JSON.stringify(x)?.slice(0, 40)}`);
  return x as [unknown, unknown];
}

function pairs(x: unknown): [unknown, unknown][] {
  return x === undefined ? [] : list(x).map(pair);
}

function labelsOf(x: unknown): Record<string, string> {
  if (x === undefined || x === null) return {};
  if (typeof x !== 'object' || Array.isArray(x) || Object.values(x).some((v) => typeof v !== 'string'))
    throw new Malformed('labels are not a map of strings');
  return x as Record<string, string>;
}

/** Prometheus's timestamps are seconds (a float); events hold ms. */
function millis(t: unknown): number {
  const n = typeof t === 'number' ? t : typeof t === 'string' && t.trim() !== '' ? Number(t) : NaN;
  if (!Number.isFinite(n)) throw new Malformed(`a timestamp is ${JSON.stringify(t)?.slice(0, 40)}`);
  return Math.round(n * 1000);
}

/**
 * A value as Prometheus writes it ("0.5", "NaN", "+Inf") as a SampleValue; -0 becomes 0. Anything
 * else (null, "", a word) is malformed: Number() would quietly turn "" and null into 0.
 */
function value(v: unknown): SampleValue {
  let n: number;
  if (typeof v === 'number' && Number.isFinite(v)) n = v;
  else if (typeof v === 'string' && v.trim() !== '' && (v === 'NaN' || !Number.isNaN(sampleNumber(v)))) n = sampleNumber(v);
  else throw new Malformed(`a sample value is ${JSON.stringify(v)?.slice(0, 40)}, not a number`);
  return n === 0 ? 0 : toSampleValue(n);
}

/** Series sorted by their labels (Prometheus does not promise an order). */
function byLabels<T extends { labels: Record<string, string> }>(series: T[]): T[] {
  const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return series
    .map((s) => ({ s, k: key(s.labels) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.s);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3).replace(/\.?0+$/, '');
}
