/**
 * The runbook the demo runs: the user's, pointed at the fleet. Host groups name the demo hosts
 * (reached through the temporary ~/.ssh/config), ssh uses the run's key and known_hosts with
 * verification on and no jump host, prometheus is the demo's, alertmanager is dropped, every
 * `http` step goes to the fleet (aimed at a runbook host: that host's app; anywhere else, the
 * real internet or a `${VAR}`: the front host's app, the load balancer's when there is one), and
 * durations are time-scaled. The
 * user's file is never written; what changed is listed for the operator.
 */
import type { Panel, Runbook, Step } from '../runbook/schema.js';
import { formatDuration } from '../runbook/duration.js';
import type { FleetPlan } from './plan.js';
import { FLOOR, scaleMs, scaleQuery } from './timescale.js';
import { DEFAULT_JUDGE_EVERY_MS, JUDGE_DEFAULTS } from '../runbook/judge-fields.js';

/** Where the fleet answers. */
export interface FleetEndpoints {
  promUrl: string;
  identityFile: string;
  knownHosts: string;
  /** A host's app (health and metrics) as `127.0.0.1:PORT`, by the runbook's host name. */
  appAddress: (original: string) => string | undefined;
}

/** The rewritten runbook and a line per change, for the operator. */
export interface Rewritten {
  runbook: Runbook;
  changes: string[];
}

/** Rewrites `rb` onto the fleet of `plan`, durations divided by `scale`. */
export function rewriteRunbook(rb: Runbook, plan: FleetPlan, at: FleetEndpoints, scale: number): Rewritten {
  const changes: string[] = [];
  const s = (ms: number | undefined, floor: number) => (ms === undefined ? undefined : scaleMs(ms, scale, floor));
  const hosts = Object.fromEntries(Object.entries(plan.groups).map(([g, names]) => [g, names.map((host) => ({ host }))]));
  changes.push(
    `hosts: ${plan.hosts.length} simulated host${plan.hosts.length === 1 ? '' : 's'} on 127.0.0.1 under the runbook's names (${Object.keys(plan.groups).join(', ') || 'no groups'})`,
  );
  const ssh = {
    user: rb.ssh?.user ?? 'deploy',
    identityFile: at.identityFile,
    knownHosts: at.knownHosts,
    strictHostKeys: 'yes' as const,
    jump: 'none',
    connectTimeout: 5000,
    ...(rb.ssh?.concurrency ? { concurrency: rb.ssh.concurrency } : {}),
  };
  changes.push(
    `ssh: this run's own key and known_hosts (host keys verified), no jump host${rb.ssh?.jump ? ` (instead of ${rb.ssh.jump})` : ''}`,
  );
  const out: Runbook = { ...rb, hosts, ssh };
  if (rb.health?.length || rb.prometheus) {
    out.prometheus = { url: at.promUrl, interval: s(rb.prometheus?.interval ?? 5000, FLOOR.interval)!, timeout: 4000 };
    changes.push(
      `prometheus: ${at.promUrl}${rb.prometheus ? ` instead of ${rb.prometheus.url} (its headers and credentials are not used)` : ''}`,
    );
  }
  if (rb.alertmanager) {
    delete out.alertmanager;
    changes.push('alertmanager: left out (the demo has none)');
  }
  out.health = rb.health?.map((p) => scalePanel(p, scale));
  if (!out.health) delete out.health;
  // The judge's period with the rest of the clock (a 30s period is 3s at x10).
  if (out.health?.some((p) => p.judge) && scale > 1)
    out.judge = { ...rb.judge, every: scaleMs(rb.judge?.every ?? DEFAULT_JUDGE_EVERY_MS, scale, FLOOR.interval) };
  let probes = 0;
  const elsewhere: string[] = [];
  const front = frontHost(plan);
  const frontAddress = front ? at.appAddress(front.original) : undefined;
  const step = (st: Step): Step => {
    const r: Step = { ...st };
    if (r.wait !== undefined) r.wait = s(r.wait, FLOOR.wait);
    if (r.expect?.within !== undefined) r.expect = { ...r.expect, within: s(r.expect.within, FLOOR.within) };
    if (r.http) {
      let url = retarget(r.http.url, at.appAddress);
      if (url !== r.http.url) probes++;
      else if (frontAddress) {
        url = retarget(r.http.url, at.appAddress, frontAddress);
        if (url !== r.http.url) elsewhere.push(r.http.url);
      }
      r.http = { ...r.http, url };
    }
    return r;
  };
  out.phases = rb.phases.map((p) => ({
    ...p,
    ...(p.planned !== undefined ? { planned: s(p.planned, FLOOR.wait) } : {}),
    steps: p.steps.map(step),
  }));
  if (rb.rollback) {
    out.rollback = {
      levels: rb.rollback.levels.map((l) => ({
        ...l,
        ...(l.expected !== undefined ? { expected: s(l.expected, FLOOR.wait) } : {}),
        steps: l.steps.map(step),
      })),
      ...(rb.rollback.triggers
        ? {
            triggers: rb.rollback.triggers.map((t) => ({
              ...t,
              ...(t.for !== undefined ? { for: s(t.for, FLOOR.wait) } : {}),
              ...(t.auto ? { countdown: s(t.countdown ?? 30_000, FLOOR.countdown) } : {}),
            })),
          }
        : {}),
    };
  }
  const locals = [...rb.phases.flatMap((p) => p.steps), ...(rb.rollback?.levels.flatMap((l) => l.steps) ?? [])]
    .filter((st) => st.local)
    .map((st) => st.id);
  if (locals.length)
    changes.push(`local steps (${locals.join(', ')}): not rewritten; they run on this machine as written, outside the demo's sandboxes`);
  if (probes) changes.push(`http steps: ${probes} aimed at runbook hosts now probe those hosts' simulated apps`);
  if (elsewhere.length)
    changes.push(
      `http steps: ${elsewhere.join(', ')} (not a runbook host) now probe${elsewhere.length === 1 ? 's' : ''} ${front!.original}'s simulated app`,
    );
  if (scale > 1)
    changes.push(
      `time: x${scale}: waits, for:, countdowns, plans and query windows divided by ${scale} (a 5m soak takes ${formatDuration(scaleMs(300_000, scale, FLOOR.wait))}); command timeouts unchanged`,
    );
  return { runbook: out, changes };
}

function scalePanel(p: Panel, scale: number): Panel {
  if (scale <= 1) return p;
  const q: Panel = { ...p, range: scaleMs(p.range ?? 15 * 60_000, scale, FLOOR.range) };
  if (p.interval !== undefined) q.interval = scaleMs(p.interval, scale, FLOOR.interval);
  if (p.query !== undefined) q.query = scaleQuery(p.query, scale);
  if (p.compare) q.compare = { canary: scaleQuery(p.compare.canary, scale), baseline: scaleQuery(p.compare.baseline, scale) };
  if (p.judge) {
    const window = scaleMs(p.judge.window ?? JUDGE_DEFAULTS.window, scale, FLOOR.window);
    q.judge = { ...p.judge, window, step: scaleMs(p.judge.step ?? JUDGE_DEFAULTS.step, scale, FLOOR.interval) };
  }
  return q;
}

/**
 * `http://HOST[:port]/path` to the host's app when HOST is a runbook host; any other URL to
 * `fallback` (an app's `127.0.0.1:PORT`) when given, else as it is. A URL with `${VAR}` in it is
 * read with the variables as placeholders (the demo never probes what it cannot resolve).
 */
export function retarget(url: string, appAddress: (original: string) => string | undefined, fallback?: string): string {
  let u: URL;
  try {
    u = new URL(url.replace(/\$\{[^}]*\}/g, 'var'));
  } catch {
    return fallback ? `http://${fallback}/` : url;
  }
  const addr = /\$\{/.test(url) ? undefined : (appAddress(u.port ? `${u.hostname}:${u.port}` : u.hostname) ?? appAddress(u.hostname));
  const to = addr ?? fallback;
  if (!to) return url;
  return `http://${to}${u.pathname}${u.search}`;
}

/** The host an outside URL stands for: the load balancer, else the first app host, else the first host. */
export function frontHost(plan: FleetPlan): FleetPlan['hosts'][number] | undefined {
  return plan.hosts.find((h) => h.role === 'lb') ?? plan.hosts.find((h) => h.role === 'app') ?? plan.hosts[0];
}
