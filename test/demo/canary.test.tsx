// canary.yaml on the demo fleet, driven by keys: no load balancer, so the canary host serves an
// equal share from the moment it runs v5.3.0, and under `degrade` that is when the new release
// breaks. Its errors go far past 3x the baseline's (the stable fleet), canary-errors fires, and
// its automatic rollback drains the canary after the countdown, with nobody pressing R.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertRolledBack, type Driven, journal, operate, quit, startDriven } from './drive.js';

describe('demo: canary.yaml', () => {
  it('degrade: the canary breaks on its own share; canary-errors fires and the canary is drained automatically', async () => {
    const d = await startDriven('canary.yaml', { timeScale: 60 });
    let closed: Awaited<ReturnType<Driven['close']>> | undefined;
    try {
      await operate(d, 'bake');
      await expect.poll(() => d.session.state.triggers['canary-errors']?.state, { timeout: 30_000 }).toBe('firing');
      await expect.poll(() => d.session.state.rollback.run?.ok, { timeout: 30_000 }).toBe(true);
      await expect.poll(() => d.demo.fleet.simulation.status().newShare).toBe(0);
      await quit(d);
    } finally {
      closed = await d.close();
    }
    expect(existsSync(d.demo.root)).toBe(false);
    const events = journal(closed);
    assertRolledBack(events, { trigger: 'canary-errors', beyond: (v) => v > 3, level: 'canary-off', operator: 'alice', auto: true });
    expect(events.filter((e) => e.type === 'rollback/confirmed')).toHaveLength(1);
  }, 90_000);
});
