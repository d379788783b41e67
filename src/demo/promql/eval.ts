/**
 * Evaluates a parsed query at one instant against a source of series, with Prometheus's
 * semantics for the supported subset: results drop the metric name once a function or operator
 * has touched them (operators are in binary.ts).
 */
import { bucketQuantile, RANGE_FUNCTIONS, SAMPLE_FUNCTIONS, type Point } from './functions.js';
import { binaryOp } from './binary.js';
import { QueryError, type Expr, type Matcher } from './parse.js';

/** Labels of a series, `__name__` included while it has one. */
export type Labels = Record<string, string>;

/** One sample of an instant vector. */
export interface Sample {
  labels: Labels;
  value: number;
}

/** What an expression evaluates to. */
export type Value =
  | { type: 'scalar'; value: number }
  | { type: 'vector'; samples: Sample[] }
  | { type: 'matrix'; series: { labels: Labels; points: Point[] }[] };

/** Where series come from (the demo's sample store). */
export interface SeriesSource {
  /** Series matching the selector with their points in (from, to]. */
  range(name: string | undefined, matchers: Matcher[], from: number, to: number): { labels: Labels; points: Point[] }[];
  /** The latest non-stale sample of each matching series at `t` (5 min lookback). */
  instant(name: string | undefined, matchers: Matcher[], t: number): Sample[];
}

/** Arguments of the per-sample functions that take more than one, as [fewest, most]. */
const SAMPLE_ARITY: Record<string, [number, number]> = { round: [1, 2], clamp_min: [2, 2], clamp_max: [2, 2], clamp: [3, 3] };

const AGGS: Record<string, (vs: number[]) => number> = {
  sum: (vs) => vs.reduce((a, b) => a + b, 0),
  avg: (vs) => vs.reduce((a, b) => a + b, 0) / vs.length,
  min: (vs) => vs.reduce((a, b) => (Number.isNaN(a) || b < a ? b : a)),
  max: (vs) => vs.reduce((a, b) => (Number.isNaN(a) || b > a ? b : a)),
  count: (vs) => vs.length,
  group: () => 1,
};

/** The error for PromQL beyond the subset (answered with HTTP 422). */
export const unsupported = (what: string) =>
  new QueryError(
    `${what} is not supported by the demo's simulated query endpoint (it answers the demo runbooks' queries; with prometheus on PATH the demo uses a real one)`,
    true,
  );

/** A stable key for a label set. */
export function labelKey(l: Labels): string {
  return Object.keys(l)
    .sort()
    .map((k) => `${k}\u0001${l[k]}`)
    .join('\u0002');
}

/** The labels without the metric name. */
export function dropName(l: Labels): Labels {
  const { __name__: _n, ...rest } = l;
  return rest;
}

/** Evaluates `e` at `t` (ms). */
export function evaluate(e: Expr, t: number, src: SeriesSource): Value {
  switch (e.kind) {
    case 'number':
      return { type: 'scalar', value: e.value };
    case 'string':
      throw unsupported('a string expression');
    case 'neg': {
      const v = evaluate(e.expr, t, src);
      if (v.type === 'scalar') return { type: 'scalar', value: -v.value };
      return { type: 'vector', samples: vector(v, 'unary minus').map((s) => ({ labels: dropName(s.labels), value: -s.value })) };
    }
    case 'selector': {
      const at = t - (e.offset ?? 0);
      if (e.range === undefined) return { type: 'vector', samples: src.instant(e.name, e.matchers, at) };
      return { type: 'matrix', series: src.range(e.name, e.matchers, at - e.range, at) };
    }
    case 'call':
      return call(e, t, src);
    case 'agg':
      return aggregate(e, t, src);
    case 'binary':
      return binaryOp(e, evaluate(e.lhs, t, src), evaluate(e.rhs, t, src));
  }
}

/** The samples of an instant vector; anything else is an error naming `where`. */
export function vector(v: Value, where: string): Sample[] {
  if (v.type === 'vector') return v.samples;
  throw new QueryError(`${where} needs an instant vector, not a ${v.type === 'matrix' ? 'range vector' : v.type}`);
}

function scalarArg(e: Expr | undefined, t: number, src: SeriesSource, fn: string): number {
  const v = e && evaluate(e, t, src);
  if (v?.type !== 'scalar') throw new QueryError(`${fn}() needs a number here`);
  return v.value;
}

function call(e: Extract<Expr, { kind: 'call' }>, t: number, src: SeriesSource): Value {
  const fn = e.fn;
  const range = RANGE_FUNCTIONS[fn];
  if (range) {
    const arg = e.args[0];
    if (e.args.length !== 1 || arg.kind !== 'selector' || arg.range === undefined)
      throw new QueryError(`${fn}() takes one range vector, like ${fn}(http_requests_total[5m])`);
    const m = evaluate(arg, t, src) as Extract<Value, { type: 'matrix' }>;
    const end = t - (arg.offset ?? 0);
    const samples: Sample[] = [];
    for (const s of m.series) {
      const v = range(s.points, end - arg.range, end);
      if (v !== undefined) samples.push({ labels: dropName(s.labels), value: v });
    }
    return { type: 'vector', samples };
  }
  const each = SAMPLE_FUNCTIONS[fn];
  if (each) {
    // Prometheus refuses a wrong number of arguments; a missing bound must not turn into NaN values.
    const [least, most] = SAMPLE_ARITY[fn] ?? [1, 1];
    if (e.args.length < least || e.args.length > most)
      throw new QueryError(
        `${fn}() takes ${least === most ? least : `${least} or ${most}`} argument${most === 1 ? '' : 's'}, not ${e.args.length}`,
      );
    const extra = e.args.slice(1).map((a) => scalarArg(a, t, src, fn));
    return {
      type: 'vector',
      samples: vector(evaluate(e.args[0], t, src), `${fn}()`).map((s) => ({ labels: dropName(s.labels), value: each(s.value, ...extra) })),
    };
  }
  switch (fn) {
    case 'histogram_quantile': {
      if (e.args.length !== 2) throw new QueryError(`histogram_quantile() takes 2 arguments, not ${e.args.length}`);
      const q = scalarArg(e.args[0], t, src, fn);
      const groups = new Map<string, { labels: Labels; buckets: { le: number; count: number }[] }>();
      for (const s of vector(evaluate(e.args[1], t, src), fn)) {
        if (s.labels.le === undefined) continue;
        const { le, ...rest } = dropName(s.labels);
        const k = labelKey(rest);
        if (!groups.has(k)) groups.set(k, { labels: rest, buckets: [] });
        groups.get(k)!.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: s.value });
      }
      return { type: 'vector', samples: [...groups.values()].map((g) => ({ labels: g.labels, value: bucketQuantile(q, g.buckets) })) };
    }
    case 'vector':
      return { type: 'vector', samples: [{ labels: {}, value: scalarArg(e.args[0], t, src, fn) }] };
    case 'scalar': {
      const s = vector(evaluate(e.args[0], t, src), fn);
      return { type: 'scalar', value: s.length === 1 ? s[0].value : NaN };
    }
    case 'time':
      return { type: 'scalar', value: t / 1000 };
    default:
      throw unsupported(`the function ${fn}()`);
  }
}

function aggregate(e: Extract<Expr, { kind: 'agg' }>, t: number, src: SeriesSource): Value {
  const f = AGGS[e.op];
  if (!f) throw unsupported(`the aggregation ${e.op}()`);
  // sum(0.5, x) is not PromQL: only topk, quantile and the like take a parameter.
  if (e.param) throw new QueryError(`${e.op}() takes one expression, not a parameter and an expression`);
  const groups = new Map<string, { labels: Labels; values: number[] }>();
  for (const s of vector(evaluate(e.expr, t, src), `${e.op}()`)) {
    const base = dropName(s.labels);
    const g = e.grouping;
    const labels = !g
      ? {}
      : g.without
        ? Object.fromEntries(Object.entries(base).filter(([k]) => !g.labels.includes(k)))
        : Object.fromEntries(g.labels.filter((k) => base[k] !== undefined).map((k) => [k, base[k]]));
    const k = labelKey(labels);
    if (!groups.has(k)) groups.set(k, { labels, values: [] });
    groups.get(k)!.values.push(s.value);
  }
  return { type: 'vector', samples: [...groups.values()].map((g) => ({ labels: g.labels, value: f(g.values) })) };
}
