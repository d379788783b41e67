// Why a trigger fired, as the rollback pane's "why:" line, the timeline and the report say it:
// value and condition in the panel's unit, never a percentage next to a ratio.
import { describe, expect, it } from 'vitest';
import { triggerReason } from '../../src/core/select-triggers.js';
import { TriggerEvaluator } from '../../src/drivers/triggers.js';
import type { SessionEvent } from '../../src/core/index.js';
import { runbook } from './fixtures.js';

const rb = runbook('blue-green');
const trigger = (id: string) => rb.rollback!.triggers!.find((t) => t.id === id)!;
const panel = (id: string) => rb.health!.find((p) => p.id === id);

describe('trigger reasons in one unit', () => {
  it('a value check: value, condition and for, all in the panel unit', () => {
    const t = trigger('errors-high');
    expect(triggerReason(t, panel(t.when.panel), 0.155)).toBe('errors-high (critical): Error rate 15.5% > 5% for 30s');
  });

  it('a ratio check with both sides: canary = ratio × baseline > threshold', () => {
    const t = trigger('p95-slow');
    expect(triggerReason(t, panel(t.when.panel), 4.1 / 0.194, { canary: 4.1, baseline: 0.194 })).toBe(
      'p95-slow (major): p95 canary vs baseline: canary 4.1s = 21× baseline 194ms > 2× for 1m',
    );
  });

  it('the evaluator recommends with that reason', () => {
    const ev = new TriggerEvaluator(rb);
    const out = [0, 20_000, 40_000, 61_000].flatMap((t) =>
      ev.observe({
        type: 'metric/sampled',
        t,
        at: t,
        panel: 'p95_canary',
        series: [{ labels: {}, value: 4.1 }],
        baseline: [{ labels: {}, value: 0.194 }],
      } as SessionEvent),
    );
    const rec = out.find((e) => e.type === 'rollback/recommended') as { reason: string } | undefined;
    expect(rec?.reason).toBe('p95-slow (major): p95 canary vs baseline: canary 4.1s = 21× baseline 194ms > 2× for 1m');
  });
});
