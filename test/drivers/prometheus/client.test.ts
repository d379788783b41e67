// The client and one-shot panel sampling against a real Prometheus scraping the fixture app.
// Faults that Prometheus cannot produce on demand (a 503 from a proxy, an HTML page, a slow
// network, an auth gateway) come from a real HTTP proxy in front of it, never from a mock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPlainJson, reduceAll, sampleNumber, selectHealth, type SessionEvent } from '../../../src/core/index.js';
import { recordingContext } from '../../../src/drivers/context.js';
import { PromClient, pollPanel, pollRange, rangeWindow, type HttpTarget } from '../../../src/drivers/prometheus/index.js';
import type { Runbook } from '../../../src/runbook/index.js';
import { needBinary } from '../../support/binaries.js';
import { startMetricsApp, type MetricsApp } from '../../support/metrics-app.js';
import { freePort, startPrometheus, waitFor, type PrometheusServer } from '../../support/prometheus.js';
import { startProxy, type FaultProxy } from './proxy.js';
import { errorRatio, makeRunbook, started } from './runbooks.js';

const bin = needBinary('prometheus', 'prometheus');

describe.skipIf(!bin)('Prometheus client (real Prometheus)', () => {
  let app: MetricsApp;
  let prom: PrometheusServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    app = await startMetricsApp();
    await app.set({ errorRate: 0.2, track: 'canary' });
    await app.set({ errorRate: 0.05, track: 'stable' });
    prom = await startPrometheus({ bin: bin!, targets: [app.target] });
    proxy = await startProxy(prom.url);
    await prom.waitForSeries('rate(http_requests_total[5s])');
  });
  afterAll(async () => {
    await proxy?.stop();
    await prom?.stop();
    await app?.stop();
  });

  /** Samples every panel of a runbook once; returns the events and the health rows. */
  async function sampleAll(rb: Runbook, env: NodeJS.ProcessEnv = {}) {
    const ctx = recordingContext();
    const client = new PromClient(rb.prometheus!, { env });
    for (const p of rb.health ?? []) await pollPanel(client, p, ctx);
    for (const e of ctx.events) assertPlainJson(e);
    return { events: ctx.events, rows: selectHealth(reduceAll([started(rb), ...ctx.events]), Date.now()) };
  }
  const panel = (id: string, query: string, extra: Record<string, unknown> = {}) => ({ id, title: id, query, ...extra });
  const sampled = (e: SessionEvent | undefined) => {
    if (e?.type !== 'metric/sampled') throw new Error(`expected a sample, got ${JSON.stringify(e)}`);
    return e;
  };
  const failure = (e: SessionEvent | undefined) => {
    if (e?.type !== 'metric/failed') throw new Error(`expected a failure, got ${JSON.stringify(e)}`);
    return e;
  };

  it('gives every series with exactly the values Prometheus returns for the same query', async () => {
    const q = 'sum by (track, code) (rate(http_requests_total[5s]))';
    const rb = makeRunbook({ prometheus: { url: prom.url }, health: [panel('rps', q, { unit: 'rps' })] });
    // A scrape that lands between the two queries can change the answer; a fresh pair then agrees.
    let tries = 0;
    for (;;) {
      const e = sampled((await sampleAll(rb)).events[0]);
      const direct = await prom.query(q, e.at);
      const want = (direct.data!.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({
        labels: s.metric,
        value: sampleNumber(s.value[1]),
      }));
      const got = e.series.map((s) => ({ labels: s.labels, value: sampleNumber(s.value) }));
      const key = (x: { labels: Record<string, string> }) => JSON.stringify(x.labels);
      got.sort((a, b) => key(a).localeCompare(key(b)));
      want.sort((a, b) => key(a).localeCompare(key(b)));
      expect(got).toHaveLength(4);
      if (JSON.stringify(got) === JSON.stringify(want) || ++tries === 5) {
        expect(got).toEqual(want);
        break;
      }
    }
  });

  it('keeps NaN and infinities as such, and an empty result as no data (never 0)', async () => {
    const rb = makeRunbook({
      prometheus: { url: prom.url },
      health: [
        panel('nan', '0/0'),
        panel('inf', '1/0'),
        panel('ninf', '-1/0'),
        panel('none', 'nothing_here{job="x"}'),
        panel('zero', 'vector(0)'),
      ],
    });
    const { events, rows } = await sampleAll(rb);
    expect(events.map((e) => (e.type === 'metric/sampled' ? e.series.map((s) => s.value) : e.type))).toEqual([
      ['NaN'],
      ['+Inf'],
      ['-Inf'],
      [],
      [0],
    ]);
    // 0/0 is NaN in Prometheus: shown as such, and never OK.
    expect(rows.map((r) => [r.status, r.text])).toEqual([
      ['unknown', 'NaN'],
      ['ok', '+Inf'],
      ['ok', '-Inf'],
      ['nodata', 'no data'],
      ['ok', '0'],
    ]);
  });

  it('samples canary and baseline of a compare panel at the same instant, in one event', async () => {
    const rb = makeRunbook({
      prometheus: { url: prom.url },
      health: [
        {
          id: 'err',
          title: 'Errors',
          compare: { canary: errorRatio('canary'), baseline: errorRatio('stable') },
          unit: 'ratio',
          crit: 'ratio > 2',
        },
      ],
    });
    const { events, rows } = await sampleAll(rb);
    const e = sampled(events[0]);
    const direct = await prom.query(errorRatio('stable'), e.at);
    const base = (direct.data!.result as { value: [number, string] }[]).map((s) => sampleNumber(s.value[1]));
    expect(e.baseline?.map((s) => sampleNumber(s.value))).toEqual(base);
    const row = rows[0];
    expect(row.compare?.ratio).toBeCloseTo(sampleNumber(e.series[0].value) / base[0], 10);
  });

  it.each([
    ['a type error (HTTP 400)', 'rate(up)'],
    ['an execution error (HTTP 422)', 'label_replace(up, "a", "b", "c", "(")'],
  ])("shows Prometheus's own message for %s", async (_, q) => {
    const direct = await prom.query(q);
    expect(direct.status).toBe('error');
    const { events, rows } = await sampleAll(makeRunbook({ prometheus: { url: prom.url }, health: [panel('bad', q)] }));
    const e = failure(events[0]);
    expect(e.kind).toBe('query');
    expect(e.message).toContain(direct.error);
    expect(e.message).toContain(q);
    expect(rows[0]).toMatchObject({ status: 'error', detail: e.message });
  });

  it('names the URL for a refused connection and the host for a DNS failure', async () => {
    const port = await freePort();
    const refused = failure(
      (await sampleAll(makeRunbook({ prometheus: { url: `http://127.0.0.1:${port}` }, health: [panel('a', 'up')] }))).events[0],
    );
    expect(refused).toMatchObject({ kind: 'refused' });
    expect(refused.message).toBe(
      `Prometheus at http://127.0.0.1:${port} refused the connection (query 'up'); is it running, and is prometheus.url right?`,
    );
    const dns = failure(
      (await sampleAll(makeRunbook({ prometheus: { url: 'http://cutover-no-such-host.invalid:9090' }, health: [panel('a', 'up')] })))
        .events[0],
    );
    expect(dns.kind).toBe('dns');
    expect(dns.message).toMatch(/^cannot resolve 'cutover-no-such-host.invalid' for Prometheus \(query 'up'\): DNS lookup failed/);
  });

  it('times out a slow answer after prometheus.timeout', async () => {
    proxy.set({ delayMs: 2000 });
    const t0 = Date.now();
    const { events, rows } = await sampleAll(makeRunbook({ prometheus: { url: proxy.url, timeout: '300ms' }, health: [panel('a', 'up')] }));
    proxy.set({});
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(failure(events[0]).message).toBe(
      `Prometheus at ${proxy.url} did not answer within 300ms (query 'up'); it may be overloaded; raise prometheus.timeout if this query is slow`,
    );
    expect(rows[0].status).toBe('unreachable');
  });

  it.each([
    [
      {
        status: 503,
        contentType: 'application/json',
        body: '{"status":"error","errorType":"unavailable","error":"too many queries in flight"}',
      },
      'http',
      /answered HTTP 503 Service Unavailable: too many queries in flight \(query 'up'\)/,
      'unreachable',
    ],
    [
      { status: 502, contentType: 'text/html', body: '<html><body>Bad Gateway</body></html>' },
      'http',
      /answered HTTP 502 Bad Gateway: <html>/,
      'unreachable',
    ],
    [
      { status: 200, contentType: 'text/html', body: '<html>Please log in</html>' },
      'bad-response',
      /sent an unexpected answer \(query 'up'\): HTTP 200 with a body that is not JSON \(text\/html\): "<html>Please log in/,
      'error',
    ],
    [
      { status: 200, contentType: 'application/json', body: '{"status":"error","error":"query processing would load too many samples"}' },
      'query',
      /rejected query 'up': query processing would load too many samples/,
      'error',
    ],
  ])('classifies %j', async (mode, kind, message, status) => {
    proxy.set(mode);
    const { events, rows } = await sampleAll(makeRunbook({ prometheus: { url: proxy.url }, health: [panel('a', 'up')] }));
    proxy.set({});
    const e = failure(events[0]);
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('\n');
    expect(rows[0].status).toBe(status);
  });

  it('keeps the warnings of a partial answer, and shows them with the value', async () => {
    proxy.set({ warnings: ['store 10.0.0.7:10901 unavailable: partial response'] });
    const { events, rows } = await sampleAll(makeRunbook({ prometheus: { url: proxy.url }, health: [panel('a', 'vector(1)')] }));
    proxy.set({});
    expect(sampled(events[0])).toMatchObject({ series: [{ value: 1 }], warnings: ['store 10.0.0.7:10901 unavailable: partial response'] });
    expect(rows[0]).toMatchObject({ status: 'ok', warnings: ['store 10.0.0.7:10901 unavailable: partial response'] });
  });

  it('sends bearer and basic auth from the environment, and never shows the secret', async () => {
    const secret = 's3cret-token-value';
    proxy.set({ bearer: secret });
    proxy.reset();
    const bearer = (env: NodeJS.ProcessEnv) =>
      sampleAll(makeRunbook({ prometheus: { url: proxy.url, bearerToken: '${PROM_TOKEN}' }, health: [panel('a', 'up')] }), env);
    expect((await bearer({ PROM_TOKEN: secret })).events[0].type).toBe('metric/sampled');
    const missing = failure((await bearer({})).events[0]);
    expect(missing).toMatchObject({ kind: 'config' });
    expect(missing.message).toContain('${PROM_TOKEN}');
    const wrong = failure((await bearer({ PROM_TOKEN: `${secret}-old` })).events[0]);
    expect(wrong.kind).toBe('http');
    expect(wrong.message).toMatch(/HTTP 401 Unauthorized.*check bearerToken, basicAuth or headers/);
    expect(JSON.stringify([missing, wrong])).not.toContain(secret);
    proxy.set({});
    const basic = makeRunbook({
      prometheus: { url: proxy.url, basicAuth: { username: 'ops', password: '${PROM_PASS}' } },
      health: [panel('a', 'up')],
    });
    await sampleAll(basic, { PROM_PASS: 'pa:ss' });
    expect(proxy.authHeaders()).toContain(`Basic ${Buffer.from('ops:pa:ss').toString('base64')}`);
  });

  it('fetches a sparkline window with query_range, points as Prometheus returns them', async () => {
    const q = 'sum(rate(http_requests_total[5s]))';
    const rb = makeRunbook({ prometheus: { url: prom.url }, health: [panel('rps', q, { range: '1m' })] });
    const client = new PromClient(rb.prometheus as HttpTarget);
    // The window ends on a whole step; wait until the young series has points before it.
    const e = await waitFor(async () => {
      const ctx = recordingContext();
      expect(await pollRange(client, rb.health![0], ctx, 10)).toBe(true);
      const r = ctx.events[0];
      if (r.type !== 'metric/range') throw new Error(`expected metric/range, got ${r.type}`);
      return r.points.length >= 2 ? r : undefined;
    }, 'a sparkline window with two points');
    expect(e.step).toBe(3000); // 60 s over 10 cells = 20 dots
    const w = rangeWindow(60_000, 10, e.from + 60_000);
    expect(w.start).toBe(e.from);
    const u = new URL(`${prom.url}/api/v1/query_range`);
    for (const [k, v] of Object.entries({ query: q, start: String(w.start / 1000), end: String(w.end / 1000), step: '3' }))
      u.searchParams.set(k, v);
    const direct = (await (await fetch(u)).json()) as { data: { result: { values: [number, string][] }[] } };
    expect(e.points).toEqual(direct.data.result[0].values.map(([t, v]) => [Math.round(t * 1000), sampleNumber(v)]));
  });
});
