// Reference procedure (a), driven by keys through its eight phases: the engine is switched on in
// production, the error rate goes past 5% (the document's CRITICAL band: immediate), errors-critical
// recommends level 1, and 4 R Y turns the feature flag off and restarts the service on every
// production host. The speedup (below 8x for 5 minutes, critical too) fires as well.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertRolledBack, type Driven, journal, operate, quit, rollBack, startDriven } from './drive.js';

describe('demo: eight phases, three-level rollback (procedure a)', () => {
  it('degrade: the error rate passes 5% in production; level 1 (feature toggle) brings it back', async () => {
    const d = await startDriven('three-level-rollback.yaml', { timeScale: 120 });
    let closed: Awaited<ReturnType<Driven['close']>> | undefined;
    try {
      await operate(d, 'prod-soak');
      await rollBack(d, 'errors-critical', 'feature-toggle');
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
    assertRolledBack(events, { trigger: 'errors-critical', beyond: (v) => v > 0.05, level: 'feature-toggle', operator: 'alice' });
    // The immediate band has no \`for\`: it fired on the sample where it first held.
    const fired = events.find((e) => e.type === 'trigger/firing' && e.trigger === 'errors-critical') as Extract<
      (typeof events)[number],
      { type: 'trigger/firing' }
    >;
    expect(events.some((e) => e.type === 'trigger/pending' && e.trigger === 'errors-critical' && e.t < fired.t)).toBe(false);
    // The p95 alert only informs ("check MCP connectivity"): it never recommends a level.
    expect(events.filter((e) => e.type === 'rollback/recommended').map((e) => (e as { trigger: string }).trigger)).not.toContain(
      'duration-high',
    );
    // All eight phases' gates up to production were decided by the operator.
    expect(events.filter((e) => e.type === 'gate/decided').map((e) => (e as { phase: string }).phase)).toEqual([
      'pre-deployment',
      'tests',
      'staging',
    ]);
  }, 90_000);
});
