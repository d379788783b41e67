/**
 * A real Prometheus for the demo, when one is on PATH: a temporary config that scrapes every
 * simulated app each second (target labels instance, pool, color, track, as the simulated
 * endpoint adds them), a temporary data directory, 127.0.0.1 on a free port. Ready once it
 * answers /-/ready and has scraped every app once (its discovery hands targets over after ~5 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { demoMark } from './leftovers.js';
import { freePort } from './ports.js';

/** A scrape target: an app's /metrics and the labels Prometheus attaches. */
export interface ScrapeTarget {
  port: number;
  labels: Record<string, string>;
}

/** A running Prometheus. */
export interface DemoPrometheus {
  url: string;
  version: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The path of `prometheus` on PATH, or undefined. */
export function findPrometheus(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, 'prometheus'), constants.X_OK);
      return join(dir, 'prometheus');
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Starts Prometheus in `dir`; rejects with its log when it does not come up within `timeoutMs`.
 * `spawned` hears of the process the moment it exists, so a signal during the wait can stop it.
 */
export async function startPrometheus(
  bin: string,
  dir: string,
  targets: ScrapeTarget[],
  spawned: (p: Pick<DemoPrometheus, 'child' | 'stop'>) => void,
  timeoutMs = 30_000,
): Promise<DemoPrometheus> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    scrape_configs: [{ job_name: 'demo', static_configs: targets.map((t) => ({ targets: [`127.0.0.1:${t.port}`], labels: t.labels })) }],
  };
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    '--storage.tsdb.retention.time=2h',
  ];
  // Its own process group: a Ctrl-C in the terminal reaches cutover, which stops it in order.
  // Marked as the demo's, so that a SIGKILL of the demo does not leave it running (demo-root.ts).
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...demoMark(dir) } });
  let log = '';
  const keep = (d: Buffer) => void (log = (log + d.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(hard);
  };
  spawned({ child, stop });
  const deadline = Date.now() + timeoutMs;
  let version = '';
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`prometheus exited while starting: ${log.trim().split('\n').slice(-3).join(' | ')}`);
      if (Date.now() > deadline)
        throw new Error(
          `prometheus did not scrape the demo apps within ${timeoutMs / 1000}s: ${log.trim().split('\n').slice(-2).join(' | ') || 'no output'}`,
        );
      const up = await fetchJson(`${url}/api/v1/query?query=${encodeURIComponent('count(up == 1)')}`);
      const n = Number((up?.data as { result?: { value?: [number, string] }[] })?.result?.[0]?.value?.[1] ?? 0);
      if (n >= targets.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const info = await fetchJson(`${url}/api/v1/status/buildinfo`);
    version = String((info?.data as { version?: string })?.version ?? '');
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, version, child, stop };
}

async function fetchJson(url: string): Promise<{ data?: unknown } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as { data?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}
