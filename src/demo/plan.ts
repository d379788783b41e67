/**
 * What fleet a runbook needs: one simulated host per distinct host of its groups, each with a
 * role guessed from its group names (lb, db, staging, tool, app), the app pool it belongs to,
 * the load balancer's starting weights, and the release each app host starts on: the stable
 * one, except in an idle pool that no forward step deploys, which starts on the new release
 * (a blue-green runbook that only shifts traffic to blue assumes blue already runs it).
 * Pure: the same runbook always gives the same plan.
 */
import type { HostSpec, Runbook } from '../runbook/schema.js';

/** What a simulated host does in the fleet. */
export type Role = 'lb' | 'db' | 'staging' | 'tool' | 'app';

/** One simulated host. */
export interface PlannedHost {
  /** The name the rewritten runbook and the console use (the runbook's own name, `:` made `-`). */
  name: string;
  /** The host as the runbook wrote it (`name` or `name:port`). */
  original: string;
  role: Role;
  /** The app pool (host group) it serves traffic in; the first app group naming it. */
  pool?: string;
  /** Every group that names it. */
  groups: string[];
  /** The release it starts on when that is not the stable one (the new release, already on an idle pool). */
  release?: string;
}

/** The fleet for one runbook. */
export interface FleetPlan {
  hosts: PlannedHost[];
  /** Group name to host names (in the runbook's order). */
  groups: Record<string, string[]>;
  /** Starting load balancer weights, percent per pool (empty without a load balancer). */
  weights: Record<string, number>;
  /** The release app hosts run at start: the one the rollback goes back to. */
  stable: string;
  /** The new release (from the runbook's name or description), when it names one other than `stable`. */
  next?: string;
}

const ROLE_PATTERNS: [Role, RegExp][] = [
  ['lb', /^(lbs?|load-?balancers?|haproxy|nginx|proxy|proxies|edge|ingress|router)\d*$/i],
  ['db', /(^|[-_])(dbs?|databases?|postgres(ql)?|pg|mysql|mariadb|redis)(\d*$|[-_])/i],
  ['staging', /(^|[-_])(stag(e|ing)|qa|preprod|uat)(\d*$|[-_])/i],
  ['tool', /(^|[-_])(ci|build|builders?|runners?|jenkins|bastion|jump|workers?|cron)(\d*$|[-_])/i],
];

/** Pools that take no traffic until the deploy shifts some to them. */
const IDLE_POOL = /^(blue|canary|new|next|preview|shadow)(\d*$|[-_])/i;

/** The role a host group's name suggests. */
export function roleOfGroup(group: string): Role {
  return ROLE_PATTERNS.find(([, re]) => re.test(group))?.[0] ?? 'app';
}

/** A host spec as the console names it. */
export function hostLabel(h: HostSpec): string {
  return h.port !== undefined ? `${h.host}:${h.port}` : h.host;
}

/** The plan of the fleet that `runbook` runs on. */
export function planFleet(runbook: Runbook): FleetPlan {
  const byName = new Map<string, PlannedHost>();
  const groups: Record<string, string[]> = {};
  for (const [group, specs] of Object.entries(runbook.hosts ?? {})) {
    const role = roleOfGroup(group);
    groups[group] = [];
    for (const spec of specs) {
      const original = hostLabel(spec);
      const name = original.replace(/[^\w.-]/g, '-');
      let h = byName.get(name);
      if (!h) byName.set(name, (h = { name, original, role, groups: [] }));
      // A host named by an app group and by, say, a `db` group keeps the more specific role.
      if (h.role === 'app' && role !== 'app') h.role = role;
      h.groups.push(group);
      if (!groups[group].includes(name)) groups[group].push(name);
    }
  }
  for (const h of byName.values())
    if (h.role === 'app' || h.role === 'staging') h.pool = h.groups.find((g) => roleOfGroup(g) === h.role) ?? h.groups[0];
  const hosts = [...byName.values()];
  const weights = startingWeights(hosts);
  const stable = stableVersion(runbook);
  const next = newVersion(runbook, stable);
  if (next) {
    const deployed = forwardDeployed(runbook, groups);
    for (const h of hosts) if (h.role === 'app' && h.pool && weights[h.pool] === 0 && !deployed.has(h.name)) h.release = next;
  }
  return { hosts, groups, weights, stable, ...(next ? { next } : {}) };
}

/** Idle pools start at 0%; the others share 100% equally (all of them, if every pool is idle). */
export function startingWeights(hosts: PlannedHost[]): Record<string, number> {
  if (!hosts.some((h) => h.role === 'lb')) return {};
  const pools = [...new Set(hosts.filter((h) => h.role === 'app' && h.pool).map((h) => h.pool!))];
  const live = pools.filter((p) => !IDLE_POOL.test(p));
  const serving = live.length ? live : pools;
  const share = new Map<string, number>();
  let left = 100;
  serving.forEach((p, i) => {
    const w = i === serving.length - 1 ? left : Math.round(100 / serving.length);
    left -= w;
    share.set(p, w);
  });
  return Object.fromEntries(pools.map((p) => [p, share.get(p) ?? 0]));
}

const VERSION = /\bv\d+(?:\.\d+)+\b/;

/**
 * The release the rollback goes back to: the first version a rollback command names, else the
 * first one a rollback title names ("Level 2: back to v3.1.4"), else v1.0.0.
 */
export function stableVersion(runbook: Runbook): string {
  const levels = runbook.rollback?.levels ?? [];
  const texts = [
    ...levels.flatMap((l) => l.steps.map((s) => s.run?.command ?? '')),
    ...levels.flatMap((l) => [l.title, ...l.steps.map((s) => s.title)]),
  ];
  for (const t of texts) {
    const m = VERSION.exec(t);
    if (m) return m[0];
  }
  return 'v1.0.0';
}

/** The release the deploy brings: the first version the runbook's name names, else its description's; none when that is `stable`. */
export function newVersion(runbook: Runbook, stable: string): string | undefined {
  const v = VERSION.exec(runbook.name)?.[0] ?? VERSION.exec(runbook.description ?? '')?.[0];
  return v && v !== stable ? v : undefined;
}

/** Hosts that a forward step deploys a release on: a `run` step on one of their groups whose command names a version. */
function forwardDeployed(runbook: Runbook, groups: Record<string, string[]>): Set<string> {
  const out = new Set<string>();
  for (const st of runbook.phases.flatMap((p) => p.steps))
    if (st.run && VERSION.test(st.run.command)) for (const h of groups[st.run.on] ?? []) out.add(h);
  return out;
}
