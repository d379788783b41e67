/**
 * The simulated query endpoint: the Prometheus HTTP API's /api/v1/query and /api/v1/query_range
 * on 127.0.0.1, answered from the sample store with the PromQL subset in promql/. A syntax error
 * answers 400 and a query beyond the subset 422, both in Prometheus's error format, so cutover
 * shows the panel's error with the server's text.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { evaluate, type SeriesSource, type Value } from './promql/eval.js';
import { parsePromql, QueryError } from './promql/parse.js';

/** Prometheus's own limit on points per series in one range query. */
const MAX_POINTS = 11_000;

/** A running endpoint. */
export interface QueryServer {
  url: string;
  port: number;
  /** Requests answered (for tests). */
  requests(): number;
  stop(): Promise<void>;
}

/** A Prometheus sample value as the API writes it. */
export function formatSample(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** The `data` of an instant query's answer. */
export function instantData(v: Value, t: number): { resultType: string; result: unknown } {
  const ts = t / 1000;
  switch (v.type) {
    case 'scalar':
      return { resultType: 'scalar', result: [ts, formatSample(v.value)] };
    case 'vector':
      return { resultType: 'vector', result: v.samples.map((s) => ({ metric: s.labels, value: [ts, formatSample(s.value)] })) };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: v.series.map((s) => ({ metric: s.labels, values: s.points.map((p) => [p.t / 1000, formatSample(p.v)]) })),
      };
  }
}

/** Evaluates `query` every `step` from `start` to `end` (ms) into a matrix. */
export function rangeData(
  query: string,
  start: number,
  end: number,
  step: number,
  src: SeriesSource,
): { resultType: 'matrix'; result: unknown } {
  const expr = parsePromql(query);
  const series = new Map<string, { metric: Record<string, string>; values: [number, string][] }>();
  for (let t = start; t <= end; t += step) {
    const v = evaluate(expr, t, src);
    if (v.type === 'matrix') throw new QueryError('a range query needs an instant vector or a number, not a range vector');
    const samples = v.type === 'scalar' ? [{ labels: {}, value: v.value }] : v.samples;
    for (const s of samples) {
      const k = JSON.stringify(Object.entries(s.labels).sort());
      if (!series.has(k)) series.set(k, { metric: s.labels, values: [] });
      series.get(k)!.values.push([t / 1000, formatSample(s.value)]);
    }
  }
  return { resultType: 'matrix', result: [...series.values()] };
}

/** Starts the endpoint on 127.0.0.1 (a free port). */
export async function startQueryServer(src: SeriesSource, now: () => number = Date.now): Promise<QueryServer> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    void params(req).then(
      (p) => answer(req, res, p, src, now),
      () => send(res, 400, { status: 'error', errorType: 'bad_data', error: 'cannot read the request body' }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: () => requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(req: IncomingMessage, res: ServerResponse, p: URLSearchParams, src: SeriesSource, now: () => number): void {
  const path = new URL(req.url ?? '/', 'http://demo').pathname;
  if (path === '/-/ready' || path === '/-/healthy')
    return void res.writeHead(200, { 'content-type': 'text/plain' }).end('The demo query endpoint is ready.\n');
  if (path !== '/api/v1/query' && path !== '/api/v1/query_range')
    return send(res, 404, {
      status: 'error',
      errorType: 'not_found',
      error: `${path} is not served by the demo's simulated endpoint; it answers /api/v1/query and /api/v1/query_range`,
    });
  const query = p.get('query');
  if (!query) return send(res, 400, { status: 'error', errorType: 'bad_data', error: 'the query parameter is missing' });
  try {
    if (path === '/api/v1/query') {
      const t = p.has('time') ? seconds(p.get('time')!, 'time') : now();
      return send(res, 200, { status: 'success', data: instantData(evaluate(parsePromql(query), t, src), t) });
    }
    const [start, end, step] = [
      seconds(p.get('start') ?? '', 'start'),
      seconds(p.get('end') ?? '', 'end'),
      seconds(p.get('step') ?? '', 'step'),
    ];
    if (!(step > 0)) throw new QueryError('step must be a positive duration in seconds');
    if (end < start) throw new QueryError('end is before start');
    if ((end - start) / step > MAX_POINTS)
      throw new QueryError(`exceeded maximum resolution of ${MAX_POINTS} points per timeseries; raise step`);
    return send(res, 200, { status: 'success', data: rangeData(query, start, end, step, src) });
  } catch (e) {
    if (e instanceof QueryError)
      return send(res, e.unsupported ? 422 : 400, {
        status: 'error',
        errorType: e.unsupported ? 'execution' : 'bad_data',
        error: e.message,
      });
    // A bad regex in a matcher is the query's fault too; anything else is the endpoint's.
    if (e instanceof SyntaxError)
      return send(res, 400, { status: 'error', errorType: 'bad_data', error: `bad regular expression: ${e.message}` });
    return send(res, 500, { status: 'error', errorType: 'internal', error: (e as Error).message });
  }
}

function seconds(v: string, name: string): number {
  const n = Number(v);
  if (v === '' || !Number.isFinite(n)) throw new QueryError(`${name} must be a Unix time in seconds, not '${v}'`);
  return Math.round(n * 1000);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function params(req: IncomingMessage): Promise<URLSearchParams> {
  const p = new URL(req.url ?? '/', 'http://demo').searchParams;
  if (req.method !== 'POST') return p;
  let body = '';
  for await (const chunk of req) body += String(chunk);
  for (const [k, v] of new URLSearchParams(body)) p.append(k, v);
  return p;
}
