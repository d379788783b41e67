/**
 * A real Prometheus (Debian's `prometheus`) for tests: 127.0.0.1 on a free port, a temporary
 * config (scrape and evaluation every 1 s) and data dir, ready when /-/ready answers. It can be
 * killed and started again on the same port and data, as an outage would.
 *
 * Note: Prometheus's service discovery hands targets to the scraper about 5 s after start, so
 * the first samples come ~5 s after ready; use waitForSeries before asserting on values.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/demo/ports.js';
export { freePort };

/** What the temporary Prometheus scrapes and evaluates. */
export interface PrometheusOptions {
  bin: string;
  /** Scrape targets, `host:port`, in one job named `app`. */
  targets: string[];
  /** A rule file's YAML text (groups: ...). */
  rules?: string;
  /** Alertmanagers to send alerts to, `host:port`. */
  alertmanagers?: string[];
  /** More command-line flags. */
  args?: string[];
}

/** A running (or stopped) Prometheus. */
export interface PrometheusServer {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the process (SIGKILL by default: a crash) but keeps port and data for `restart`. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data dir; resolves when ready. */
  restart(): Promise<void>;
  /** Stops it and removes its files. */
  stop(): Promise<void>;
  /** The raw JSON of an instant query, straight from the API (for comparing with the driver). */
  query(q: string, timeMs?: number): Promise<{ status: string; data?: { resultType: string; result: unknown }; error?: string }>;
  /** Waits until `q` returns at least one series. */
  waitForSeries(q: string, timeoutMs?: number): Promise<void>;
  /** The end of Prometheus's log, for failure messages. */
  log(): string;
}

/** Polls `f` until it returns a truthy value (or stops throwing); fails with `what` after the deadline. */
export async function waitFor<T>(f: () => T | Promise<T>, what: string, timeoutMs = 20_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Starts Prometheus and waits for /-/ready. */
export async function startPrometheus(o: PrometheusOptions): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-prom-'));
  const dataDir = join(dir, 'data');
  const config: Record<string, unknown> = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    scrape_configs: [{ job_name: 'app', static_configs: [{ targets: o.targets }] }],
  };
  if (o.rules) {
    writeFileSync(join(dir, 'rules.yml'), o.rules);
    config.rule_files = [join(dir, 'rules.yml')];
  }
  if (o.alertmanagers) config.alerting = { alertmanagers: [{ static_configs: [{ targets: o.alertmanagers }] }] };
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...(o.args ?? []),
  ];
  const proc = new ManagedProcess('prometheus', o.bin, args, `${url}/-/ready`);
  await proc.start();

  const server: PrometheusServer = {
    url,
    port,
    dataDir,
    kill: (signal = 'SIGKILL') => proc.kill(signal),
    restart: () => proc.start(),
    async stop() {
      await proc.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    async query(q, timeMs) {
      const u = new URL(`${url}/api/v1/query`);
      u.searchParams.set('query', q);
      if (timeMs !== undefined) u.searchParams.set('time', String(timeMs / 1000));
      return (await fetch(u)).json() as ReturnType<PrometheusServer['query']>;
    },
    async waitForSeries(q, timeoutMs = 20_000) {
      await waitFor(
        async () => {
          const r = await server.query(q);
          return Array.isArray(r.data?.result) && (r.data.result as unknown[]).length > 0;
        },
        `Prometheus to have series for ${q}`,
        timeoutMs,
      );
    },
    log: () => proc.log(),
  };
  return server;
}

/** A long-running test binary: started, polled until ready, killed and awaited. */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private output = '';
  private readonly killOnExit = () => this.child?.kill('SIGKILL');

  constructor(
    private readonly name: string,
    private readonly bin: string,
    private readonly args: string[],
    private readonly readyUrl: string,
  ) {}

  /** Spawns the binary and resolves once `readyUrl` answers 200; throws with the log if it dies first. */
  async start(timeoutMs = 20_000): Promise<void> {
    const child = spawn(this.bin, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (d: Buffer) => void (this.output = (this.output + d.toString()).slice(-16_384));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    process.once('exit', this.killOnExit);
    let exited = false;
    child.once('exit', () => (exited = true));
    await waitFor(
      async () => {
        if (exited) throw new Error(`${this.name} exited during start-up:\n${this.output}`);
        const res = await fetch(this.readyUrl).catch(() => undefined);
        return res?.status === 200;
      },
      `${this.name} to be ready at ${this.readyUrl}`,
      timeoutMs,
      50,
    ).catch((e: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${e.message}\n${this.output}`);
    });
  }

  /** Sends `signal` and waits for the process to exit (SIGKILL after 5 s). */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    process.removeListener('exit', this.killOnExit);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(hard);
  }

  /** The end of the process's output. */
  log(): string {
    return this.output;
  }
}
