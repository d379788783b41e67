// Credentials go only to the configured origin. Given a Prometheus URL that answers 302 to another
// port (a real node:http server, recording what reaches it), the request is refused with one line
// naming the query and the other origin, and the other origin receives nothing at all; same-origin
// redirects in front of a real Prometheus are followed, a bounded number of times.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingContext } from '../../../src/drivers/context.js';
import { MAX_REDIRECTS } from '../../../src/drivers/prometheus/http.js';
import { MetricError, PromClient, fetchAlerts, pollPanel } from '../../../src/drivers/prometheus/index.js';
import { needBinary } from '../../support/binaries.js';
import { startPrometheus, type PrometheusServer } from '../../support/prometheus.js';
import { makeRunbook } from './runbooks.js';

const env = { APIKEY: 'apikey-0b8e6a1f9c', PROM_TOKEN: 'bearer-5d2c7e9a4b' };
const VECTOR = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '1'] }] } });

/** A real HTTP server on 127.0.0.1; `answer` decides each reply; every request's path and headers are kept. */
async function serve(answer: (path: string, res: import('node:http').ServerResponse) => void | Promise<void>) {
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    void Promise.resolve(answer(req.url ?? '/', res)).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    stop: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** One poll of the panel `q` against `url`, with an API key header and a bearer token. */
async function pollOnce(url: string, q = 'up') {
  const rb = makeRunbook({
    prometheus: { url, headers: { 'X-Api-Key': '${APIKEY}' }, bearerToken: '${PROM_TOKEN}' },
    health: [{ id: 'a', title: 'A', query: q }],
  });
  const ctx = recordingContext();
  await pollPanel(new PromClient(rb.prometheus!, { env }), rb.health![0], ctx);
  expect(ctx.events).toHaveLength(1);
  return ctx.events[0];
}

describe('redirects (real HTTP servers)', () => {
  let other: Awaited<ReturnType<typeof serve>>;
  let away: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    // Answers like a Prometheus would: a request that reached it would pass.
    other = await serve((_p, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(VECTOR));
    away = await serve((p, res) => void res.writeHead(302, { location: `${other.url}${p}` }).end());
  });
  afterAll(async () => {
    await away?.stop();
    await other?.stop();
  });

  it('refuses a redirect to another origin: one line naming the query and the origin; the other origin gets nothing', async () => {
    const e = await pollOnce(away.url);
    expect(e).toMatchObject({ type: 'metric/failed', kind: 'config' });
    const message = e.type === 'metric/failed' ? e.message : '';
    expect(message).toBe(
      `Prometheus at ${away.url} redirected (HTTP 302) (query 'up') to another origin, ${other.url}; cutover sends credentials only to the configured origin and did not follow: point prometheus.url at the final address`,
    );
    expect(away.seen.at(-1)?.headers['x-api-key']).toBe(env.APIKEY);
    expect(other.seen).toEqual([]);
  });

  it('refuses it for Alertmanager too, and the other origin gets nothing', async () => {
    const rb = makeRunbook({ prometheus: { url: other.url }, alertmanager: { url: away.url, headers: { 'X-Api-Key': '${APIKEY}' } } });
    const err = await fetchAlerts(rb.alertmanager!, { env }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(MetricError);
    expect((err as MetricError).message).toMatch(
      new RegExp(
        `^Alertmanager at ${away.url} redirected \\(HTTP 302\\) to another origin, ${other.url};.*point alertmanager\\.url at the final address$`,
      ),
    );
    expect(other.seen).toEqual([]);
  });

  it('refuses a scheme change on the same host and port (another origin)', async () => {
    const https = await serve((p, res) => void res.writeHead(301, { location: `https://127.0.0.1:${new URL(other.url).port}${p}` }).end());
    const e = await pollOnce(https.url);
    expect(e).toMatchObject({ type: 'metric/failed', kind: 'config' });
    expect(e.type === 'metric/failed' && e.message).toContain(`to another origin, https://127.0.0.1:${new URL(other.url).port};`);
    expect(other.seen).toEqual([]);
    await https.stop();
  });

  it(`gives up after ${MAX_REDIRECTS} same-origin hops`, async () => {
    const loop = await serve((p, res) => void res.writeHead(307, { location: p }).end());
    const e = await pollOnce(loop.url);
    expect(e.type === 'metric/failed' && e.message).toMatch(/redirected \(HTTP 307\) \(query 'up'\) more than 5 times;/);
    expect(loop.seen).toHaveLength(MAX_REDIRECTS + 1);
    await loop.stop();
  });
});

describe('one credential source per request, at run time too', () => {
  it('sends nothing when a section skipped validate with both bearerToken and an Authorization header (never `Bearer X, Bearer X`)', async () => {
    const server = await serve((_p, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(VECTOR));
    const target = { url: server.url, bearerToken: '${PROM_TOKEN}', headers: { authorization: 'Bearer ${PROM_TOKEN}' } };
    const ctx = recordingContext();
    await pollPanel(new PromClient(target, { env }), { id: 'a', title: 'A', query: 'up' }, ctx);
    expect(ctx.events[0]).toMatchObject({
      type: 'metric/failed',
      kind: 'config',
      message: 'prometheus sets an Authorization header and bearerToken; keep only one of them',
    });
    expect(server.seen).toEqual([]);
    await server.stop();
  });
});

const bin = needBinary('prometheus', 'prometheus');

describe.skipIf(!bin)('a same-origin redirect in front of a real Prometheus', () => {
  let prom: PrometheusServer;
  let front: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    prom = await startPrometheus({ bin: bin!, targets: ['127.0.0.1:1'] });
    // /api/... moved to /prom/api/... on the same origin, which is the real Prometheus behind it.
    front = await serve(async (p, res) => {
      if (!p.startsWith('/prom/')) return void res.writeHead(308, { location: `/prom${p}` }).end();
      const up = await fetch(prom.url + p.slice('/prom'.length));
      res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' }).end(await up.text());
    });
  });
  afterAll(async () => {
    await front?.stop();
    await prom?.stop();
  });

  it('follows it, with the credentials, and samples what Prometheus answers', async () => {
    const e = await pollOnce(front.url, 'vector(42)');
    expect(e).toMatchObject({ type: 'metric/sampled', series: [{ labels: {}, value: 42 }] });
    expect(front.seen.map((s) => s.path.replace(/\?.*/, ''))).toEqual(['/api/v1/query', '/prom/api/v1/query']);
    expect(front.seen[1].headers).toMatchObject({ 'x-api-key': env.APIKEY, authorization: `Bearer ${env.PROM_TOKEN}` });
  });
});
