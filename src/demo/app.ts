/**
 * The simulated app of one host, instrumented with prom-client like a real Node service:
 * requests by status code, a latency histogram, jobs processed (throughput), memory against its
 * limit, the new code path's speedup, the health check, and build info. The simulation calls
 * `advance` a few times a second with the traffic it gets and how it behaves; the metrics are
 * served on 127.0.0.1 at /metrics (for a real Prometheus), with /healthz for `http` steps.
 * Database hosts report `pg_up` instead, load balancers their weights.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';
import { latencyOf, type Behaviour } from './behaviour.js';
import type { Role } from './plan.js';

/** Latency buckets, seconds: fine below 1 s, enough above to tell 2 s from 5 s. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10];
const MEMORY_LIMIT = 512 * 1024 * 1024;
/** Seconds for memory to move 63% of the way to where the behaviour settles it. */
const MEMORY_TAU = 4;

/** One tick of an app's life. */
export interface AppTick {
  dt: number;
  running: boolean;
  version: string;
  /** Requests per second it serves now. */
  rps: number;
  behaviour: Behaviour;
  /** Load balancer weights (lb hosts only). */
  weights?: Record<string, number>;
}

/** A host's app: its registry, its HTTP listener, and the labels Prometheus attaches to it. */
export class SimApp {
  readonly registry = new Registry();
  /** Target labels (instance, job, pool, color, track), added by the scrape, never by the app. */
  readonly labels: Record<string, string>;
  private readonly requests: Counter<'code'>;
  private readonly latency: Histogram;
  private readonly jobs: Counter;
  private readonly memUsed: Gauge;
  private readonly speedup: Gauge<'path'>;
  private readonly healthUp: Gauge;
  private readonly build: Gauge<'version'>;
  private readonly pgUp: Gauge;
  private readonly weight: Gauge<'pool'>;
  private served = 0;
  private debt = 0;
  private memory = 0.5;
  private server: Server | undefined;

  constructor(
    readonly host: string,
    readonly role: Role,
    pool?: string,
  ) {
    this.labels = {
      instance: host,
      job: 'demo',
      ...(pool ? { pool, color: pool, track: /canary/i.test(pool) ? 'canary' : 'stable' } : {}),
    };
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by status code',
      labelNames: ['code'],
      registers: [],
    });
    this.latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      buckets: LATENCY_BUCKETS,
      registers: [],
    });
    this.jobs = new Counter({ name: 'app_jobs_processed_total', help: 'Background jobs processed (throughput)', registers: [] });
    this.memUsed = new Gauge({ name: 'app_memory_used_bytes', help: 'Memory in use', registers: [] });
    const limit = new Gauge({ name: 'app_memory_limit_bytes', help: 'Memory limit of the service', registers: [] });
    this.speedup = new Gauge({
      name: 'app_speedup_ratio',
      help: 'How many times faster the new code path is than the old one (only while it runs)',
      labelNames: ['path'],
      registers: [],
    });
    this.healthUp = new Gauge({ name: 'app_healthcheck_up', help: '1 while the health endpoint answers', registers: [] });
    this.build = new Gauge({ name: 'app_build_info', help: 'The release the service runs', labelNames: ['version'], registers: [] });
    this.pgUp = new Gauge({ name: 'pg_up', help: '1 while the database answers', registers: [] });
    this.weight = new Gauge({ name: 'lb_backend_weight', help: 'Share of traffic per pool, percent', labelNames: ['pool'], registers: [] });
    const mine: Metric<string>[] =
      role === 'db'
        ? [this.pgUp]
        : role === 'lb'
          ? [this.weight]
          : role === 'tool'
            ? []
            : [this.requests, this.latency, this.jobs, this.memUsed, limit, this.speedup, this.healthUp, this.build];
    for (const m of mine) this.registry.registerMetric(m);
    limit.set(MEMORY_LIMIT);
    // Both codes exist from the start, so an error ratio is 0 rather than "no data".
    this.requests.inc({ code: '200' }, 0);
    this.requests.inc({ code: '500' }, 0);
  }

  /** Moves the app forward by `tick.dt` seconds. */
  advance(tick: AppTick): void {
    if (this.role === 'db') return void this.pgUp.set(tick.running ? 1 : 0);
    if (this.role === 'lb') {
      for (const [pool, w] of Object.entries(tick.weights ?? {})) this.weight.set({ pool }, w);
      return;
    }
    if (this.role === 'tool') return;
    const b = tick.behaviour;
    this.healthUp.set(tick.running ? 1 : 0);
    this.build.reset();
    this.build.set({ version: tick.version }, 1);
    // Labelled, so that it disappears (no data) rather than reads 0 where the new path is off.
    if (b.speedup !== undefined && tick.running) this.speedup.set({ path: 'new' }, b.speedup);
    else this.speedup.reset();
    this.memory += ((tick.running ? b.memory : 0.05) - this.memory) * (1 - Math.exp(-tick.dt / MEMORY_TAU));
    this.memUsed.set(Math.round(this.memory * MEMORY_LIMIT));
    if (!tick.running) return;
    // Counters move by fractions so that rates are smooth even for a pool at 1% of traffic.
    const n = tick.rps * tick.dt;
    this.requests.inc({ code: '200' }, n * (1 - b.errorRatio));
    this.requests.inc({ code: '500' }, n * b.errorRatio);
    this.jobs.inc(b.jobsPerSec * tick.dt);
    this.debt += n;
    for (; this.debt >= 1; this.debt--) this.latency.observe(latencyOf(b, this.served++));
  }

  /** Serves /metrics, and /healthz (also / as the front page) on 127.0.0.1; resolves with the port. */
  async listen(health: () => { ok: boolean; text: string }): Promise<number> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/metrics') {
        this.registry.metrics().then(
          (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
          () => res.writeHead(500).end(),
        );
      } else if (path === '/' || path === '/healthz' || path === '/health' || path === '/api/health') {
        const h = health();
        res.writeHead(h.ok ? 200 : 503, { 'content-type': 'text/plain' }).end(`${h.text}\n`);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`${this.host}: no ${path} here; try /metrics or /healthz\n`);
      }
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Closes the listener and any connection still open. */
  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
