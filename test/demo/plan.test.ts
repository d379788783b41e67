// The pure parts of the demo, table-driven: the fleet a runbook needs, how traffic and the
// scenario shape each host's behaviour, and the time-scaled rewrite of every fixture runbook.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { behaviour, degraded, newCodeShare, runsNewCode, trafficShares, type HostView } from '../../src/demo/behaviour.js';
import { planFleet, roleOfGroup, stableVersion } from '../../src/demo/plan.js';
import { evaluate } from '../../src/demo/promql/eval.js';
import { parsePromql } from '../../src/demo/promql/parse.js';
import { retarget, rewriteRunbook } from '../../src/demo/rewrite.js';
import { scaleQuery } from '../../src/demo/timescale.js';
import { checkPromql, loadRunbookFile, type Runbook } from '../../src/runbook/index.js';

const FIXTURES = 'fixtures/runbooks';
/** Loads a fixture as the demo does: its ${VAR} (in sections the demo replaces) need not be set. */
const load = (f: string): Runbook => {
  const r = loadRunbookFile(join(FIXTURES, f), null);
  expect(r.problems).toEqual([]);
  return r.runbook!;
};
const REFERENCE = [
  'three-level-rollback.yaml',
  'checklist-four-procedures.yaml',
  'blue-green-canary.yaml',
  'progressive-canary.yaml',
  'blue-green-gates.yaml',
];

describe('fleet plan', () => {
  it.each([
    ['lb', 'lb'],
    ['haproxy', 'lb'],
    ['db', 'db'],
    ['orders-db', 'db'],
    ['postgres', 'db'],
    ['staging', 'staging'],
    ['ci', 'tool'],
    ['workers', 'tool'],
    ['blue', 'app'],
    ['prod', 'app'],
    ['api', 'app'],
    ['debug', 'app'],
  ])('group %s is a %s role', (group, role) => expect(roleOfGroup(group)).toBe(role));

  it('plans one host per runbook host, with pools, starting weights and the stable release', () => {
    const plan = planFleet(load('blue-green-gates.yaml'));
    expect(plan.hosts.map((h) => [h.name, h.role, h.pool])).toEqual([
      ['app-b1.internal', 'app', 'blue'],
      ['app-b2.internal', 'app', 'blue'],
      ['app-g1.internal', 'app', 'green'],
      ['app-g2.internal', 'app', 'green'],
      ['lb1.internal', 'lb', undefined],
      ['db1.internal', 'db', undefined],
    ]);
    expect(plan.weights).toEqual({ blue: 0, green: 100 });
    expect(plan.stable).toBe('v2.0.5');
    expect(planFleet(load('progressive-canary.yaml')).weights).toEqual({ canary: 0, stable: 100 });
    expect(planFleet(load('checklist-four-procedures.yaml')).weights).toEqual({ web: 50, api: 50 });
    // `name:port` hosts keep their identity under a name ssh_config accepts.
    expect(planFleet(load('small.yaml')).hosts.map((h) => h.name)).toEqual(['web1.internal', 'web2.internal-2222']);
  });

  it('starts an idle pool that no forward step deploys on the new release, with the stable one installed beside it', () => {
    const bg = planFleet(load('blue-green.yaml'));
    expect(bg.next).toBe('v2.1.0');
    expect(bg.hosts.map((h) => [h.name, h.release])).toEqual([
      ['app-b1.internal', 'v2.1.0'],
      ['app-b2.internal', 'v2.1.0'],
      ['app-g1.internal', undefined],
      ['app-g2.internal', undefined],
      ['lb1.internal', undefined],
    ]);
    // Where a forward step installs the new release on the idle pool, it starts on the stable one.
    for (const f of ['blue-green-gates.yaml', 'blue-green-canary.yaml', 'progressive-canary.yaml', 'canary.yaml', 'small.yaml'])
      expect(
        planFleet(load(f))
          .hosts.filter((h) => h.release)
          .map((h) => h.name),
        f,
      ).toEqual([]);
  });

  it.each([
    ['three-level-rollback.yaml', 'v3.1.4'],
    ['checklist-four-procedures.yaml', 'v2025.10.3'],
    ['blue-green-canary.yaml', 'v3.9.2'],
    ['progressive-canary.yaml', 'v5.2.4'],
    ['blue-green-gates.yaml', 'v2.0.5'],
    ['small.yaml', 'v1.0.0'],
  ])('%s rolls back to %s', (f, v) => expect(stableVersion(load(f))).toBe(v));
});

describe('behaviour', () => {
  const host = (name: string, pool: string, version: string, env: Record<string, string> = {}, running = true): HostView => ({
    name,
    role: 'app',
    pool,
    version,
    env,
    running,
  });
  const fleet = [host('b1', 'blue', 'v2'), host('b2', 'blue', 'v2'), host('g1', 'green', 'v1'), host('g2', 'green', 'v1', {}, false)];

  it('splits a pool weight among its running hosts', () => {
    const shares = trafficShares(fleet, { blue: 50, green: 50 });
    expect(Object.fromEntries(shares)).toEqual({ b1: 0.25, b2: 0.25, g1: 0.5, g2: 0 });
    expect(newCodeShare(fleet, shares, 'v1')).toBe(0.5);
    expect(Object.fromEntries(trafficShares(fleet, undefined))).toEqual({ b1: 1 / 3, b2: 1 / 3, g1: 1 / 3, g2: 0 });
  });

  it('runs the new code unless every FEATURE_ flag is off', () => {
    expect(runsNewCode({ version: 'v1', env: {} }, 'v1')).toBe(false);
    expect(runsNewCode({ version: 'v2', env: {} }, 'v1')).toBe(true);
    expect(runsNewCode({ version: 'v2', env: { FEATURE_X: 'on', FEATURE_Y: 'off' } }, 'v1')).toBe(true);
    expect(runsNewCode({ version: 'v2', env: { FEATURE_X: 'off', FEATURE_Y: 'false' } }, 'v1')).toBe(false);
  });

  it('degrades the new code from 50% of the traffic under degrade only; healthy stays under every threshold', () => {
    expect([degraded('degrade', 0.25), degraded('degrade', 0.5), degraded('healthy', 1)]).toEqual([false, true, false]);
    // Without a load balancer nothing ramps by weight: the first host on the new release breaks it.
    expect([degraded('degrade', 0.2, false), degraded('degrade', 0, false), degraded('healthy', 0.2, false)]).toEqual([true, false, false]);
    for (let t = 0; t < 60; t += 7) {
      const ok = behaviour(true, false, t, 1);
      const old = behaviour(false, false, t, 2);
      expect(ok.errorRatio / old.errorRatio).toBeLessThan(1.2);
      expect(ok.speedup).toBeGreaterThan(10);
      const bad = behaviour(true, true, t);
      expect(bad.errorRatio).toBeGreaterThan(0.25);
      expect(bad.speedup).toBeLessThan(8);
      expect(bad.jobsPerSec / old.jobsPerSec).toBeLessThan(0.8);
    }
  });
});

describe('runbook rewrite', () => {
  const at = {
    promUrl: 'http://127.0.0.1:9999',
    identityFile: '/tmp/demo/id',
    knownHosts: '/tmp/demo/known_hosts',
    appAddress: (h: string) => (h === 'api-1.internal' ? '127.0.0.1:4242' : undefined),
  };

  it('scales windows and offsets, never below 5s, and leaves strings alone', () => {
    expect(scaleQuery('sum(rate(x{a="[5m]"}[5m])) / sum(rate(x[1h30m] offset 10m))', 10)).toBe(
      'sum(rate(x{a="[5m]"}[30s])) / sum(rate(x[9m] offset 1m))',
    );
    expect(scaleQuery('rate(x[1m])', 60)).toBe('rate(x[5s])');
    expect(scaleQuery('rate(x[2s])', 60)).toBe('rate(x[2s])');
    expect(retarget('http://api-1.internal:8080/healthz?x=1', at.appAddress)).toBe('http://127.0.0.1:4242/healthz?x=1');
    expect(retarget('https://www.example.com/', at.appAddress)).toBe('https://www.example.com/');
    // With a fallback (the front host's app), nothing goes outside the fleet, not even a ${VAR} URL.
    expect(retarget('https://www.example.com/x?y=1', at.appAddress, '127.0.0.1:5151')).toBe('http://127.0.0.1:5151/x?y=1');
    expect(retarget('http://${LB_HOST}:8080/healthz', at.appAddress, '127.0.0.1:5151')).toBe('http://127.0.0.1:5151/healthz');
    expect(retarget('http://api-1.internal/healthz', at.appAddress, '127.0.0.1:5151')).toBe('http://127.0.0.1:4242/healthz');
  });

  it('every http step of every reference runbook probes a simulated app on 127.0.0.1', () => {
    for (const f of readdirSync(FIXTURES).filter((x) => x.endsWith('.yaml'))) {
      const rb = load(f);
      const plan = planFleet(rb);
      const ports = new Map(plan.hosts.map((h, i) => [h.original, `127.0.0.1:${4000 + i}`]));
      const { runbook } = rewriteRunbook(rb, plan, { ...at, appAddress: (h) => ports.get(h) }, 60);
      const steps = [...runbook.phases.flatMap((p) => p.steps), ...(runbook.rollback?.levels.flatMap((l) => l.steps) ?? [])];
      for (const st of steps.filter((x) => x.http)) expect(st.http!.url, `${f} ${st.id}`).toMatch(/^http:\/\/127\.0\.0\.1:40\d\d\//);
    }
    const small = load('small.yaml');
    const plan = planFleet(small);
    const { changes } = rewriteRunbook(
      { ...small, phases: [{ id: 'p', title: 'P', steps: [{ id: 'out', title: 'Out', http: { url: 'https://www.example.com/' } }] }] },
      plan,
      { ...at, appAddress: (h) => (h === 'web1.internal' ? '127.0.0.1:4000' : undefined) },
      1,
    );
    expect(changes).toContain("http steps: https://www.example.com/ (not a runbook host) now probes web1.internal's simulated app");
  });

  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')))(
    '%s rewrites onto the fleet with valid queries the simulated endpoint answers',
    (f) => {
      const rb = load(f);
      const plan = planFleet(rb);
      const { runbook, changes } = rewriteRunbook(rb, plan, at, 60);
      expect(Object.keys(runbook.hosts ?? {})).toEqual(Object.keys(rb.hosts ?? {}));
      for (const [g, hosts] of Object.entries(runbook.hosts ?? {})) expect(hosts.map((h) => h.host)).toEqual(plan.groups[g]);
      expect(runbook.ssh).toMatchObject({ identityFile: at.identityFile, knownHosts: at.knownHosts, strictHostKeys: 'yes', jump: 'none' });
      expect(runbook.alertmanager).toBeUndefined();
      if (rb.health?.length) expect(runbook.prometheus?.url).toBe(at.promUrl);
      expect(changes.join('\n')).toMatch(/time: x60/);
      for (const p of runbook.health ?? [])
        for (const q of [p.query, p.compare?.canary, p.compare?.baseline].filter((x): x is string => !!x)) {
          expect(checkPromql(q), q).toBeUndefined();
          // Every query in the fixtures is within the subset: it evaluates (to nothing, here).
          expect(() => evaluate(parsePromql(q), 0, { range: () => [], instant: () => [] }), q).not.toThrow();
        }
      rb.phases.forEach((p, i) => {
        p.steps.forEach((s, j) => {
          if (s.wait !== undefined) expect(runbook.phases[i].steps[j].wait).toBe(Math.max(1000, Math.round(s.wait / 60)));
        });
      });
    },
  );

  it('keeps every reference runbook at its real durations in the file', () => {
    for (const f of REFERENCE) {
      const rb = load(f);
      const waits = rb.phases.flatMap((p) => p.steps.flatMap((s) => (s.wait !== undefined ? [s.wait] : [])));
      expect(Math.max(...waits), f).toBeGreaterThanOrEqual(10 * 60_000);
    }
    const a = load('three-level-rollback.yaml');
    expect(a.phases).toHaveLength(8);
    expect(a.rollback!.levels.map((l) => l.expected)).toEqual([2 * 60_000, 15 * 60_000, 45 * 60_000]);
    // Procedure 000: > 5% critical at once; 1-5% (and 50% slower) major after 30 minutes; 25-50%
    // slower minor, monitored; its two alert rules (the p95 one only informs).
    expect(a.rollback!.triggers!.map((t) => [t.id, t.when.check.text, t.for, t.severity, t.recommend, t.auto])).toEqual([
      ['errors-critical', '> 0.05', undefined, 'critical', 'feature-toggle', undefined],
      ['speedup-low', '< 8', 5 * 60_000, 'critical', 'feature-toggle', undefined],
      ['errors-major', '> 0.01', 30 * 60_000, 'major', 'feature-toggle', undefined],
      ['slower-major', 'ratio > 1.5', 30 * 60_000, 'major', 'feature-toggle', undefined],
      ['slower-minor', 'ratio > 1.25', undefined, 'minor', undefined, undefined],
      ['duration-high', '> 0.35', 10 * 60_000, 'warning', undefined, undefined],
    ]);
    const b = load('checklist-four-procedures.yaml');
    expect(b.phases).toHaveLength(8);
    // Procedure 001: > 10% now; 5-10% within 15 minutes; 2-5% investigate 30 minutes, then roll
    // back; 0.5-2% fix forward (informs). No fake levels for investigating or fixing forward.
    expect(b.rollback!.triggers!.map((t) => [t.when.check.text, t.for, t.severity, t.recommend])).toEqual([
      ['> 0.1', undefined, 'critical', 'code-and-db'],
      ['> 0.05', 15 * 60_000, 'major', 'code-and-db'],
      ['> 0.02', 30 * 60_000, 'minor', 'code-and-db'],
      ['> 0.005', undefined, 'warning', undefined],
    ]);
    expect(b.rollback!.levels.map((l) => l.id)).toEqual(['code-only', 'code-and-db', 'one-service', 'emergency']);
    expect(load('blue-green-canary.yaml').rollback!.triggers!.every((t) => t.auto)).toBe(true);
    expect(load('progressive-canary.yaml').phases.map((p) => p.id)).toEqual([
      'prepare',
      'shadow',
      'step-1',
      'step-5',
      'step-10',
      'step-25',
      'step-50',
      'step-100',
    ]);
    const e = load('blue-green-gates.yaml');
    expect(e.phases.filter((p) => p.gate)).toHaveLength(3);
    // Procedure 004: its rollback triggers are automatic.
    expect(e.rollback!.triggers!.map((t) => [t.id, t.when.check.text, t.for, t.auto])).toEqual([
      ['errors-high', '> 0.1', 30_000, true],
      ['p95-slow', '> 2', 30_000, true],
      ['db-unreachable', '< 1', 10_000, true],
    ]);
    // Procedure 003: beside the ratio to the baseline, a floor on the canary's own error rate.
    const d = load('progressive-canary.yaml');
    expect(d.rollback!.triggers!.find((t) => t.id === 'canary-errors')).toMatchObject({
      when: { panel: 'canary_error_rate', check: { op: '>', value: 0.001 } },
      severity: 'critical',
      recommend: 'canary-rollback',
    });
    // Its rollback is automated: Detection -> Analysis (30s, the countdown) -> Traffic Drain (30s)
    // -> Deployment Rollback (60s) -> Verification (30s), under 2 minutes once it starts.
    expect(d.rollback!.triggers!.map((t) => [t.recommend, t.auto, t.countdown])).toEqual(
      d.rollback!.triggers!.map(() => ['canary-rollback', true, 30_000]),
    );
    expect(d.rollback!.levels.map((l) => [l.id, l.expected])).toEqual([['canary-rollback', 2 * 60_000]]);
    expect(d.rollback!.levels[0].steps.map((st) => [st.id, st.run?.on, st.run?.timeout])).toEqual([
      ['drain', 'lb', 30_000],
      ['revert', 'canary', 60_000],
      ['verify', 'stable', 30_000],
    ]);
  });
});
