/**
 * How the simulated fleet behaves, as pure functions of its state: which share of production
 * traffic each host gets (from the load balancer's weights), whether it runs the new code, and
 * what its app then reports (errors, latency, throughput, memory, speedup).
 *
 * The scenario: under `degrade`, the new release breaks once it serves half of the production
 * traffic or more (without a load balancer: once it serves any) (errors near 30%, p95 around 3 s, memory leaking towards 97%, throughput
 * halved); under `healthy` it is a little better than the stable one everywhere.
 */
import type { Role } from './plan.js';

/** The demo's two stories. */
export type Scenario = 'degrade' | 'healthy';

/** The scenarios, for the command line. */
export const SCENARIOS: readonly Scenario[] = ['degrade', 'healthy'];

/** New code breaks at this share of production traffic (under `degrade`). */
export const DEGRADE_SHARE = 0.5;

/** Production requests per second, all hosts together. */
export const PRODUCTION_RPS = 200;
/** Requests per second a staging host serves (smoke traffic, never production's). */
export const STAGING_RPS = 5;
/** Extra traffic a pool under `lbctl mirror` gets, as a share of production. */
export const MIRROR_SHARE = 0.1;

/** What the simulation knows about one host at one moment. */
export interface HostView {
  name: string;
  role: Role;
  pool?: string;
  running: boolean;
  /** The release the service loaded at its last (re)start. */
  version: string;
  /** .env as loaded at the last (re)start. */
  env: Record<string, string>;
}

/** What an app reports while it runs. */
export interface Behaviour {
  errorRatio: number;
  /** Median latency in seconds, and the spread of its log. */
  median: number;
  sigma: number;
  /** Jobs processed per second (throughput, independent of traffic share). */
  jobsPerSec: number;
  /** Fraction of the memory limit the app settles at. */
  memory: number;
  /** How many times faster the new code path is; undefined where it does not run. */
  speedup?: number;
}

/**
 * Runs the new code: a release other than the stable one, unless every FEATURE_* flag in its
 * .env is off (the new release's changes sit behind them, on by default).
 */
export function runsNewCode(h: Pick<HostView, 'version' | 'env'>, stable: string): boolean {
  if (h.version === stable || h.version === 'none') return false;
  const features = Object.entries(h.env).filter(([k]) => k.startsWith('FEATURE_'));
  return features.length === 0 || features.some(([, v]) => !/^(off|false|0|no|disabled)$/i.test(v.trim()));
}

/**
 * Each host's share of production traffic: a pool's weight split among its running hosts
 * (equal shares among running app hosts when there is no load balancer). Staging, tool, db and
 * lb hosts get none.
 */
export function trafficShares(hosts: HostView[], weights: Record<string, number> | undefined): Map<string, number> {
  const shares = new Map<string, number>();
  const serving = hosts.filter((h) => h.role === 'app' && h.running);
  if (!weights) {
    for (const h of serving) shares.set(h.name, 1 / serving.length);
  } else {
    const total = Object.values(weights).reduce((a, b) => a + b, 0) || 1;
    for (const [pool, w] of Object.entries(weights)) {
      const members = serving.filter((h) => h.pool === pool);
      for (const h of members) shares.set(h.name, w / total / members.length);
    }
  }
  for (const h of hosts) if (!shares.has(h.name)) shares.set(h.name, 0);
  return shares;
}

/** The share of production traffic the new code serves. */
export function newCodeShare(hosts: HostView[], shares: Map<string, number>, stable: string): number {
  let s = 0;
  for (const h of hosts) if (h.role === 'app' && runsNewCode(h, stable)) s += shares.get(h.name) ?? 0;
  return s;
}

/**
 * True when the scenario breaks the new code now: once it serves DEGRADE_SHARE of production
 * traffic, or, where no load balancer ramps traffic by weight (`weighted` false: every running
 * app host serves an equal share), once it serves any, since its first host is the canary.
 */
export function degraded(scenario: Scenario, share: number, weighted = true): boolean {
  if (scenario !== 'degrade') return false;
  return weighted ? share >= DEGRADE_SHARE - 1e-9 : share > 1e-9;
}

/**
 * An app's behaviour. `t` (seconds) and `phase` add a slow wobble, so the lines move like a
 * real service's, by at most ±8%: never enough to cross a threshold on its own.
 */
export function behaviour(newCode: boolean, broken: boolean, t: number, phase = 0): Behaviour {
  const w = 1 + 0.08 * Math.sin((2 * Math.PI * t) / 40 + phase);
  if (newCode && broken) return { errorRatio: 0.3 * w, median: 1.4 * w, sigma: 0.5, jobsPerSec: 22 / w, memory: 0.97, speedup: 4.5 / w };
  if (newCode) return { errorRatio: 0.0004 * w, median: 0.05 * w, sigma: 0.4, jobsPerSec: 44 / w, memory: 0.5, speedup: 12 / w };
  return { errorRatio: 0.0005 * w, median: 0.06 * w, sigma: 0.45, jobsPerSec: 40 / w, memory: 0.55 };
}

/** The latency of the k-th request: a log-normal-like spread, evenly sampled (no randomness). */
export function latencyOf(b: Pick<Behaviour, 'median' | 'sigma'>, k: number): number {
  const u = Math.min(0.999, Math.max(0.001, (k * 0.6180339887498949 + 0.5) % 1));
  // The logistic quantile, scaled to unit variance, stands in for the normal's.
  const z = Math.log(u / (1 - u)) * (Math.sqrt(3) / Math.PI);
  return b.median * Math.exp(b.sigma * z);
}

/** The p95 latency (seconds) a behaviour gives, for the health report. */
export function p95Of(b: Pick<Behaviour, 'median' | 'sigma'>): number {
  return b.median * Math.exp(b.sigma * 1.645);
}
