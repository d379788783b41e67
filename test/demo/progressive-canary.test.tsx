// Reference procedure (d) against a real Prometheus scraping the demo apps, driven by keys:
// shadow, 1%, 5%, 10%, 25%, a gate, then 50%, where the canary breaks; its error rate is far
// above the baseline's and errors-vs-baseline fires. The document's rollback is automated, so
// nobody presses R: after the analysis countdown (30 s, scaled) the rollback drains the canary,
// puts v5.2.4 back on it and verifies the stable hosts, once.
import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import { FLOOR, scaleMs } from '../../src/demo/timescale.js';
import { needBinary } from '../support/binaries.js';
import { assertRolledBack, type Driven, journal, operate, quit, startDriven } from './drive.js';

const prom = needBinary('prometheus', 'prometheus');
const SCALE = 300;

describe.skipIf(!prom)('demo: progressive canary on a real Prometheus (procedure d)', () => {
  it('degrade: at 50% the canary errors exceed 1.5x the baseline; after the countdown the rollback runs by itself, once', async () => {
    const d = await startDriven('progressive-canary.yaml', { timeScale: SCALE, metrics: 'prometheus' });
    let closed: Awaited<ReturnType<Driven['close']>> | undefined;
    try {
      expect(d.demo.metricsSource).toBe('prometheus');
      await expect.poll(d.frame, { timeout: 10_000 }).toMatch(/prometheus ok/);
      await operate(d, 'hold-50');
      await expect.poll(() => d.session.state.triggers['errors-vs-baseline']?.state, { timeout: 30_000 }).toBe('firing');
      await expect.poll(() => d.session.state.rollback.recommended?.countdownUntil, { timeout: 30_000 }).toBeDefined();
      // The countdown is on screen, and nobody presses R: it runs out and the rollback starts.
      await expect.poll(d.frame).toMatch(/AUTO ROLLBACK canary-rollback in \d+s/);
      await expect.poll(() => d.session.state.rollback.run?.ok, { timeout: 30_000 }).toBe(true);
      await expect.poll(() => d.demo.fleet.simulation.status().newShare).toBe(0);
      for (const h of ['search-c1.internal', 'search-c2.internal'])
        expect(readlinkSync(join(d.demo.root, 'hosts', h, 'current'))).toBe('releases/v5.2.4');
      await quit(d);
    } finally {
      closed = await d.close();
    }
    expect(existsSync(d.demo.root)).toBe(false);
    const events = journal(closed);
    assertRolledBack(events, {
      trigger: 'errors-vs-baseline',
      beyond: (v) => v > 1.5,
      level: 'canary-rollback',
      operator: 'alice',
      auto: true,
    });
    // The countdown is the document's 30 s analysis, time-scaled, and the rollback waited for it.
    const confirmed = events.filter((e): e is Extract<SessionEvent, { type: 'rollback/confirmed' }> => e.type === 'rollback/confirmed');
    expect(confirmed).toHaveLength(1);
    const rec = events
      .filter(
        (e): e is Extract<SessionEvent, { type: 'rollback/recommended' }> => e.type === 'rollback/recommended' && e.t <= confirmed[0].t,
      )
      .at(-1)!;
    expect(rec.countdownUntil! - rec.t).toBe(scaleMs(30_000, SCALE, FLOOR.countdown));
    expect(confirmed[0].t).toBeGreaterThanOrEqual(rec.countdownUntil!);
    // One decision, one rollback: it finished once, and no countdown was armed again afterwards.
    const finished = events.filter((e) => e.type === 'rollback/finished');
    expect(finished).toHaveLength(1);
    expect(
      events.filter(
        (e) => e.type === 'rollback/recommended' && e.t > finished[0].t && (e as { countdownUntil?: number }).countdownUntil !== undefined,
      ),
    ).toEqual([]);
  }, 120_000);
});
