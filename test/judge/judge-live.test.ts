// The judge against a real Prometheus scraping three prom-client apps whose canary is worse,
// equal, and noisier but not worse than its baseline; `cutover judge` in-process, text and JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/judge.js';
import { clientFor } from '../../src/drivers/prometheus/poller.js';
import { judgeRunbook } from '../../src/judge/judge.js';
import { loadRunbookFile } from '../../src/runbook/load.js';
import { needBinary } from '../support/binaries.js';
import { captureIo } from '../support/io.js';
import { startMetricsApp, type MetricsApp } from '../support/metrics-app.js';
import { startPrometheus, waitFor, type PrometheusServer } from '../support/prometheus.js';
import { removeWrittenRunbooks, writeRunbook } from '../drivers/prometheus/runbooks.js';

const bin = needBinary('prometheus', 'prometheus');

/** Mean latency of one track of one app over 3 s (one judge step: successive values share no request). */
const latency = (app: MetricsApp, track: string) =>
  `sum(rate(http_request_duration_seconds_sum{instance="${app.target}",track="${track}"}[3s])) / sum(rate(http_request_duration_seconds_count{instance="${app.target}",track="${track}"}[3s]))`;

describe.skipIf(!bin)('the judge on a real Prometheus', () => {
  const apps: Record<'worse' | 'equal' | 'noisy', MetricsApp> = {} as never;
  const files: Record<string, string> = {};
  let prom: PrometheusServer;

  beforeAll(async () => {
    for (const k of ['worse', 'equal', 'noisy'] as const) apps[k] = await startMetricsApp();
    // Worse: 75% slower. Equal: the same. Noisy: each second's latency anywhere in 2-38 ms, mean 20 ms.
    await apps.worse.set({ track: 'canary', latencyMs: 35 });
    await apps.noisy.set({ track: 'canary', jitterMs: 18 });
    prom = await startPrometheus({ bin: bin!, targets: Object.values(apps).map((a) => a.target) });
    for (const [k, app] of Object.entries(apps))
      files[k] = writeRunbook({
        prometheus: { url: prom.url },
        health: [
          {
            id: 'latency',
            title: 'Mean latency canary vs baseline',
            compare: { canary: latency(app, 'canary'), baseline: latency(app, 'stable') },
            unit: 'seconds',
            // A 10% slower canary is worth failing; less is noise.
            judge: { window: '45s', step: '3s', direction: 'increase', allowedIncrease: 1.1, critical: true },
          },
        ],
      });
    // Judge once there are enough values in every window (Prometheus scrapes ~5 s after start).
    for (const f of Object.values(files)) {
      const rb = loadRunbookFile(f, process.env).runbook!;
      await waitFor(
        async () => (await judgeRunbook(clientFor(rb), rb, Date.now())).metrics.every((m) => m.canaryCount >= 10 && m.baselineCount >= 10),
        `10 values on both sides in ${f}`,
        60_000,
        1000,
      );
    }
  }, 90_000);
  afterAll(async () => {
    removeWrittenRunbooks();
    await prom?.stop();
    for (const a of Object.values(apps)) await a?.stop();
  });

  it('a slower canary is High and fails (exit 2), with counts, interval and effect size', async () => {
    const io = captureIo();
    expect(await main(['-f', files.worse, '--json'], io)).toBe(2);
    const j = JSON.parse(io.stdout());
    expect(j).toMatchObject({ verdict: 'fail', score: 0, exit: 2 });
    const m = j.metrics[0];
    expect(m.class).toBe('High');
    expect(m.canaryCount).toBeGreaterThanOrEqual(10);
    // Every canary value is above every baseline value: U is the product of the counts.
    expect(m.u).toBe(m.canaryCount * m.baselineCount);
    expect(m.p).toBeLessThan(0.001);
    expect(m.estimate).toBeCloseTo(0.015, 3);
    expect(m.lower).toBeGreaterThan(0.25 * m.estimate);
    expect(m.effect).toBeCloseTo(1.75, 1);
    const text = captureIo();
    expect(await main(['-f', files.worse], text)).toBe(2);
    expect(text.stdout()).toMatch(/^ {2}HIGH {4}Mean latency canary vs baseline {2}\(45s every 3s, critical\)$/m);
    expect(text.stdout()).toMatch(/^ {10}\d+ vs \d+ values, U \d+, p [\d.e-]+, shift \+15ms \[\+1\dms, \+1\dms\] 98%, effect 1\.7\d×$/m);
    expect(text.stdout()).toMatch(/^score 0 of 100: FAIL \(pass ≥ 95, marginal ≥ 75\); 0 because critical latency is High \(exit 2\)$/m);
  });

  it('an equal canary passes (exit 0)', async () => {
    const io = captureIo();
    expect(await main(['-f', files.equal, '--json'], io)).toBe(0);
    const j = JSON.parse(io.stdout());
    expect(j).toMatchObject({ verdict: 'pass', score: 100, exit: 0 });
    expect(j.metrics[0].class).toBe('Pass');
  });

  it('a noisier canary that is not slower passes, though its instant ratio swings past 1.1', async () => {
    const io = captureIo();
    expect(await main(['-f', files.noisy, '--json'], io)).toBe(0);
    const j = JSON.parse(io.stdout());
    const m = j.metrics[0];
    expect(m.class).toBe('Pass');
    expect(j.verdict).toBe('pass');
    // The interval holds no shift: the values overlap (an instant `ratio > 1.1` check would have flapped).
    expect(m.lower).toBeLessThanOrEqual(0);
    const c = await prom.query(
      `max_over_time((${latency(apps.noisy, 'canary')})[45s:3s]) / max_over_time((${latency(apps.noisy, 'stable')})[45s:3s])`,
    );
    const ratio = Number((c.data?.result as { value: [number, string] }[] | undefined)?.[0]?.value[1]);
    expect(ratio).toBeGreaterThan(1.1);
  });

  it('no prometheus data: exit 3', async () => {
    const f = writeRunbook({
      prometheus: { url: prom.url },
      health: [
        {
          id: 'gone',
          title: 'Gone',
          compare: { canary: 'absent_metric_x', baseline: 'absent_metric_y' },
          judge: { window: '30s', step: '3s' },
        },
      ],
    });
    const io = captureIo();
    expect(await main(['-f', f], io)).toBe(3);
    expect(io.stdout()).toMatch(/^ {2}NO DATA {1}Gone/m);
    expect(io.stdout()).toMatch(/canary and baseline have no values in the window/);
  });
});
