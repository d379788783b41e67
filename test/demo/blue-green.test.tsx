// DESIGN.md's example runbook (blue-green.yaml) on the demo fleet, driven by keys. No step deploys
// v2.1.0, so the demo starts blue on it with no traffic (green on v2.0.5 takes it all); the shift
// to 50% puts the new release on half the traffic, where it breaks. errors-high (critical, above
// 5% for 30 s) fires and recommends level 1, and 4 R Y puts all traffic back on green. p95-slow
// (major, auto) sees blue slow too, but a critical trigger's recommendation comes first and has
// no countdown: the operator decides, and the level runs once.
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertRolledBack, type Driven, journal, operate, quit, rollBack, startDriven } from './drive.js';

describe('demo: blue-green.yaml (DESIGN.md example)', () => {
  it('degrade: blue already runs v2.1.0; at 50% errors-high fires and level 1 puts all traffic back on green, once', async () => {
    // x10 (the demo's default): errors-high's 30 s is 3 s, p95-slow's 1 m is 6 s, the soak 12 s.
    const d = await startDriven('blue-green.yaml', { timeScale: 10 });
    let closed: Awaited<ReturnType<Driven['close']>> | undefined;
    try {
      for (const h of ['app-b1.internal', 'app-b2.internal'])
        expect(readlinkSync(join(d.demo.root, 'hosts', h, 'current'))).toBe('releases/v2.1.0');
      for (const h of ['app-g1.internal', 'app-g2.internal'])
        expect(readlinkSync(join(d.demo.root, 'hosts', h, 'current'))).toBe('releases/v2.0.5');
      expect(d.demo.summary.join('\n')).toMatch(/app-b1\.internal, app-b2\.internal already run v2\.1\.0 with no traffic/);
      expect(d.demo.fleet.simulation.status()).toMatchObject({ newShare: 0, broken: false });
      await operate(d, 'soak');
      // The simulation reads the load balancer's weights on its next tick.
      await expect.poll(() => d.demo.fleet.simulation.status()).toMatchObject({ newShare: 0.5, broken: true });
      await rollBack(d, 'errors-high', 'traffic');
      await expect.poll(() => d.demo.fleet.simulation.status()).toMatchObject({ newShare: 0, broken: false });
      expect(readFileSync(join(d.demo.root, 'hosts', 'lb1.internal', 'lb', 'weights'), 'utf8')).toMatch(/^blue 0$/m);
      await quit(d);
    } finally {
      closed = await d.close();
    }
    expect(existsSync(d.demo.root)).toBe(false);
    const events = journal(closed);
    assertRolledBack(events, { trigger: 'errors-high', beyond: (v) => v > 0.05, level: 'traffic', operator: 'alice' });
    // The recommendation the operator acted on came from errors-high, without a countdown.
    const recs = events.filter(
      (e): e is Extract<(typeof events)[number], { type: 'rollback/recommended' }> => e.type === 'rollback/recommended',
    );
    const confirmed = events.find((e) => e.type === 'rollback/confirmed')!;
    expect(recs.filter((r) => r.t <= confirmed.t).at(-1)).toMatchObject({ trigger: 'errors-high', level: 'traffic' });
    expect(recs.filter((r) => r.t <= confirmed.t).at(-1)!.countdownUntil).toBeUndefined();
    // One decision, one rollback: level 1 ran once, level 2 never.
    expect(events.filter((e) => e.type === 'rollback/confirmed')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'rollback/finished')).toHaveLength(1);
  }, 90_000);
});
