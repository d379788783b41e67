#!/usr/bin/env node
// Benchmark: 50 panels polled every second for 60 s (BENCH_SECONDS to shorten) against a real
// Prometheus scraping a prom-client fixture app. Prints requests issued vs expected, p50/p99
// poll latency and the poller's CPU (this process only: the app runs in a child process).
// Needs `npm run build` (imports dist/) and Debian's prometheus on PATH.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPoller } from '../../dist/drivers/prometheus/index.js';
import { loadRunbookText } from '../../dist/runbook/load.js';

const PANELS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const root = fileURLToPath(new URL('../..', import.meta.url));
const children = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
async function waitFor(f, what, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await f().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The fixture app: 100 requests/s per track, 1% errors on canary, in its own process.
const APP = `
import { createServer } from 'node:http';
import { Counter, Histogram, Registry } from 'prom-client';
const reg = new Registry();
const c = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['track', 'code'], registers: [reg] });
const h = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['track'], registers: [reg] });
let n = 0;
setInterval(() => { for (const t of ['canary', 'stable']) for (let i = 0; i < 5; i++) { n++; c.labels(t, t === 'canary' && n % 100 === 0 ? '500' : '200').inc(); h.labels(t).observe(0.01 + (n % 7) / 100); } }, 50);
createServer(async (q, s) => s.end(await reg.metrics())).listen(Number(process.env.PORT), '127.0.0.1');
`;

const bin = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin']
  .map((d) => join(d, 'prometheus'))
  .find((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
if (!bin) {
  console.log("SKIPPED: prometheus not found; install Debian's 'prometheus' to run this benchmark");
  process.exit(0);
}
const appPort = await freePort();
const app = spawn(process.execPath, ['--input-type=module', '-e', APP], {
  cwd: root,
  env: { ...process.env, PORT: String(appPort) },
  stdio: 'inherit',
});
children.push(app);

const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-'));
const promPort = await freePort();
writeFileSync(
  join(dir, 'prometheus.yml'),
  JSON.stringify({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: [{ job_name: 'app', static_configs: [{ targets: [`127.0.0.1:${appPort}`] }] }],
  }),
);
const prom = spawn(
  bin,
  [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    '--log.level=error',
  ],
  { stdio: 'ignore' },
);
children.push(prom);
const url = `http://127.0.0.1:${promPort}`;
await waitFor(async () => (await fetch(`${url}/-/ready`)).ok, 'Prometheus ready');
await waitFor(
  async () =>
    (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent('sum(rate(http_requests_total[5s]))')}`)).json()).data.result
      .length > 0,
  'first samples',
);

// 50 distinct panels of the kinds a runbook holds: ratios, rates by label, quantiles, compares.
const kinds = [
  (i) => `query: 'sum(rate(http_requests_total{code="500"}[1m])) / sum(rate(http_requests_total[1m])) * ${i + 1}'`,
  (i) => `query: 'sum by (track) (rate(http_requests_total[${i + 10}s]))'`,
  (i) => `query: 'histogram_quantile(0.${50 + i}, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))'`,
  (i) =>
    `compare: { canary: 'sum(rate(http_requests_total{track="canary"}[${i + 10}s]))', baseline: 'sum(rate(http_requests_total{track="stable"}[${i + 10}s]))' }`,
];
const health = Array.from({ length: PANELS }, (_, i) => `  - { id: p${i}, title: Panel ${i}, ${kinds[i % kinds.length](i)} }`).join('\n');
const loaded = loadRunbookText(
  'bench.yaml',
  `name: bench\nprometheus: { url: "${url}", interval: 1s, timeout: 4s }\nhealth:\n${health}\nphases: [{ id: p, title: P, steps: [] }]\n`,
);
if (!loaded.runbook) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
const compares = loaded.runbook.health.filter((p) => p.compare).length;

// Counts every HTTP request the poller issues, and times it from sending to the body read.
const latencies = [];
let instant = 0;
let range = 0;
const timedFetch = async (u, init) => {
  if (String(u).includes('query_range')) range++;
  else instant++;
  const t0 = performance.now();
  const res = await fetch(u, init);
  const body = await res.text();
  latencies.push(performance.now() - t0);
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
};

let samples = 0;
let failures = 0;
const ctx = {
  now: () => Date.now(),
  emit: (e) => {
    if (e.type === 'metric/sampled') samples++;
    if (e.type === 'metric/failed') failures++;
  },
};
// Other work on the machine slows Prometheus down; the load average says whether figures are comparable.
const load0 = loadavg()[0].toFixed(1);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const poller = startPoller(loaded.runbook, ctx, { fetch: timedFetch });
// Stop half an interval before the end: polls due at 0, 1, ..., SECONDS-1 s are counted, no boundary round.
await new Promise((r) => setTimeout(r, SECONDS * 1000 - 500));
await poller.stop();
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);

const sorted = latencies.sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
// Each panel polls at t = 0, 1, ..., SECONDS-1 s; a compare panel asks twice per poll.
const polls = PANELS * SECONDS;
const expected = polls + compares * SECONDS;
console.log(
  `panels ${PANELS} (${compares} compare), interval 1s, ${(wall / 1000).toFixed(1)} s; machine load average ${load0} before, ${loadavg()[0].toFixed(1)} after`,
);
console.log(`polls: ${samples + failures} of ${polls} expected (${samples} samples, ${failures} failures)`);
console.log(
  `instant requests: ${instant} issued vs ${expected} expected (${((100 * instant) / expected).toFixed(1)}%), plus ${range} query_range for sparklines`,
);
console.log(`request latency: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${sorted.at(-1).toFixed(1)} ms`);
console.log(
  `poller CPU: ${((100 * (cpu.user + cpu.system)) / 1000 / wall).toFixed(1)}% of one core (user ${(cpu.user / 1e6).toFixed(2)} s, system ${(cpu.system / 1e6).toFixed(2)} s)`,
);

for (const c of children) c.kill('SIGTERM');
await new Promise((r) => setTimeout(r, 300));
rmSync(dir, { recursive: true, force: true });
process.exit(failures ? 1 : 0);
