/**
 * `cutover demo`'s engine: loads a runbook, plans and starts its simulated fleet, rewrites the
 * runbook onto it, and hands back what a session needs (runbook, environment, metrics source)
 * with a summary of what it did. The public surface of src/demo is chosen here.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRunbookFile } from '../runbook/load.js';
import type { Problem } from '../runbook/problem.js';
import type { Runbook } from '../runbook/schema.js';
import { DEGRADE_SHARE, type Scenario } from './behaviour.js';
import type { Cleanup } from './cleanup.js';
import { createDemoRoot } from './demo-root.js';
import { startFleet, type Fleet, type MetricsChoice } from './fleet.js';
import { planFleet } from './plan.js';
import { rewriteRunbook } from './rewrite.js';

export { Cleanup } from './cleanup.js';
export { SCENARIOS, type Scenario } from './behaviour.js';
export type { Fleet, MetricsChoice } from './fleet.js';

/** The runbook `cutover demo` runs when given none: DESIGN.md's blue-green deploy, with three gates. */
export const DEFAULT_RUNBOOK = fileURLToPath(new URL('../../fixtures/runbooks/blue-green-gates.yaml', import.meta.url));
/** The time scale when none is given: a 5-minute soak takes 30 s. */
export const DEFAULT_TIME_SCALE = 10;

/** How to start a demo. */
export interface DemoOptions {
  runbookPath?: string;
  scenario: Scenario;
  timeScale: number;
  metrics: MetricsChoice;
  env: NodeJS.ProcessEnv;
  /** Owns everything started; the caller runs it when the demo ends. */
  cleanup: Cleanup;
  progress?: (line: string) => void;
}

/** A started demo: what to give the session, and what was done. */
export interface Demo {
  runbook: Runbook;
  runbookPath: string;
  runbookSha256: string;
  /** The session's environment: HOME is the temporary one (its ~/.ssh), journals go where they always do. */
  env: NodeJS.ProcessEnv;
  metricsSource: 'prometheus' | 'simulated';
  fleet: Fleet;
  root: string;
  /** Lines that say what the demo did, for the operator. */
  summary: string[];
}

/** The runbook does not load; `problems` says where and why. */
export class DemoRunbookError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems[0]?.file ?? 'runbook'}: does not load`);
  }
}

/** Starts the fleet for a runbook. On failure, whatever started is left to `o.cleanup.run()`. */
export async function startDemo(o: DemoOptions): Promise<Demo> {
  const runbookPath = o.runbookPath ?? DEFAULT_RUNBOOK;
  if (!o.runbookPath && !existsSync(DEFAULT_RUNBOOK))
    throw new Error(
      `the default demo runbook (fixtures/runbooks/blue-green-gates.yaml) ships with cutover's source and is not at ${DEFAULT_RUNBOOK}; run from a checkout of the repository, or pass --runbook FILE`,
    );
  // The demo replaces prometheus, alertmanager, ssh paths and hosts, so their ${VAR} need not be set.
  const loaded = loadRunbookFile(runbookPath, null);
  if (!loaded.runbook) throw new DemoRunbookError(loaded.problems);
  const plan = planFleet(loaded.runbook);
  // Watched over: even a SIGKILL of the demo leaves nothing behind (demo-root.ts).
  const root = createDemoRoot(o.cleanup, o.progress);
  const fleet = await startFleet({
    plan,
    scenario: o.scenario,
    root,
    metrics: o.metrics,
    env: o.env,
    cleanup: o.cleanup,
    ...(o.progress ? { progress: o.progress } : {}),
  });
  const { runbook, changes } = rewriteRunbook(
    loaded.runbook,
    plan,
    { promUrl: fleet.metrics.url, identityFile: fleet.ssh.identityFile, knownHosts: fleet.ssh.knownHosts, appAddress: fleet.appAddress },
    o.timeScale,
  );
  const env: NodeJS.ProcessEnv = { ...o.env, HOME: fleet.ssh.home, XDG_STATE_HOME: stateHome(o.env) };
  // An agent's keys are never needed (and a confirm-on-use agent would prompt for each host).
  delete env.SSH_AUTH_SOCK;
  const hosts = fleet.hosts.map((h) => {
    const p = plan.hosts.find((x) => x.name === h.name)!;
    return `${h.name} 127.0.0.1:${h.port} (${p.role}${p.pool ? ` ${p.pool}` : ''})`;
  });
  // Without a load balancer nothing ramps by weight: the first host on the new release is the canary (behaviour.ts).
  const weighted = plan.hosts.some((h) => h.role === 'lb');
  const breaks = weighted
    ? `once it takes ${DEGRADE_SHARE * 100}% of the traffic`
    : 'as soon as it serves any traffic (no load balancer: its first host is the canary)';
  const story =
    o.scenario === 'degrade'
      ? `degrade: the new release breaks ${breaks} (errors, latency, memory); ${runbook.rollback?.triggers?.length ? 'watch a trigger fire and recommend a rollback' : 'this runbook has no triggers, so nothing will recommend a rollback: watch the health panels'}`
      : 'healthy: the new release behaves; the deploy goes through to the end';
  const preloaded = plan.next ? plan.hosts.filter((h) => h.release === plan.next).map((h) => h.name) : [];
  const summary = [
    `cutover demo: ${runbookPath} on a simulated fleet (the file itself is not changed)`,
    `  scenario ${story}`,
    `  hosts: ${hosts.join(', ')}: ssh2 servers that accept only this run's key`,
    `  metrics: ${fleet.metrics.detail}`,
    '  the runbook, rewritten in memory:',
    ...changes.map((c) => `    ${c}`),
    `  stable release ${plan.stable}; files under ${root} (removed on exit)`,
    ...(preloaded.length
      ? [
          `  ${preloaded.join(', ')} already run${preloaded.length === 1 ? 's' : ''} ${plan.next} with no traffic: no step of the runbook deploys it there`,
        ]
      : []),
    '  keys: Enter runs the selected step (Down for the next), Enter then g then Enter says go at a gate;',
    '        once a rollback is recommended: 4, R, then capital Y; an automatic one starts by itself',
    '        when its countdown ends unless you press c; q quits; ? lists every key',
  ];
  return { runbook, runbookPath, runbookSha256: loaded.sha256 ?? '', env, metricsSource: fleet.metrics.kind, fleet, root, summary };
}

/** Where journals go for the operator (the session's HOME is the temporary one). */
function stateHome(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_STATE_HOME;
  return xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.local', 'state');
}
