// Alerts from a real Alertmanager, fed by a real Prometheus alerting rule on the fixture app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/health.js';
import { recordingContext } from '../../../src/drivers/context.js';
import { fetchAlerts, pollAlerts, startAlertsPoller } from '../../../src/drivers/prometheus/index.js';
import { startAlertmanager, type AlertmanagerServer } from '../../support/alertmanager.js';
import { needBinary } from '../../support/binaries.js';
import { captureIo } from '../../support/io.js';
import { startMetricsApp, type MetricsApp } from '../../support/metrics-app.js';
import { freePort, startPrometheus, waitFor, type PrometheusServer } from '../../support/prometheus.js';
import { makeRunbook, removeWrittenRunbooks, writeRunbook } from './runbooks.js';

const prometheusBin = needBinary('prometheus', 'prometheus');
const alertmanagerBin = needBinary('prometheus-alertmanager', 'prometheus-alertmanager');

const RULES = `
groups:
  - name: fixture
    rules:
      - alert: FixtureErrorsHigh
        expr: fixture_error_rate > 0.1
        for: 1s
        labels: { severity: critical }
        annotations: { summary: "error rate of {{ $labels.track }} is {{ $value }}" }
`;

describe.skipIf(!prometheusBin || !alertmanagerBin)('alerts (real Alertmanager fed by a real Prometheus rule)', () => {
  let app: MetricsApp;
  let am: AlertmanagerServer;
  let prom: PrometheusServer;

  beforeAll(async () => {
    app = await startMetricsApp();
    am = await startAlertmanager(alertmanagerBin!);
    // Resend every second: alerts raised before Prometheus has discovered Alertmanager are not lost for a minute.
    prom = await startPrometheus({
      bin: prometheusBin!,
      targets: [app.target],
      rules: RULES,
      alertmanagers: [am.target],
      args: ['--rules.alert.resend-delay=1s'],
    });
    await prom.waitForSeries('fixture_error_rate');
  });
  afterAll(async () => {
    removeWrittenRunbooks();
    await prom?.stop();
    await am?.stop();
    await app?.stop();
  });

  it('shows what Alertmanager has firing, with severity, summary and start time', async () => {
    expect(await fetchAlerts({ url: am.url })).toEqual([]);
    const before = Date.now();
    await app.set({ errorRate: 0.5, track: 'canary' });
    const alerts = await waitFor(
      async () => {
        const list = await fetchAlerts({ url: am.url });
        return list.length > 0 ? list : undefined;
      },
      'the alert to reach Alertmanager',
      30_000,
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      name: 'FixtureErrorsHigh',
      severity: 'critical',
      summary: 'error rate of canary is 0.5',
      labels: { track: 'canary', job: 'app' },
    });
    expect(alerts[0].startsAt).toBeGreaterThan(before - 1000);
    expect(alerts[0].startsAt).toBeLessThanOrEqual(Date.now());

    expect(await fetchAlerts({ url: am.url, filter: ['severity="warning"'] })).toEqual([]);
    expect(await fetchAlerts({ url: am.url, filter: ['severity="critical"', 'track="canary"'] })).toHaveLength(1);

    const ctx = recordingContext();
    expect(await pollAlerts({ url: am.url }, ctx)).toBe(true);
    expect(ctx.events[0]).toMatchObject({ type: 'alerts/updated', alerts: [{ name: 'FixtureErrorsHigh' }] });
  });

  it('polls Alertmanager alongside the panels, and reports it unreachable', async () => {
    const rb = makeRunbook({ prometheus: { url: prom.url, interval: '200ms' }, alertmanager: { url: am.url } });
    const ctx = recordingContext();
    const poller = startAlertsPoller(rb, ctx)!;
    await waitFor(() => ctx.events.filter((e) => e.type === 'alerts/updated').length >= 3, 'three alert updates');
    await poller.stop();

    const port = await freePort();
    const down = recordingContext();
    expect(await pollAlerts({ url: `http://127.0.0.1:${port}` }, down)).toBe(false);
    expect(down.events[0]).toMatchObject({
      type: 'alerts/failed',
      kind: 'refused',
      message: `Alertmanager at http://127.0.0.1:${port} refused the connection; is it running, and is alertmanager.url right?`,
    });
  });

  it('lists firing alerts in `cutover health`, text and JSON, without changing the exit code', async () => {
    await waitFor(async () => (await fetchAlerts({ url: am.url })).length > 0, 'the alert to be firing');
    const file = writeRunbook({
      prometheus: { url: prom.url },
      alertmanager: { url: am.url },
      health: [{ id: 'up', title: 'Targets up', query: 'sum(up)', crit: '< 1' }],
    });
    const text = captureIo();
    expect(await main(['-f', file], text)).toBe(0);
    expect(text.stdout()).toMatch(
      /alerts: 1 firing\n {2}\[critical\] FixtureErrorsHigh since \d\d:\d\d:\d\d: error rate of canary is 0\.5\n/,
    );
    const json = captureIo();
    expect(await main(['-f', file, '--json'], json)).toBe(0);
    expect(JSON.parse(json.stdout()).alerts.firing).toMatchObject([{ name: 'FixtureErrorsHigh', severity: 'critical' }]);

    const port = await freePort();
    const offline = writeRunbook({
      prometheus: { url: prom.url },
      alertmanager: { url: `http://127.0.0.1:${port}` },
      health: [{ id: 'up', title: 'Targets up', query: 'sum(up)' }],
    });
    const io = captureIo();
    expect(await main(['-f', offline], io)).toBe(0);
    expect(io.stdout()).toContain(`alerts: unknown: Alertmanager at http://127.0.0.1:${port} refused the connection`);
  });
});
