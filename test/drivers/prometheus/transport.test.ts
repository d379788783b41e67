// The transport's faults that no real Prometheus produces on demand, from a real HTTP server that
// misbehaves (the fault proxy answering by itself): a body that never ends, an answer too big to
// hold, a gateway that echoes the credentials it was sent, server text full of terminal escapes,
// malformed values. No Prometheus binary is needed, so these always run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/health.js';
import { assertPlainJson, reduceAll, selectHealth, type SessionEvent } from '../../../src/core/index.js';
import { recordingContext } from '../../../src/drivers/context.js';
import { PromClient, fetchAlerts, pollPanel, startPoller, type HttpOptions } from '../../../src/drivers/prometheus/index.js';
import { captureIo } from '../../support/io.js';
import { waitFor } from '../../support/prometheus.js';
import { startProxy, type FaultProxy } from './proxy.js';
import { makeRunbook, removeWrittenRunbooks, started, writeRunbook } from './runbooks.js';

const vector = (value: unknown, t: unknown = 1_700_000_000) =>
  JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [t, value] }] } });

describe('HTTP transport faults (a misbehaving server)', () => {
  let proxy: FaultProxy;

  beforeAll(async () => {
    // Nothing listens upstream: every answer here comes from the proxy itself.
    proxy = await startProxy('http://127.0.0.1:9');
  });
  afterAll(async () => {
    removeWrittenRunbooks();
    await proxy?.stop();
  });

  async function fresh(mode: Parameters<FaultProxy['set']>[0]) {
    await waitFor(() => proxy.open() === 0, 'the proxy to have no request open');
    proxy.reset();
    proxy.set(mode);
  }

  /** One poll of one panel `up` with the given prometheus section; returns the event and its row. */
  async function pollOnce(prometheus: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, http: HttpOptions = {}) {
    const rb = makeRunbook({ prometheus: { url: proxy.url, ...prometheus }, health: [{ id: 'a', title: 'A', query: 'up' }] });
    const ctx = recordingContext();
    await pollPanel(new PromClient(rb.prometheus!, { env, ...http }), rb.health![0], ctx);
    expect(ctx.events).toHaveLength(1);
    for (const e of ctx.events) assertPlainJson(e);
    const e = ctx.events[0];
    return { e, row: selectHealth(reduceAll([started(rb), e]), e.t)[0], message: e.type === 'metric/failed' ? e.message : '' };
  }

  it('times out a body that never ends (headers came at once), and closes the connection', async () => {
    await fresh({ trickleMs: 50 });
    const t0 = Date.now();
    const { e, row } = await pollOnce({ timeout: '300ms' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(e).toMatchObject({ type: 'metric/failed', kind: 'timeout' });
    expect(row.status).toBe('unreachable');
    await waitFor(() => proxy.open() === 0, 'the slow answer to be closed by the client');
  });

  it('stop() resolves at once while a body trickles in, and nothing is emitted after it', async () => {
    await fresh({ trickleMs: 50 });
    const rb = makeRunbook({ prometheus: { url: proxy.url, timeout: '20s' }, health: [{ id: 'a', title: 'A', query: 'up' }] });
    const ctx = recordingContext();
    const poller = startPoller(rb, ctx, { sparkWidth: 10 });
    await waitFor(() => proxy.open() === 1, 'the request to be open');
    const t0 = Date.now();
    await poller.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(ctx.events).toEqual([]);
    await waitFor(() => proxy.open() === 0, 'the request to be closed');
    expect(proxy.maxInFlight('up')).toBe(1);
  });

  it.each([
    ['with a Content-Length', false],
    ['chunked', true],
  ])('refuses an answer bigger than the cap (%s) with a clear error instead of buffering it', async (_, chunked) => {
    const big = JSON.stringify({
      status: 'success',
      data: { resultType: 'vector', result: Array.from({ length: 2000 }, (_, i) => ({ metric: { i: String(i) }, value: [1, '1'] })) },
    });
    expect(big.length).toBeGreaterThan(16 * 1024);
    await fresh({ status: 200, contentType: 'application/json', body: big, chunked });
    const { e, row, message } = await pollOnce({}, {}, { maxBodyBytes: 16 * 1024 });
    expect(e).toMatchObject({ type: 'metric/failed', kind: 'bad-response' });
    expect(message).toBe(
      `Prometheus at ${proxy.url} sent an answer larger than 16384 bytes (query 'up'); narrow the query (sum by, topk) so that fewer series come back`,
    );
    expect(row.status).toBe('error');
    // The same answer under the default cap is read whole.
    expect((await pollOnce({})).e).toMatchObject({
      type: 'metric/sampled',
      series: expect.arrayContaining([{ labels: { i: '0' }, value: 1 }]),
    });
  });

  it('never shows a token, a password or a ${VAR} value that a gateway echoes back', async () => {
    await fresh({ echoHeaders: true });
    const env = { PROM_TOKEN: 'tok-3f9a1c', TENANT: 'tenant-77b', PROM_PASS: 'pw-0c1d2e' };
    const bearer = await pollOnce({ bearerToken: '${PROM_TOKEN}', headers: { 'X-Scope-OrgID': '${TENANT}' } }, env);
    expect(bearer.e).toMatchObject({ type: 'metric/failed', kind: 'http' });
    expect(bearer.message).toContain('HTTP 401');
    expect(bearer.message).toContain('***');
    const basic = await pollOnce({ basicAuth: { username: 'ops', password: '${PROM_PASS}' } }, env);
    const b64 = Buffer.from('ops:pw-0c1d2e').toString('base64');
    for (const m of [bearer.message, basic.message]) for (const secret of [...Object.values(env), b64]) expect(m).not.toContain(secret);
  });

  it('never shows the password of a URL, even one holding an @', async () => {
    await fresh({ status: 503, body: 'down' });
    const url = proxy.url.replace('http://', 'http://ops:p@ss-w0rd@');
    const { message } = await pollOnce({ url });
    expect(message).toContain(`Prometheus at ${proxy.url} answered HTTP 503`);
    expect(message).not.toContain('ss-w0rd');
    expect(proxy.authHeaders()).toContain(`Basic ${Buffer.from('ops:p@ss-w0rd').toString('base64')}`);
  });

  it('refuses a header value that HTTP cannot carry as a config error, without quoting it', async () => {
    await fresh({ status: 200, contentType: 'application/json', body: vector('1') });
    const { e, message } = await pollOnce({ headers: { 'X-Scope-OrgID': '${TENANT}' } }, { TENANT: 'line1\nsecret-part' });
    expect(e).toMatchObject({ type: 'metric/failed', kind: 'config' });
    expect(message).toContain('prometheus.headers.X-Scope-OrgID');
    expect(message).not.toContain('secret-part');
    expect(proxy.count('up')).toBe(0);
  });

  it('strips terminal control sequences from server text, in events and in `cutover health`', async () => {
    const evil = 'bad\x1b]52;c;ZXZpbA==\x07 query\x1b[2J\x1b[31m here\r\x9b1m';
    await fresh({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({ status: 'error', errorType: 'execution', error: evil }),
    });
    const { e, message } = await pollOnce({});
    expect(e).toMatchObject({ type: 'metric/failed', kind: 'query' });
    expect(message).toMatch(/: bad query here/);
    expect(message).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);

    await fresh({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ ...JSON.parse(vector('1')), warnings: [`partial\x1b[2J\nresponse`] }),
    });
    const warned = (await pollOnce({})).e;
    expect(warned).toMatchObject({ type: 'metric/sampled', warnings: ['partial response'] });

    await fresh({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({ status: 'error', errorType: 'execution', error: evil }),
    });
    const file = writeRunbook({ prometheus: { url: proxy.url }, health: [{ id: 'a', title: 'A', query: 'up' }] });
    const io = captureIo();
    expect(await main(['-f', file], io)).toBe(3);
    expect(io.stdout()).toContain('bad query here');
    expect(io.stdout()).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  });

  it.each([
    ['an empty string', vector('')],
    ['null', vector(null)],
    ['a word', vector('lots')],
    ['a bad timestamp', vector('1', 'soon')],
    ['a result that is not a list', JSON.stringify({ status: 'success', data: { resultType: 'vector', result: {} } })],
    ['a scalar without a value', JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1] } })],
  ])('shows a sample value of %s as a bad response, never as a number', async (_, body) => {
    await fresh({ status: 200, contentType: 'application/json', body });
    const { e, row } = await pollOnce({});
    expect(e).toMatchObject({ type: 'metric/failed', kind: 'bad-response' });
    expect(row.status).toBe('error');
    expect(row.value).toBeUndefined();
  });

  it('keeps only strings from Alertmanager, without control sequences', async () => {
    const alert = {
      labels: { alertname: 'Boom\x1b[2J', severity: 'critical', n: 5, __proto__x: 'y' },
      annotations: { summary: 'line\x1b]0;title\x07 one\nline two' },
      startsAt: '2024-01-01T00:00:00Z',
    };
    await fresh({ status: 200, contentType: 'application/json', body: JSON.stringify([alert]) });
    const list = await fetchAlerts({ url: proxy.url });
    for (const a of list) assertPlainJson(a);
    expect(list).toEqual([
      {
        name: 'Boom',
        severity: 'critical',
        summary: 'line one line two',
        startsAt: Date.parse('2024-01-01T00:00:00Z'),
        labels: { alertname: 'Boom', severity: 'critical', __proto__x: 'y' },
      },
    ]);
    await fresh({ status: 200, contentType: 'application/json', body: '[null]' });
    await expect(fetchAlerts({ url: proxy.url })).rejects.toMatchObject({ kind: 'bad-response' });
  });

  it('`cutover health --watch` ends on SIGINT, stops its pollers and lets go of the signal', async () => {
    await fresh({ status: 200, contentType: 'application/json', body: vector('1') });
    const file = writeRunbook({
      prometheus: { url: proxy.url, interval: '1s' },
      health: [{ id: 'a', title: 'A', query: 'up', crit: '> 5' }],
    });
    const before = process.listenerCount('SIGINT');
    const io = captureIo();
    const done = main(['-f', file, '--watch'], io);
    await waitFor(() => io.stdout().includes('ok (exit 0)'), 'a first frame');
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    process.emit('SIGINT');
    expect(await done).toBe(0);
    expect(process.listenerCount('SIGINT')).toBe(before);
    await waitFor(() => proxy.open() === 0, 'no request open after the watch ended');
  });

  it('emits only plain JSON, whatever the server sends', async () => {
    await fresh({ status: 200, contentType: 'application/json', body: vector('-0') });
    const { e } = await pollOnce({});
    expect(e).toMatchObject({ type: 'metric/sampled' });
    expect(Object.is((e as Extract<SessionEvent, { type: 'metric/sampled' }>).series[0].value, 0)).toBe(true);
  });
});
