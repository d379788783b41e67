// `cutover health` against a real Prometheus: exit codes 0/1/2/3, text and JSON, colours,
// usage mistakes, and --watch ending cleanly. The CLI runs in-process with captured output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, runHealth } from '../../../src/cli/health.js';
import { runCli } from '../../../src/cli/main.js';
import { needBinary } from '../../support/binaries.js';
import { captureIo } from '../../support/io.js';
import { startMetricsApp, type MetricsApp } from '../../support/metrics-app.js';
import { freePort, startPrometheus, waitFor, type PrometheusServer } from '../../support/prometheus.js';
import { removeWrittenRunbooks, writeRunbook } from './runbooks.js';

const bin = needBinary('prometheus', 'prometheus');
const ERR = 'max(fixture_error_rate)';

describe.skipIf(!bin)('cutover health (real Prometheus)', () => {
  let app: MetricsApp;
  let prom: PrometheusServer;
  let file: string;

  beforeAll(async () => {
    app = await startMetricsApp();
    prom = await startPrometheus({ bin: bin!, targets: [app.target] });
    await prom.waitForSeries('rate(http_requests_total[5s])');
    file = writeRunbook({
      prometheus: { url: prom.url, interval: '1s' },
      health: [
        { id: 'err', title: 'Error rate', query: ERR, unit: 'ratio', warn: '> 0.1', crit: '> 0.3' },
        { id: 'rps', title: 'Requests', query: 'sum by (track) (rate(http_requests_total[5s]))', unit: 'rps', crit: '< 1' },
        {
          id: 'lat',
          title: 'Latency canary vs stable',
          compare: { canary: 'max(fixture_latency_seconds{track="canary"})', baseline: 'max(fixture_latency_seconds{track="stable"})' },
          unit: 'seconds',
          warn: 'ratio > 3',
        },
      ],
      rollback: {
        levels: [{ id: 'traffic', title: 'Traffic', steps: [{ id: 'r', title: 'R', manual: true }] }],
        triggers: [{ id: 'errors-high', when: 'err > 0.3', severity: 'critical', recommend: 'traffic' }],
      },
    });
  });
  afterAll(async () => {
    removeWrittenRunbooks();
    await prom?.stop();
    await app?.stop();
  });

  /** Sets the fixture's error rate and waits until Prometheus has scraped it. */
  async function errorRate(v: number) {
    await app.set({ errorRate: v });
    await waitFor(async () => {
      const r = await prom.query(ERR);
      return (r.data?.result as { value: [number, string] }[] | undefined)?.[0]?.value[1] === String(v);
    }, `Prometheus to see error rate ${v}`);
  }

  it.each([
    [0, 0, /^ {2}OK {6}Error rate {16}0% +warn > 10%, crit > 30%$/m, 'ok'],
    [0.2, 1, /^ {2}WARN {4}Error rate {16}20% /m, 'warning'],
    [0.5, 2, /^ {2}CRIT {4}Error rate {16}50% /m, 'critical'],
  ])('error rate %d: exit %d', async (rate, code, line, verdict) => {
    await errorRate(rate);
    const io = captureIo();
    expect(await main(['-f', file], io)).toBe(code);
    expect(io.stdout()).toMatch(line);
    expect(io.stdout()).toMatch(new RegExp(`^${verdict} \\(exit ${code}\\)$`, 'm'));
    // Multi-series panels list their top series; compare panels show both sides and the ratio.
    expect(io.stdout()).toMatch(
      /^ {2}OK {6}Requests {18}[\d.]+\/s +crit < 1\/s\n {10} +[\d.]+\/s {2}\{track="(canary|stable)"\}\n {10} +[\d.]+\/s {2}\{track="(canary|stable)"\}\n/m,
    );
    expect(io.stdout()).toMatch(/^ {2}OK {6}Latency canary vs stable {2}canary 20ms = 1× baseline 20ms {2}warn ratio > 3×$/m);
    expect(io.stderr()).toBe('');
    const json = captureIo();
    expect(await main(['-f', file, '--json'], json)).toBe(code);
    const out = JSON.parse(json.stdout());
    expect(out).toMatchObject({
      status: verdict,
      exit: code,
      panels: [
        { id: 'err', value: rate },
        { id: 'rps', seriesCount: 2 },
        { id: 'lat', compare: { ratio: 1 } },
      ],
    });
  });

  it('exits 3 when Prometheus is unreachable, naming it', async () => {
    const port = await freePort();
    const down = writeRunbook({
      prometheus: { url: `http://127.0.0.1:${port}` },
      health: [{ id: 'err', title: 'Error rate', query: ERR }],
    });
    const io = captureIo();
    expect(await main(['-f', down], io)).toBe(3);
    expect(io.stdout()).toContain(`UNREACH Error rate`);
    expect(io.stdout()).toContain(`Prometheus at http://127.0.0.1:${port} refused the connection (query '${ERR}')`);
    expect(io.stdout()).toMatch(/^unknown \(exit 3\)$/m);
  });

  it('exits 3 on no data, but 2 when another panel is critical', async () => {
    await errorRate(0.5);
    const nodata = (extra: object[]) =>
      writeRunbook({ prometheus: { url: prom.url }, health: [{ id: 'none', title: 'Nothing', query: 'nothing_here' }, ...extra] });
    const io = captureIo();
    expect(await main(['-f', nodata([])], io)).toBe(3);
    expect(io.stdout()).toContain('NODATA  Nothing  no data');
    expect(await main(['-f', nodata([{ id: 'err', title: 'E', query: ERR, crit: '> 0.3' }])], captureIo())).toBe(2);
  });

  it('colours only on a terminal without NO_COLOR', async () => {
    await errorRate(0);
    const tty = { ...captureIo(), isTTY: true };
    let out = '';
    tty.out = (s) => void (out += s);
    await main(['-f', file], tty);
    expect(out).toContain('\x1b[32mOK     \x1b[0m');
    let plain = '';
    await main(['-f', file], { ...tty, env: { NO_COLOR: '1' }, out: (s) => void (plain += s) });
    expect(plain).not.toContain('\x1b');
  });

  it('treats a runbook that does not load, or a missing -f, as a usage mistake (64)', async () => {
    const bad = writeRunbook({ prometheus: { url: prom.url }, health: [{ id: 'x', title: 'X', query: 'sum(' }] });
    const io = captureIo();
    expect(await main(['-f', bad], io)).toBe(64);
    expect(io.stderr()).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: PromQL`, 'm'));
    expect(io.stdout()).toBe('');
    const cli = captureIo();
    expect(await runCli(['health'], cli)).toBe(64);
    expect(cli.stderr()).toBe('cutover: health: name the runbook with -f RUNBOOK; usage: cutover health -f RUNBOOK [--watch] [--json]\n');
    expect(await runCli(['health', '-f', file, '--bogus'], captureIo())).toBe(64);
  });

  it('--watch prints a frame per interval with triggers, and ends cleanly when stopped', async () => {
    await errorRate(0.5);
    const ac = new AbortController();
    const io = captureIo();
    const done = runHealth({ file, watch: true, json: false }, io, ac.signal);
    await waitFor(
      () => io.stdout().includes('FIRING') && io.stdout().split('critical (exit 2)').length > 2,
      'two frames, one with the trigger firing',
    );
    ac.abort();
    expect(await done).toBe(2);
    expect(io.stdout()).toMatch(/^triggers:\n {2}FIRING {2}errors-high \(critical\): err 50% > 30% since \d\d:\d\d:\d\d$/m);
    expect(io.stdout()).toContain('rollback recommended: traffic: errors-high (critical): Error rate 50% > 30%');
    const json = captureIo();
    const ac2 = new AbortController();
    const done2 = runHealth({ file, watch: true, json: true }, json, ac2.signal);
    await waitFor(() => json.stdout().split('\n').length > 2, 'two JSON frames');
    ac2.abort();
    expect(await done2).toBe(2);
    const frames = json
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { exit: number });
    expect(frames.every((f) => f.exit === 2)).toBe(true);
  });
});
