// Reference procedure (e), the demo's default, driven by keys: three gates said go, blue takes
// 50% of the traffic, the new release breaks, errors-high fires (above 10% for 30 s), and, as the
// document says, the rollback is automatic: after its countdown it puts all traffic on green.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertRolledBack, type Driven, journal, operate, quit, startDriven } from './drive.js';

describe('demo: blue-green with three gates (procedure e)', () => {
  it('degrade: at 50% the error rate passes 10%, and after the countdown the rollback puts all traffic back on green by itself', async () => {
    const d = await startDriven('blue-green-gates.yaml', { timeScale: 60 });
    let closed: Awaited<ReturnType<Driven['close']>> | undefined;
    try {
      await expect.poll(d.frame, { timeout: 10_000 }).toMatch(/simulated ok/);
      await operate(d, 'soak-50');
      // The judged panel (p95 blue against green over its window) sees the break: High, with its figures on screen.
      await expect.poll(d.frame, { timeout: 30_000 }).toMatch(/canary score 0 of 100: FAIL/);
      await expect.poll(() => d.session.state.triggers['errors-high']?.state, { timeout: 30_000 }).toBe('firing');
      await expect.poll(() => d.session.state.rollback.recommended?.level, { timeout: 30_000 }).toBe('traffic-back');
      // Nobody presses R: the countdown runs out and the rollback starts and finishes on its own.
      await expect.poll(() => d.session.state.rollback.run?.ok, { timeout: 30_000 }).toBe(true);
      // The fleet itself recovers: no traffic on the new release, nothing broken.
      await expect.poll(() => d.demo.fleet.simulation.status().broken).toBe(false);
      expect(d.demo.fleet.simulation.status().newShare).toBe(0);
      await quit(d);
    } finally {
      closed = await d.close();
    }
    expect(existsSync(d.demo.root)).toBe(false);
    const events = journal(closed);
    assertRolledBack(events, { trigger: 'errors-high', beyond: (v) => v > 0.1, level: 'traffic-back', operator: 'alice', auto: true });
    const rec = events.find((e) => e.type === 'rollback/recommended' && e.level === 'traffic-back') as Extract<
      (typeof events)[number],
      { type: 'rollback/recommended' }
    >;
    expect(rec.countdownUntil).toBeDefined();
    expect(events.find((e) => e.type === 'rollback/confirmed')!.t).toBeGreaterThanOrEqual(rec.countdownUntil!);
    // One decision, one rollback.
    expect(events.filter((e) => e.type === 'rollback/confirmed')).toHaveLength(1);
    // The journal keeps the judgment's why: counts, interval and effect size of the High metric.
    const judged = events.flatMap((e) => (e.type === 'judge/verdict' && e.verdict === 'fail' ? e.metrics : []));
    const high = judged.find((m) => m.panel === 'p95_blue' && m.class === 'High');
    expect(high).toBeDefined();
    expect(high!.canaryCount).toBeGreaterThanOrEqual(3);
    expect(high!.lower!).toBeGreaterThan(0);
    expect(high!.effect!).toBeGreaterThan(1);
  }, 90_000);
});
