// Reference procedure (a), driven by keys through its eight phases: the engine is switched on in
// production, its speedup drops below 8x, speedup-low recommends level 1, and 4 R Y turns the
// feature flag off and restarts the service on every production host.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertRolledBack, journal, operate, quit, rollBack, startDriven } from './drive.js';

describe('demo: eight phases, three-level rollback (procedure a)', () => {
  it('degrade: the speedup falls below 8x in production; level 1 (feature toggle) brings it back', async () => {
    const d = await startDriven('three-level-rollback.yaml', { timeScale: 120 });
    let closed;
    try {
      await operate(d, 'prod-soak');
      await rollBack(d, 'speedup-low', 'feature-toggle');
      // Every production host now runs with the flag off, so the new engine is out of the path.
      for (const h of ['app-1.internal', 'app-2.internal', 'app-3.internal'])
        expect(readFileSync(join(d.demo.root, 'hosts', h, '.env'), 'utf8')).toMatch(/^FEATURE_QUERY_ENGINE_V3=off$/m);
      await expect.poll(() => d.demo.fleet.simulation.status().newShare).toBe(0);
      await quit(d);
    } finally {
      closed = await d.close();
    }
    expect(existsSync(d.demo.root)).toBe(false);
    const events = journal(closed);
    assertRolledBack(events, { trigger: 'speedup-low', beyond: (v) => v < 8, level: 'feature-toggle', operator: 'alice' });
    // All eight phases' gates up to production were decided by the operator.
    expect(events.filter((e) => e.type === 'gate/decided').map((e) => (e as { phase: string }).phase)).toEqual(['pre-deployment', 'tests', 'staging']);
  }, 90_000);
});
