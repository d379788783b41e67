// The poller against a real Prometheus, through a proxy that can slow it down: cadence, one
// request in flight per panel, timeouts with backoff, sparklines, and a stop that really stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reduceAll, selectHealth, type SessionEvent } from '../../../src/core/index.js';
import { recordingContext } from '../../../src/drivers/context.js';
import { startPoller } from '../../../src/drivers/prometheus/index.js';
import { needBinary } from '../../support/binaries.js';
import { startMetricsApp, type MetricsApp } from '../../support/metrics-app.js';
import { startPrometheus, waitFor, type PrometheusServer } from '../../support/prometheus.js';
import { startProxy, type FaultProxy } from './proxy.js';
import { errorRatio, makeRunbook, started } from './runbooks.js';

const bin = needBinary('prometheus', 'prometheus');

const RPS = 'sum(rate(http_requests_total[5s]))';
const BY_CODE = 'sum by (track, code) (rate(http_requests_total[5s]))';

describe.skipIf(!bin)('panel poller (real Prometheus)', () => {
  let app: MetricsApp;
  let prom: PrometheusServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    app = await startMetricsApp();
    prom = await startPrometheus({ bin: bin!, targets: [app.target] });
    proxy = await startProxy(prom.url);
    await prom.waitForSeries('rate(http_requests_total[5s])');
  });
  afterAll(async () => {
    await proxy?.stop();
    await prom?.stop();
    await app?.stop();
  });

  /** Clean counters for a test, once the last test's aborted requests have closed at the proxy too. */
  async function freshProxy(mode: Parameters<FaultProxy['set']>[0]) {
    await waitFor(() => proxy.open() === 0, 'the proxy to have no request open');
    proxy.reset();
    proxy.set(mode);
  }
  const of = (events: SessionEvent[], panel: string, type: SessionEvent['type']) =>
    events.filter((e) => e.type === type && 'panel' in e && e.panel === panel);

  it('polls each panel at its own interval, keeps every series, draws sparklines, and stops cleanly', async () => {
    await freshProxy({});
    const rb = makeRunbook({
      prometheus: { url: proxy.url, interval: '200ms' },
      health: [
        { id: 'rps', title: 'RPS', query: RPS, unit: 'rps' },
        { id: 'codes', title: 'By code', query: BY_CODE, interval: '400ms' },
        {
          id: 'err',
          title: 'Errors',
          compare: { canary: errorRatio('canary'), baseline: errorRatio('stable') },
          unit: 'ratio',
          range: '1m',
        },
      ],
    });
    const ctx = recordingContext();
    const poller = startPoller(rb, ctx, { sparkWidth: 10 });
    await waitFor(() => of(ctx.events, 'rps', 'metric/sampled').length >= 10, '10 samples of rps');
    await poller.stop();
    const n = ctx.events.length;

    const times = of(ctx.events, 'rps', 'metric/sampled').map((e) => e.t);
    const gaps = times
      .slice(1)
      .map((t, i) => t - times[i])
      .sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(150);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(300);
    const codes = of(ctx.events, 'codes', 'metric/sampled');
    expect(codes.length).toBeGreaterThanOrEqual(3);
    expect(codes.length).toBeLessThan(times.length);
    for (const e of codes) if (e.type === 'metric/sampled') expect(e.series).toHaveLength(4);
    for (const e of of(ctx.events, 'err', 'metric/sampled')) if (e.type === 'metric/sampled') expect(e.baseline).toHaveLength(1);
    // A sparkline once per panel (the refresh period is 30 s), the compare panel's with its own range.
    expect(['rps', 'codes', 'err'].map((p) => of(ctx.events, p, 'metric/range').length)).toEqual([1, 1, 1]);
    expect(of(ctx.events, 'err', 'metric/range')[0]).toMatchObject({ step: 3000 });
    // The compare panel's window carries its baseline over the same steps, so the pane draws both lines.
    const errRange = of(ctx.events, 'err', 'metric/range')[0] as Extract<SessionEvent, { type: 'metric/range' }>;
    // (This young Prometheus may have no point in the window yet: the baseline is there, maybe empty.)
    expect(Array.isArray(errRange.baseline)).toBe(true);
    for (const [t] of errRange.baseline!) expect((t - errRange.from) % errRange.step).toBe(0);
    expect(of(ctx.events, 'rps', 'metric/range')[0]).not.toHaveProperty('baseline');
    for (const q of [RPS, BY_CODE, errorRatio('canary'), errorRatio('stable')]) expect(proxy.maxInFlight(q), q).toBe(1);
    // Read as of the last event: a stalled event loop on a loaded machine must not make them stale.
    const rows = selectHealth(reduceAll([started(rb), ...ctx.events]), ctx.events.at(-1)!.t);
    expect(rows.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(rows[1]).toMatchObject({ seriesCount: 4 });
    expect(rows[1].series).toHaveLength(3);
    // Nothing after stop(): this waits on purpose, for longer than two intervals, to see silence.
    await new Promise((r) => setTimeout(r, 500));
    expect(ctx.events.length).toBe(n);
  });

  it('never piles up requests when Prometheus is slower than the interval', async () => {
    await freshProxy({ delayMs: 400 });
    const rb = makeRunbook({
      prometheus: { url: proxy.url, interval: '100ms', timeout: '3s' },
      health: [{ id: 'rps', title: 'RPS', query: RPS }],
    });
    const ctx = recordingContext();
    const poller = startPoller(rb, ctx, { sparkWidth: 0 });
    await waitFor(() => of(ctx.events, 'rps', 'metric/sampled').length >= 5, '5 slow samples', 10_000);
    await poller.stop();
    proxy.set({});
    expect(proxy.maxInFlight(RPS)).toBe(1);
    const times = of(ctx.events, 'rps', 'metric/sampled').map((e) => e.t);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(380);
    expect(of(ctx.events, 'rps', 'metric/failed')).toEqual([]);
  });

  it('times out, backs off exponentially without overlapping requests, and recovers', async () => {
    await freshProxy({ delayMs: 3000 });
    const rb = makeRunbook({
      prometheus: { url: proxy.url, interval: '100ms', timeout: '200ms' },
      health: [{ id: 'rps', title: 'RPS', query: RPS }],
    });
    const ctx = recordingContext();
    const poller = startPoller(rb, ctx, { sparkWidth: 0 });
    await waitFor(() => of(ctx.events, 'rps', 'metric/failed').length >= 4, '4 timeouts', 10_000);
    const fails = of(ctx.events, 'rps', 'metric/failed');
    expect(fails.every((e) => e.type === 'metric/failed' && e.kind === 'timeout')).toBe(true);
    // Attempts start 100, 200, 400 ms after each failure; each waits out the 200 ms timeout.
    const gaps = fails.slice(1, 4).map((e, i) => e.t - fails[i].t);
    expect(gaps[0]).toBeGreaterThanOrEqual(290);
    expect(gaps[1]).toBeGreaterThanOrEqual(390);
    expect(gaps[2]).toBeGreaterThanOrEqual(590);
    expect(proxy.maxInFlight(RPS)).toBe(1);
    const rowsDown = selectHealth(reduceAll([started(rb), ...ctx.events]), Date.now());
    expect(rowsDown[0]).toMatchObject({ status: 'unreachable', detail: expect.stringContaining('did not answer within 200ms') });

    proxy.set({});
    await waitFor(() => ctx.events.at(-1)?.type === 'metric/sampled', 'a sample after the slowness ends', 10_000);
    await poller.stop();
    expect(selectHealth(reduceAll([started(rb), ...ctx.events]), ctx.events.at(-1)!.t)[0].status).toBe('ok');
    expect(proxy.maxInFlight(RPS)).toBe(1);
  });
});
