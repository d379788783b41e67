/**
 * The simulation loop: a few times a second it reads every sandbox, works out the traffic
 * shares and whether the scenario breaks the new code, and moves every app forward. Nothing
 * here is random: the same commands at the same moments give the same metrics.
 */
import { SimApp } from './app.js';
import {
  MIRROR_SHARE,
  PRODUCTION_RPS,
  STAGING_RPS,
  behaviour,
  degraded,
  newCodeShare,
  p95Of,
  runsNewCode,
  trafficShares,
  type Behaviour,
  type HostView,
  type Scenario,
} from './behaviour.js';
import { SandboxReader } from './host-state.js';
import type { FleetPlan } from './plan.js';

/** How often the apps move forward. */
export const TICK_MS = 250;
/** How often run/health is rewritten. */
const HEALTH_EVERY_MS = 500;

/** The fleet's state at the last tick, for the health endpoints and tests. */
export interface FleetStatus {
  shares: Map<string, number>;
  newShare: number;
  broken: boolean;
}

/** Runs the apps of a fleet from the state of its sandboxes. */
export class Simulation {
  readonly apps = new Map<string, SimApp>();
  private readonly readers: SandboxReader[];
  private timer: NodeJS.Timeout | undefined;
  private last: number;
  private lastHealth = 0;
  private readonly started: number;
  private current: FleetStatus = { shares: new Map(), newShare: 0, broken: false };
  private readonly views = new Map<string, { view: HostView; b: Behaviour; newCode: boolean }>();

  constructor(
    private readonly plan: FleetPlan,
    private readonly scenario: Scenario,
    sandboxes: Map<string, string>,
    private readonly now: () => number = Date.now,
  ) {
    this.readers = plan.hosts.map((h) => new SandboxReader(h, sandboxes.get(h.name)!));
    for (const h of plan.hosts) this.apps.set(h.name, new SimApp(h.name, h.role, h.pool));
    this.started = this.last = now();
  }

  /** Ticks now and then every TICK_MS until stopped (again: nothing). */
  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The state of the last tick. */
  status(): FleetStatus {
    return this.current;
  }

  /** What a host's health endpoint answers. */
  health(host: string): { ok: boolean; text: string } {
    const v = this.views.get(host);
    if (!v) return { ok: false, text: `${host}: unknown host` };
    const f = this.healthFields(host);
    return { ok: v.view.running, text: `${host}: ${f.status} (${f.summary})` };
  }

  /** One step of the simulation. */
  tick(): void {
    const t = this.now();
    const dt = Math.max(0, (t - this.last) / 1000);
    this.last = t;
    const views = this.readers.map((r) => r.view());
    const lb = this.readers.find((r) => r.host.role === 'lb');
    const weights = lb?.weights();
    const shares = trafficShares(views, weights);
    const newShare = newCodeShare(views, shares, this.plan.stable);
    const broken = degraded(this.scenario, newShare, weights !== undefined);
    this.current = { shares, newShare, broken };
    const mirrors = lb?.mirrored() ?? [];
    const secs = (t - this.started) / 1000;
    const rps = PRODUCTION_RPS * (1 + 0.05 * Math.sin((2 * Math.PI * secs) / 90));
    views.forEach((view, i) => {
      const newCode = (view.role === 'app' || view.role === 'staging') && runsNewCode(view, this.plan.stable);
      const b = behaviour(newCode, broken, secs, i * 1.7);
      this.views.set(view.name, { view, b, newCode });
      let hostRps = view.role === 'staging' ? STAGING_RPS : (shares.get(view.name) ?? 0) * rps;
      if (view.role === 'app' && view.pool && mirrors.includes(view.pool) && view.running) {
        const members = views.filter((v) => v.pool === view.pool && v.running).length;
        hostRps += (MIRROR_SHARE * rps) / members;
      }
      this.apps
        .get(view.name)!
        .advance({ dt, running: view.running, version: view.version, rps: hostRps, behaviour: b, ...(weights ? { weights } : {}) });
    });
    // A host that just (re)started reports at once: `service restart` waits for that report.
    const all = t - this.lastHealth >= HEALTH_EVERY_MS;
    if (all) this.lastHealth = t;
    for (const r of this.readers) if (all || r.reloaded) r.writeHealth(this.healthFields(r.host.name));
  }

  private healthFields(host: string): { status: string; summary: string } {
    const v = this.views.get(host)!;
    const { view, b, newCode } = v;
    if (!view.running) return { status: 'down', summary: 'service stopped' };
    if (view.role === 'lb')
      return {
        status: 'ok',
        summary:
          Object.entries(this.readers.find((r) => r.host.name === host)?.weights() ?? {})
            .map(([p, w]) => `${p} ${w}%`)
            .join(', ') || 'no pools',
      };
    if (view.role === 'db' || view.role === 'tool') return { status: 'ok', summary: 'answering' };
    const share = this.current.shares.get(host) ?? 0;
    const traffic = view.role === 'staging' ? 'staging traffic' : `${(share * 100).toFixed(0)}% of traffic`;
    const summary = `${view.version}, ${traffic}, errors ${(b.errorRatio * 100).toFixed(2)}%, p95 ${(p95Of(b) * 1000).toFixed(0)} ms`;
    return { status: newCode && this.current.broken ? 'degraded' : 'ok', summary };
  }
}
