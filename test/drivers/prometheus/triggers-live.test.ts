// A trigger on a real error rate: the fixture app's errors go up, the trigger goes pending, then
// firing once it held for the whole `for`, recommends its level; errors go down, it resolves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reduceAll, sampleNumber, selectTriggers, type SessionEvent } from '../../../src/core/index.js';
import { recordingContext } from '../../../src/drivers/context.js';
import { startPoller } from '../../../src/drivers/prometheus/index.js';
import { withTriggers } from '../../../src/drivers/triggers.js';
import { needBinary } from '../../support/binaries.js';
import { startMetricsApp, type MetricsApp } from '../../support/metrics-app.js';
import { startPrometheus, waitFor, type PrometheusServer } from '../../support/prometheus.js';
import { makeRunbook, started } from './runbooks.js';

const bin = needBinary('prometheus', 'prometheus');
const ERR = 'sum(rate(http_requests_total{code="500"}[5s])) / sum(rate(http_requests_total[5s]))';

describe.skipIf(!bin)('triggers on a real Prometheus', () => {
  let app: MetricsApp;
  let prom: PrometheusServer;

  beforeAll(async () => {
    app = await startMetricsApp();
    prom = await startPrometheus({ bin: bin!, targets: [app.target] });
    await prom.waitForSeries(`(${ERR}) >= 0`);
  });
  afterAll(async () => {
    await prom?.stop();
    await app?.stop();
  });

  it('goes pending, fires after `for`, recommends its level, and resolves when errors drop', async () => {
    const rb = makeRunbook({
      prometheus: { url: prom.url, interval: '250ms' },
      health: [{ id: 'err', title: 'Errors', query: ERR, unit: 'ratio', crit: '> 0.1' }],
      rollback: {
        levels: [{ id: 'traffic', title: 'Traffic', steps: [{ id: 'r', title: 'R', manual: true }] }],
        triggers: [
          { id: 'errors-high', when: 'err > 0.1', for: '2s', severity: 'critical', recommend: 'traffic', auto: true, countdown: '5s' },
        ],
      },
    });
    const ctx = recordingContext();
    const poller = startPoller(rb, withTriggers(ctx, rb), { sparkWidth: 0 });
    const find = (type: SessionEvent['type']) => ctx.events.find((e) => e.type === type);
    try {
      await waitFor(() => ctx.events.some((e) => e.type === 'metric/sampled'), 'a first sample');
      expect(find('trigger/pending')).toBeUndefined();

      await app.set({ errorRate: 0.5 });
      const firing = await waitFor(() => find('trigger/firing'), 'the trigger to fire', 20_000);
      const pending = find('trigger/pending')!;
      if (pending.type !== 'trigger/pending' || firing.type !== 'trigger/firing') throw new Error('unreachable');
      expect(firing.since).toBe(pending.since);
      expect(firing.t - pending.since).toBeGreaterThanOrEqual(2000);
      expect(sampleNumber(firing.value!)).toBeGreaterThan(0.1);
      expect(firing.check).toBe('> 0.1');
      // Every evaluation between pending and firing held: Prometheus's alerting-rule semantics.
      const between = ctx.events.filter((e) => e.type === 'metric/sampled' && e.t >= pending.t && e.t <= firing.t);
      expect(between.length).toBeGreaterThanOrEqual(4);
      for (const e of between) if (e.type === 'metric/sampled') expect(sampleNumber(e.series[0].value)).toBeGreaterThan(0.1);
      expect(find('rollback/recommended')).toMatchObject({
        level: 'traffic',
        trigger: 'errors-high',
        t: firing.t,
        countdownUntil: firing.t + 5000,
      });

      await app.set({ errorRate: 0 });
      const resolved = await waitFor(() => find('trigger/resolved'), 'the trigger to resolve', 20_000);
      if (resolved.type !== 'trigger/resolved') throw new Error('unreachable');
      expect(sampleNumber(resolved.value!)).toBeLessThanOrEqual(0.1);
      expect(resolved.since).toBe(pending.since);
      const state = reduceAll([started(rb), ...ctx.events]);
      expect(selectTriggers(state)[0]).toMatchObject({ id: 'errors-high', state: 'inactive' });
    } finally {
      await poller.stop();
    }
  });
});
