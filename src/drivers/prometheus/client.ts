/**
 * A client for the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`), and anything
 * that speaks it (Thanos, Mimir, VictoriaMetrics). Results come back as the event core's types:
 * NaN and ±Inf as the strings Prometheus uses, never as numbers JSON cannot hold.
 */
import { toSampleValue, sampleNumber, type SampleValue, type Series } from '../../core/events.js';
import { MetricError, badResponse, displayUrl, queryError, type RequestSite } from './errors.js';
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
  constructor(readonly target: HttpTarget, private readonly opts: HttpOptions = {}) {}

  /** Evaluates `query` at one instant (Prometheus's now unless `time` is given). */
  async query(query: string, o: QueryOptions = {}): Promise<InstantResult> {
    const params: [string, string][] = [['query', query]];
    if (o.time !== undefined) params.push(['time', seconds(o.time)]);
    const data = await this.call('/api/v1/query', params, query, o.signal);
    return parseInstant(data.data, data.warnings, this.site(query));
  }

  /** Evaluates `query` over [start, end] (ms) every `step` ms. */
  async queryRange(query: string, r: { start: number; end: number; step: number }, o: QueryOptions = {}): Promise<RangeResult> {
    const params: [string, string][] = [['query', query], ['start', seconds(r.start)], ['end', seconds(r.end)], ['step', seconds(r.step)]];
    const data = await this.call('/api/v1/query_range', params, query, o.signal);
    const site = this.site(query);
    const d = data.data as { resultType?: unknown; result?: unknown };
    if (d?.resultType !== 'matrix' || !Array.isArray(d.result)) throw badResponse(site, `query_range returned ${String(d?.resultType)}, not a matrix`);
    const series = d.result.map((s: { metric?: Record<string, string>; values?: [number, string][] }) => ({
      labels: s.metric ?? {},
      points: (s.values ?? []).map(([t, v]) => [Math.round(t * 1000), value(v)] as [number, SampleValue]),
    }));
    return { series, warnings: data.warnings };
  }

  /** Sends the request and unwraps Prometheus's `{status, data, error, warnings}` envelope. */
  private async call(path: string, params: [string, string][], query: string, signal?: AbortSignal) {
    // The server stops evaluating when we stop waiting, so a slow query does not keep loading it.
    const timeout: [string, string] = ['timeout', seconds(this.target.timeout ?? DEFAULT_TIMEOUT_MS)];
    const body = await getJson(this.target, 'Prometheus', path, [...params, timeout], { ...this.opts, query, ...(signal ? { signal } : {}) });
    const site = this.site(query);
    if (!body || typeof body !== 'object') throw badResponse(site, 'the JSON body is not an object');
    const b = body as { status?: unknown; data?: unknown; error?: unknown; warnings?: unknown };
    const warnings = Array.isArray(b.warnings) ? b.warnings.map(String) : [];
    if (b.status === 'error') throw queryError(site, typeof b.error === 'string' ? b.error : 'no error text');
    if (b.status !== 'success') throw badResponse(site, `status is ${JSON.stringify(b.status)}, not "success"`);
    return { data: b.data, warnings };
  }

  private site(query: string): RequestSite {
    return { service: 'Prometheus', url: displayUrl(this.target.url), query };
  }
}

/** Turns an instant query's `data` into series; a scalar is one series without labels. */
export function parseInstant(data: unknown, warnings: string[], site: RequestSite): InstantResult {
  const d = data as { resultType?: unknown; result?: unknown };
  switch (d?.resultType) {
    case 'scalar': {
      const [t, v] = d.result as [number, string];
      return { series: [{ labels: {}, value: value(v) }], at: Math.round(t * 1000), warnings };
    }
    case 'vector': {
      const list = (d.result ?? []) as { metric?: Record<string, string>; value?: [number, string] }[];
      const series: Series[] = [];
      let at: number | undefined;
      let skipped = 0;
      for (const s of list) {
        // Native histograms carry `histogram` instead of `value`; a panel shows numbers only.
        if (!s.value) { skipped++; continue; }
        at ??= Math.round(s.value[0] * 1000);
        series.push({ labels: s.metric ?? {}, value: value(s.value[1]) });
      }
      const w = skipped ? [...warnings, `${skipped} native histogram series skipped; wrap the query in histogram_quantile() or histogram_count()`] : warnings;
      return { series, ...(at !== undefined ? { at } : {}), warnings: w };
    }
    case 'matrix': {
      // A range selector (`x[5m]`) at an instant: show each series' latest point.
      const list = (d.result ?? []) as { metric?: Record<string, string>; values?: [number, string][] }[];
      const series: Series[] = [];
      let at: number | undefined;
      for (const s of list) {
        const last = s.values?.[s.values.length - 1];
        if (!last) continue;
        at = Math.max(at ?? 0, Math.round(last[0] * 1000));
        series.push({ labels: s.metric ?? {}, value: value(last[1]) });
      }
      return { series, ...(at !== undefined ? { at } : {}), warnings };
    }
    case 'string':
      throw new MetricError('query', `query '${site.query}' returns a string, not a number; a panel needs a numeric expression`);
    default:
      throw badResponse(site, `unknown resultType ${JSON.stringify(d?.resultType)}`);
  }
}

/** A value as Prometheus writes it ("0.5", "NaN", "+Inf") as a SampleValue; -0 becomes 0. */
function value(v: string): SampleValue {
  const n = sampleNumber(v);
  return n === 0 ? 0 : toSampleValue(n);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3).replace(/\.?0+$/, '');
}
