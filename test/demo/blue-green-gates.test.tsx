// Reference procedure (e), the demo's default, driven by keys: three gates said go, blue takes
// 50% of the traffic, the new release breaks, errors-high fires, and 4 R Y puts it all on green.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertRolledBack, journal, operate, quit, rollBack, startDriven } from './drive.js';

describe('demo: blue-green with three gates (procedure e)', () => {
  it('degrade: at 50% the error rate passes 10%, the operator rolls all traffic back to green', async () => {
    const d = await startDriven('blue-green-gates.yaml', { timeScale: 60 });
    let closed;
    try {
      await expect.poll(d.frame, { timeout: 10_000 }).toMatch(/simulated ok/);
      await operate(d, 'soak-50');
      await rollBack(d, 'errors-high', 'traffic-back');
      // The fleet itself recovers: no traffic on the new release, nothing broken.
      await expect.poll(() => d.demo.fleet.simulation.status().broken).toBe(false);
      expect(d.demo.fleet.simulation.status().newShare).toBe(0);
      await quit(d);
    } finally {
      closed = await d.close();
    }
    expect(existsSync(d.demo.root)).toBe(false);
    assertRolledBack(journal(closed), { trigger: 'errors-high', beyond: (v) => v > 0.1, level: 'traffic-back', operator: 'alice' });
  }, 90_000);
});
