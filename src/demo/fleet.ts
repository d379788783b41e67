/**
 * Starts the simulated fleet of a plan under a temporary directory: sandboxes and tools, one
 * ssh2 server per host, the apps and their simulation, the temporary ~/.ssh, and the metrics (a
 * real Prometheus when one is on PATH, else the simulated endpoint). Everything started is
 * registered with the cleanup as it starts, so a failure halfway leaves nothing behind either.
 */
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scenario } from './behaviour.js';
import type { Cleanup } from './cleanup.js';
import { runningCommands, signalGroup } from './exec.js';
import { newKeyPair, writeSshHome, type DemoSsh } from './keys.js';
import { demoMark } from './leftovers.js';
import type { FleetPlan } from './plan.js';
import { findPrometheus, startPrometheus } from './prometheus.js';
import { startQueryServer } from './query-server.js';
import { createSandbox, installTools } from './sandbox.js';
import { SampleStore, SCRAPE_MS } from './series-store.js';
import { Simulation } from './simulation.js';
import { startSshHost } from './ssh-host.js';

/** How much history the simulated endpoint starts with: enough for the sparklines' windows. */
const HISTORY_MS = 2 * 60_000;

/** Which metrics backend to use: a real Prometheus if found (auto), or insist on one. */
export type MetricsChoice = 'auto' | 'prometheus' | 'simulated';

/** How the fleet starts. */
export interface FleetOptions {
  plan: FleetPlan;
  scenario: Scenario;
  /** The temporary directory everything lives in (removed by the cleanup). */
  root: string;
  metrics: MetricsChoice;
  env: NodeJS.ProcessEnv;
  cleanup: Cleanup;
  /** Told what is happening while it starts (the wait for Prometheus takes seconds). */
  progress?: (line: string) => void;
}

/** A running fleet. */
export interface Fleet {
  hosts: { name: string; original: string; port: number; appPort: number }[];
  ssh: DemoSsh;
  metrics: { kind: 'prometheus' | 'simulated'; url: string; detail: string };
  simulation: Simulation;
  /** `127.0.0.1:PORT` of a host's app, by the runbook's host name. */
  appAddress(original: string): string | undefined;
}

/** Starts the fleet; on failure what was started is cleaned up by `o.cleanup.run()`. */
export async function startFleet(o: FleetOptions): Promise<Fleet> {
  const { plan, root, cleanup } = o;
  cleanup.add({
    what: `remove ${root}`,
    async: () => rm(root, { recursive: true, force: true }),
    sync: () => rmSync(root, { recursive: true, force: true }),
  });
  cleanup.add({
    what: 'stop commands still running on the demo hosts',
    async: () => {
      for (const c of [...runningCommands]) signalGroup(c, 'SIGKILL');
    },
    sync: () => {
      for (const c of [...runningCommands]) signalGroup(c, 'SIGKILL');
    },
  });
  const tools = join(root, 'tools');
  installTools(tools);
  const userKey = newKeyPair('cutover-demo-user');
  const sandboxes = new Map(plan.hosts.map((h) => [h.name, join(root, 'hosts', h.name)]));
  for (const h of plan.hosts) createSandbox(sandboxes.get(h.name)!, h, plan);

  // The simulated endpoint gets a history (as if the fleet had been running): its clock starts
  // in the past and catches up before anything is shown. A real Prometheus only sees the live apps.
  const clock: { virtual?: number } = {};
  const now = () => clock.virtual ?? Date.now();
  const bin = o.metrics === 'simulated' ? undefined : findPrometheus(o.env);
  if (!bin) clock.virtual = Date.now() - HISTORY_MS;
  const simulation = new Simulation(plan, o.scenario, sandboxes, now);
  cleanup.add({ what: 'stop the simulation', async: () => simulation.stop(), sync: () => simulation.stop() });
  const apps = [...simulation.apps.values()];
  // Registered before listening: when one app cannot listen, the others that could are closed too.
  cleanup.add({ what: 'close the apps', async: async () => void (await Promise.all(apps.map((a) => a.close()))), sync: () => {} });
  // Every listen settles before a failure is reported, so the cleanup never closes an app mid-listen.
  const listened = await Promise.allSettled(apps.map((a) => a.listen(() => simulation.health(a.host))));
  const failed = listened.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const appPorts = listened.map((r) => (r as PromiseFulfilledResult<number>).value);

  const basePath = o.env.PATH || '/usr/local/bin:/usr/bin:/bin';
  const settled = await Promise.allSettled(
    plan.hosts.map(async (h, i) => {
      const key = newKeyPair(`cutover-demo-host-${h.name}`);
      const env = {
        PATH: `${tools}:${basePath}`,
        HOME: sandboxes.get(h.name)!,
        SHELL: '/bin/bash',
        LANG: o.env.LANG ?? 'C.UTF-8',
        TERM: 'dumb',
        DEMO_HOST: h.name,
        DEMO_APP_PORT: String(appPorts[i]),
        ...demoMark(root),
      };
      const host = await startSshHost({
        name: h.name,
        hostKey: key.private,
        userKey: userKey.parsed,
        shell: { dir: sandboxes.get(h.name)!, env },
      });
      // sync too: a host that comes up after the cleanup already ran (another host failed) is stopped at once.
      cleanup.add({ what: `stop ${h.name}`, async: () => host.stop(), sync: () => void host.stop() });
      return { host, publicKey: key.public };
    }),
  );
  const failedHost = settled.find((r) => r.status === 'rejected');
  if (failedHost) throw failedHost.reason;
  const started = settled.map(
    (r) => (r as PromiseFulfilledResult<{ host: Awaited<ReturnType<typeof startSshHost>>; publicKey: string }>).value,
  );
  const ssh = writeSshHome(
    join(root, 'home'),
    userKey,
    started.map((s) => ({ name: s.host.name, port: s.host.port, publicKey: s.publicKey })),
  );
  const hosts = plan.hosts.map((h, i) => ({ name: h.name, original: h.original, port: started[i].host.port, appPort: appPorts[i] }));

  // Live from now on for a real Prometheus; the simulated endpoint first catches up on history.
  if (clock.virtual === undefined) simulation.start();
  const metrics = await startMetrics(o, bin, simulation, hosts, clock);
  simulation.start();
  const byOriginal = new Map(hosts.map((h) => [h.original.toLowerCase(), `127.0.0.1:${h.appPort}`]));
  return { hosts, ssh, metrics, simulation, appAddress: (original) => byOriginal.get(original.toLowerCase()) };
}

async function startMetrics(
  o: FleetOptions,
  bin: string | undefined,
  simulation: Simulation,
  hosts: Fleet['hosts'],
  clock: { virtual?: number },
): Promise<Fleet['metrics']> {
  if (o.metrics === 'prometheus' && !bin)
    throw new Error('--metrics prometheus: no prometheus on PATH; install it (apt-get install prometheus) or use --metrics simulated');
  const n = hosts.length;
  if (bin) {
    o.progress?.(`starting prometheus (${bin}); its first scrape takes about 5 seconds...`);
    const targets = hosts.map((h) => ({ port: h.appPort, labels: simulation.apps.get(h.name)!.labels }));
    try {
      const prom = await startPrometheus(bin, join(o.root, 'prometheus'), targets, (p) =>
        o.cleanup.add({
          what: 'stop prometheus',
          async: () => p.stop(),
          sync: () => {
            if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
          },
        }),
      );
      return {
        kind: 'prometheus',
        url: prom.url,
        detail: `prometheus ${prom.version} at ${prom.url}, scraping ${n} simulated app${n === 1 ? '' : 's'} every 1s`,
      };
    } catch (e) {
      if (o.metrics === 'prometheus') throw e;
      o.progress?.(`${(e as Error).message}; using the simulated query endpoint instead`);
    }
  }
  const store = new SampleStore(
    () => [...simulation.apps.values()],
    () => clock.virtual ?? Date.now(),
  );
  for (; clock.virtual !== undefined && clock.virtual < Date.now(); clock.virtual += SCRAPE_MS) {
    simulation.tick();
    await store.scrape();
  }
  delete clock.virtual;
  store.start();
  o.cleanup.add({ what: 'stop the sample store', async: () => store.stop(), sync: () => store.stop() });
  const server = await startQueryServer(store);
  o.cleanup.add({ what: 'stop the query endpoint', async: () => server.stop(), sync: () => {} });
  const why = o.metrics === 'simulated' ? 'as asked' : 'no prometheus on PATH';
  return {
    kind: 'simulated',
    url: server.url,
    detail: `simulated query endpoint at ${server.url} (${why}), answering the demo runbooks' PromQL from the ${n} apps' registries`,
  };
}
