// The simulated endpoint's PromQL subset, table-driven against a fixed set of series, and its
// HTTP API through cutover's own Prometheus client (answers, and a clear 422 for the rest).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, type Labels, type SeriesSource } from '../../src/demo/promql/eval.js';
import { bucketQuantile, extrapolatedRate, type Point } from '../../src/demo/promql/functions.js';
import { parsePromql, QueryError, type Matcher } from '../../src/demo/promql/parse.js';
import { startQueryServer, type QueryServer } from '../../src/demo/query-server.js';
import { PromClient } from '../../src/drivers/prometheus/client.js';
import { MetricError } from '../../src/drivers/prometheus/errors.js';

const T = 1_000_000_000;

/** Counters that grow linearly (per second) for 120 s before T, and one gauge. */
function fixture(): SeriesSource {
  const series: { labels: Labels; points: Point[] }[] = [];
  const counter = (labels: Labels, perSec: number) => {
    const points: Point[] = [];
    for (let s = 120; s >= 0; s--) points.push({ t: T - s * 1000, v: perSec * (120 - s) });
    series.push({ labels, points });
  };
  counter({ __name__: 'http_requests_total', pool: 'blue', code: '200' }, 90);
  counter({ __name__: 'http_requests_total', pool: 'blue', code: '500' }, 10);
  counter({ __name__: 'http_requests_total', pool: 'green', code: '200' }, 100);
  counter({ __name__: 'http_requests_total', pool: 'green', code: '500' }, 0);
  // A histogram: 100 obs/s, 50 under 0.1 s, 90 under 0.5 s, all under 1 s.
  for (const [le, n] of [
    ['0.1', 50],
    ['0.5', 90],
    ['1', 100],
    ['+Inf', 100],
  ] as const)
    counter({ __name__: 'lat_bucket', pool: 'blue', le }, n);
  series.push({ labels: { __name__: 'mem_used', pool: 'blue' }, points: [{ t: T, v: 90 }] });
  series.push({ labels: { __name__: 'mem_limit', pool: 'blue' }, points: [{ t: T, v: 100 }] });
  const match = (l: Labels, name: string | undefined, ms: Matcher[]) =>
    (name === undefined || l.__name__ === name) &&
    ms.every((m) => {
      const v = l[m.name] ?? '';
      const re = new RegExp(`^(?:${m.value})$`);
      return m.op === '=' ? v === m.value : m.op === '!=' ? v !== m.value : m.op === '=~' ? re.test(v) : !re.test(v);
    });
  return {
    range: (name, ms, from, to) =>
      series
        .filter((s) => match(s.labels, name, ms))
        .map((s) => ({ labels: s.labels, points: s.points.filter((p) => p.t > from && p.t <= to) })),
    instant: (name, ms, t) =>
      series
        .filter((s) => match(s.labels, name, ms))
        .flatMap((s) => {
          const p = s.points.filter((x) => x.t <= t).at(-1);
          return p ? [{ labels: s.labels, value: p.v }] : [];
        }),
  };
}

const src = fixture();
const value = (q: string) => {
  const v = evaluate(parsePromql(q), T, src);
  if (v.type === 'scalar') return v.value;
  if (v.type !== 'vector') throw new Error('matrix');
  return v.samples.length === 1 ? v.samples[0].value : v.samples.map((s) => [s.labels, s.value]);
};

describe('PromQL subset', () => {
  it.each([
    ['sum(rate(http_requests_total[1m]))', 200],
    ['sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))', 0.05],
    ['sum(rate(http_requests_total{pool="blue",code!~"5.."}[30s])) / sum(rate(http_requests_total{pool="blue"}[30s]))', 0.9],
    ['sum(increase(http_requests_total{pool="green"}[1m]))', 6000],
    ['histogram_quantile(0.5, sum by (le) (rate(lat_bucket[1m])))', 0.1],
    ['histogram_quantile(0.95, sum by (le) (rate(lat_bucket[1m])))', 0.75],
    ['max(mem_used / mem_limit)', 0.9],
    ['avg(rate(http_requests_total{code="200"}[1m]))', 95],
    ['count(http_requests_total)', 4],
    ['2 * 3 + 1', 7],
    ['-(1 - 3)', 2],
    ['2 ^ 3 ^ 2', 512],
    ['scalar(sum(mem_used)) / 10', 9],
  ])('%s = %s', (q, want) => {
    expect(value(q)).toBeCloseTo(want as number, 6);
  });

  it('groups by labels, filters with comparisons, and unions with or', () => {
    expect(value('sum by (pool) (rate(http_requests_total[1m]))')).toEqual([
      [{ pool: 'blue' }, expect.closeTo(100, 6)],
      [{ pool: 'green' }, expect.closeTo(100, 6)],
    ]);
    const filtered = evaluate(parsePromql('rate(http_requests_total{code="500"}[1m]) > 1'), T, src);
    expect(filtered).toEqual({ type: 'vector', samples: [{ labels: { pool: 'blue', code: '500' }, value: expect.closeTo(10, 6) }] });
    expect(value('rate(http_requests_total{code="500"}[1m]) > bool 1')).toEqual([
      [{ pool: 'blue', code: '500' }, 1],
      [{ pool: 'green', code: '500' }, 0],
    ]);
    expect(value('sum(rate(http_requests_total{pool="red"}[1m])) or vector(0)')).toBe(0);
    expect(value('sum(rate(nothing_total[1m]))')).toEqual([]);
  });

  it('extrapolates rate to the window like Prometheus and corrects counter resets', () => {
    const pts = [
      { t: 1000, v: 10 },
      { t: 2000, v: 20 },
      { t: 3000, v: 5 },
      { t: 4000, v: 15 },
    ];
    // 10, then 5 after the reset (counted from 0), then 10: 25 over 3 s of samples, extrapolated
    // to the window's start (1 s away, under 1.1 average gaps) and its end (on the last sample).
    expect(extrapolatedRate(pts, 0, 4000, false)).toBeCloseTo((25 * 4) / 3, 6);
    expect(extrapolatedRate(pts.slice(0, 1), 0, 4000, true)).toBeUndefined();
    expect(
      bucketQuantile(0.5, [
        { le: 1, count: 0 },
        { le: Infinity, count: 0 },
      ]),
    ).toBeNaN();
    expect(
      bucketQuantile(0.99, [
        { le: 1, count: 5 },
        { le: Infinity, count: 10 },
      ]),
    ).toBe(1);
  });

  it.each([
    ['topk(3, http_requests_total)', /topk\(\) is not supported/],
    ['label_replace(up, "a", "b", "c", "d")', /label_replace\(\) is not supported/],
    ['rate(http_requests_total[5m:1m])', /subqueries are not supported/],
    ['up @ 1000', /@ modifier is not supported/],
    ['a / on(x) group_left b', /group_left .* not supported/],
  ])('answers %s with a clear unsupported error', (q, msg) => {
    const run = () => evaluate(parsePromql(q), T, src);
    expect(run).toThrow(QueryError);
    expect(run).toThrow(msg);
    try {
      run();
    } catch (e) {
      expect((e as QueryError).unsupported).toBe(true);
    }
  });

  it('refuses instead of answering wrong: many-to-one matches, missing arguments, stray parameters', () => {
    // Two left-hand series (code 200 and 500) match the one right-hand series of their pool.
    const many = () => evaluate(parsePromql('http_requests_total / ignoring(code) sum by (pool) (http_requests_total)'), T, src);
    expect(many).toThrow(/multiple matches for labels/);
    expect(() => evaluate(parsePromql('clamp_min(mem_used)'), T, src)).toThrow(/clamp_min\(\) takes 2 arguments/);
    expect(() => evaluate(parsePromql('clamp(mem_used, 1)'), T, src)).toThrow(QueryError);
    expect(() => evaluate(parsePromql('histogram_quantile(0.5)'), T, src)).toThrow(QueryError);
    expect(() => evaluate(parsePromql('sum(0.5, mem_used)'), T, src)).toThrow(QueryError);
    expect(value('clamp_max(mem_used, 50)')).toBe(50);
    expect(value('round(mem_used / 7, 0.5)')).toBeCloseTo(13, 6);
  });

  it('gives a one-to-one result the on() labels only, and drops the ignoring() ones', () => {
    expect(
      value(
        'sum by (pool, code) (rate(http_requests_total{code="500"}[1m])) / ignoring(code) sum by (pool) (rate(http_requests_total[1m]))',
      ),
    ).toEqual([
      [{ pool: 'blue' }, expect.closeTo(0.1, 6)],
      [{ pool: 'green' }, 0],
    ]);
    expect(evaluate(parsePromql('mem_used / on(pool) mem_limit'), T, src)).toEqual({
      type: 'vector',
      samples: [{ labels: { pool: 'blue' }, value: 0.9 }],
    });
  });

  it('histogram_quantile(0) of an empty first bucket is NaN, as in Prometheus', () => {
    expect(
      bucketQuantile(0, [
        { le: 1, count: 0 },
        { le: 2, count: 4 },
        { le: Infinity, count: 4 },
      ]),
    ).toBeNaN();
    expect(
      bucketQuantile(0, [
        { le: 1, count: 2 },
        { le: Infinity, count: 4 },
      ]),
    ).toBe(0);
  });

  it.each([['sum(rate(x[5m])'], ['x{a="b"'], ['rate(x)'], ['1 +']])('rejects the syntax error in %s', (q) => {
    expect(() => evaluate(parsePromql(q), T, src)).toThrow(QueryError);
  });
});

describe('simulated query endpoint', () => {
  let server: QueryServer;
  let client: PromClient;
  beforeAll(async () => {
    server = await startQueryServer(src, () => T);
    client = new PromClient({ url: server.url, timeout: 2000 });
  });
  afterAll(() => server.stop());

  it('answers instant and range queries in the Prometheus API format', async () => {
    const r = await client.query('sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))');
    expect(r.series).toEqual([{ labels: {}, value: expect.closeTo(0.05, 6) }]);
    expect(r.at).toBe(T);
    const range = await client.queryRange('sum by (pool) (rate(http_requests_total[30s]))', { start: T - 20_000, end: T, step: 10_000 });
    expect(range.series.map((s) => s.labels.pool).sort()).toEqual(['blue', 'green']);
    expect(range.series[0].points).toHaveLength(3);
  });

  it('answers a query beyond the subset with HTTP 422 and says why, and bad syntax with 400', async () => {
    const res = await fetch(`${server.url}/api/v1/query?query=${encodeURIComponent('topk(1, up)')}`);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      status: 'error',
      errorType: 'execution',
      error: expect.stringMatching(/topk\(\) is not supported by the demo's simulated query endpoint/),
    });
    const err = await client.query('predict_linear(x[5m], 60)').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetricError);
    expect(err).toMatchObject({
      kind: 'query',
      message: expect.stringMatching(/rejected query 'predict_linear\(x\[5m\], 60\)': the function predict_linear\(\) is not supported/),
    });
    expect((await fetch(`${server.url}/api/v1/query?query=sum(`)).status).toBe(400);
    expect((await fetch(`${server.url}/api/v1/labels`)).status).toBe(404);
  });
});
