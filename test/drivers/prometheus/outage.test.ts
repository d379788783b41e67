// Prometheus killed in the middle of a run, then started again on the same port and data:
// panels go unreachable, no trigger fires (not even onNoData: fire), nothing crashes, and the
// panels recover by themselves once it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reduceAll, selectHealth, type SessionEvent } from '../../../src/core/index.js';
import { recordingContext } from '../../../src/drivers/context.js';
import { startPoller } from '../../../src/drivers/prometheus/index.js';
import { withTriggers } from '../../../src/drivers/triggers.js';
import { needBinary } from '../../support/binaries.js';
import { startMetricsApp, type MetricsApp } from '../../support/metrics-app.js';
import { startPrometheus, waitFor, type PrometheusServer } from '../../support/prometheus.js';
import { makeRunbook, started } from './runbooks.js';

const bin = needBinary('prometheus', 'prometheus');

describe.skipIf(!bin)('Prometheus outage mid-run (real Prometheus, killed and restarted)', () => {
  let app: MetricsApp;
  let prom: PrometheusServer;

  beforeAll(async () => {
    app = await startMetricsApp();
    prom = await startPrometheus({ bin: bin!, targets: [app.target] });
    await prom.waitForSeries('rate(http_requests_total[30s])');
  });
  afterAll(async () => {
    await prom?.stop();
    await app?.stop();
  });

  it('shows panels unreachable, fires nothing, and recovers when Prometheus is back', async () => {
    // 30 s windows: the few seconds without scrapes around the restart still leave data in them.
    const rb = makeRunbook({
      prometheus: { url: prom.url, interval: '500ms', timeout: '1s' },
      health: [
        {
          id: 'err',
          title: 'Errors',
          query: 'sum(rate(http_requests_total{code="500"}[30s])) / sum(rate(http_requests_total[30s]))',
          unit: 'ratio',
          crit: '> 0.1',
        },
        { id: 'rps', title: 'RPS', query: 'sum(rate(http_requests_total[30s]))', unit: 'rps', crit: '< 1' },
      ],
      rollback: {
        levels: [{ id: 'traffic', title: 'Traffic', steps: [{ id: 'r', title: 'R', manual: true }] }],
        triggers: [
          { id: 'errors-high', when: 'err > 0.1', for: '1s', severity: 'critical', recommend: 'traffic' },
          { id: 'traffic-gone', when: 'rps < 1', for: '1s', severity: 'critical', recommend: 'traffic', onNoData: 'fire' },
        ],
      },
    });
    const ctx = recordingContext();
    const tctx = withTriggers(ctx, rb);
    // Backoff capped at 2 s: recovery is seen within seconds of the restart however long the outage lasted on a loaded machine.
    const poller = startPoller(rb, tctx, { sparkWidth: 0, maxBackoff: 2000 });
    const rows = () => selectHealth(reduceAll([started(rb), ...ctx.events]), Date.now());
    const triggerEvents = () => ctx.events.filter((e) => e.type.startsWith('trigger/') || e.type === 'rollback/recommended');
    const failures = (from: number, panel: string) => ctx.events.slice(from).filter((e) => e.type === 'metric/failed' && e.panel === panel);
    try {
      await waitFor(() => rows().every((r) => r.status === 'ok'), 'both panels ok before the outage');

      await prom.kill('SIGKILL');
      const killedAt = ctx.events.length;
      // Three failed polls per panel: longer than both triggers' `for`, through two backoff steps.
      await waitFor(() => failures(killedAt, 'err').length >= 3 && failures(killedAt, 'rps').length >= 3, 'three failed polls per panel');
      const down = rows();
      expect(down.map((r) => r.status)).toEqual(['unreachable', 'unreachable']);
      for (const r of down)
        expect(r.detail).toMatch(/^(Prometheus at http:\/\/127\.0\.0\.1:\d+ refused the connection|connection to Prometheus at .* failed)/);
      const kinds = new Set(failures(killedAt, 'err').map((e) => (e as Extract<SessionEvent, { type: 'metric/failed' }>).kind));
      expect([...kinds].every((k) => k === 'refused' || k === 'network')).toBe(true);
      expect(triggerEvents()).toEqual([]);

      await prom.restart();
      const restartedAt = ctx.events.length;
      await waitFor(
        () =>
          ctx.events.slice(restartedAt).some((e) => e.type === 'metric/sampled' && e.panel === 'err') &&
          ctx.events.slice(restartedAt).some((e) => e.type === 'metric/sampled' && e.panel === 'rps'),
        'samples again after the restart',
      );
      await waitFor(() => rows().every((r) => r.status === 'ok'), 'both panels ok after the restart');
      expect(triggerEvents()).toEqual([]);
    } finally {
      await poller.stop();
    }
  }, 60_000);
});
