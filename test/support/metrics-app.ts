/**
 * The fixture app Prometheus scrapes: a real HTTP server on 127.0.0.1 instrumented with
 * prom-client. It serves itself 100 requests a second per track (canary and stable), so rate()
 * always has data; a test sets each track's error rate and latency with POST /control.
 * Errors are spread exactly (not at random): with errorRate 0.2, every fifth request fails.
 * `jitterMs` makes a track's latency noisy without changing its mean: each second its latency is
 * drawn uniformly from latencyMs ± jitterMs (a fixed-seed generator, so runs are alike).
 *
 * Metrics: http_requests_total{track,code}, http_request_duration_seconds{track} (histogram),
 * fixture_error_rate{track} and fixture_latency_seconds{track} (gauges of the settings).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The two tracks a compare panel can set against each other. */
export type Track = 'canary' | 'stable';

/** What POST /control takes; `track` defaults to both. */
export interface Control {
  errorRate?: number;
  latencyMs?: number;
  /** Noise around latencyMs, redrawn every second (default 0). */
  jitterMs?: number;
  track?: Track | 'both';
}

/** A running fixture app. */
export interface MetricsApp {
  port: number;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** `host:port`, as a scrape target. */
  target: string;
  /** Sets error rate and latency over HTTP, as a test would from outside. */
  set(c: Control): Promise<void>;
  stop(): Promise<void>;
}

const TICK_MS = 50;
const PER_TICK = 5;

/** Starts the app on a free port of 127.0.0.1. */
export async function startMetricsApp(): Promise<MetricsApp> {
  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'Requests served',
    labelNames: ['track', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Request latency',
    labelNames: ['track'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errorGauge = new Gauge({ name: 'fixture_error_rate', help: 'Error rate setting', labelNames: ['track'], registers: [registry] });
  const latencyGauge = new Gauge({
    name: 'fixture_latency_seconds',
    help: 'Latency setting',
    labelNames: ['track'],
    registers: [registry],
  });

  const tracks: Track[] = ['canary', 'stable'];
  const settings: Record<Track, { errorRate: number; latencyMs: number; jitterMs: number; noise: number; debt: number }> = {
    canary: { errorRate: 0, latencyMs: 20, jitterMs: 0, noise: 0, debt: 0 },
    stable: { errorRate: 0, latencyMs: 20, jitterMs: 0, noise: 0, debt: 0 },
  };
  let seed = 12345;
  // A small linear congruential generator: the same noise every run.
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  let ticks = 0;
  for (const tr of tracks) {
    // Both codes exist from the start, so ratios of 5xx to all are 0, not "no data".
    requests.labels(tr, '200').inc(0);
    requests.labels(tr, '500').inc(0);
    errorGauge.labels(tr).set(0);
    latencyGauge.labels(tr).set(0.02);
  }

  const tick = setInterval(() => {
    const redraw = ticks++ % (1000 / TICK_MS) === 0;
    for (const tr of tracks) {
      const s = settings[tr];
      if (redraw) s.noise = s.jitterMs * (2 * random() - 1);
      for (let i = 0; i < PER_TICK; i++) {
        s.debt += s.errorRate;
        const fail = s.debt >= 1 - 1e-9;
        if (fail) s.debt -= 1;
        requests.labels(tr, fail ? '500' : '200').inc();
        duration.labels(tr).observe((s.latencyMs + s.noise) / 1000);
      }
    }
  }, TICK_MS);

  const server: Server = createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === '/metrics') {
        res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
      } else if (req.method === 'POST' && req.url === '/control') {
        const c = JSON.parse(await readBody(req)) as Control;
        for (const tr of c.track === undefined || c.track === 'both' ? tracks : [c.track]) {
          if (c.errorRate !== undefined) {
            settings[tr].errorRate = c.errorRate;
            errorGauge.labels(tr).set(c.errorRate);
          }
          if (c.jitterMs !== undefined) settings[tr].jitterMs = c.jitterMs;
          if (c.latencyMs !== undefined) {
            settings[tr].latencyMs = c.latencyMs;
            latencyGauge.labels(tr).set(c.latencyMs / 1000);
          }
        }
        res.writeHead(204).end();
      } else {
        res.writeHead(404).end('not found\n');
      }
    } catch (e) {
      res.writeHead(400).end(`${(e as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    target: `127.0.0.1:${port}`,
    async set(c) {
      const res = await fetch(`${url}/control`, {
        method: 'POST',
        body: JSON.stringify(c),
        headers: { 'content-type': 'application/json' },
      });
      if (res.status !== 204) throw new Error(`fixture app /control answered ${res.status}: ${await res.text()}`);
    },
    async stop() {
      clearInterval(tick);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (s += d));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}
