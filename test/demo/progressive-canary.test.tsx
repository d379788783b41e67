// Reference procedure (d) against a real Prometheus scraping the demo apps, driven by keys:
// shadow, 1%, 5%, 10%, 25%, a gate, then 50%, where the canary breaks; its error rate is far
// above the baseline's, errors-vs-baseline recommends taking the canary out, and 4 R Y does.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { needBinary } from '../support/binaries.js';
import { assertRolledBack, journal, operate, quit, rollBack, startDriven } from './drive.js';

const prom = needBinary('prometheus', 'prometheus');

describe.skipIf(!prom)('demo: progressive canary on a real Prometheus (procedure d)', () => {
  it('degrade: at 50% the canary errors exceed 1.5x the baseline; the canary is taken out', async () => {
    const d = await startDriven('progressive-canary.yaml', { timeScale: 300, metrics: 'prometheus' });
    let closed;
    try {
      expect(d.demo.metricsSource).toBe('prometheus');
      await expect.poll(d.frame, { timeout: 10_000 }).toMatch(/prometheus ok/);
      await operate(d, 'hold-50');
      await rollBack(d, 'errors-vs-baseline', 'canary-off');
      await expect.poll(() => d.demo.fleet.simulation.status().newShare).toBe(0);
      await quit(d);
    } finally {
      closed = await d.close();
    }
    expect(existsSync(d.demo.root)).toBe(false);
    assertRolledBack(journal(closed), { trigger: 'errors-vs-baseline', beyond: (v) => v > 1.5, level: 'canary-off', operator: 'alice' });
  }, 120_000);
});
