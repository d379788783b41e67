// The live judge driver: every judgment is evaluated (for triggers), but only one that changes the
// verdict, the score or a class is journaled. A stub query API stands in for Prometheus here; the
// judge against a real one is judge-live.test.ts.
import { afterEach, expect, it } from 'vitest';
import type { JudgeVerdict } from '../../src/core/events.js';
import { recordingContext } from '../../src/drivers/context.js';
import type { PromClient, RangeResult } from '../../src/drivers/prometheus/client.js';
import { type JudgeDriver, startJudge } from '../../src/judge/driver.js';
import { loadRunbookText } from '../../src/runbook/index.js';

const RUNBOOK = `
name: driver
prometheus: { url: "http://127.0.0.1:9" }
health:
  - { id: lat, title: Lat, compare: { canary: canary_q, baseline: baseline_q }, judge: { window: 1m, step: 5s } }
judge: { every: 1s }
phases: [{ id: p, title: P, steps: [] }]
`;

let driver: JudgeDriver | undefined;
afterEach(() => driver?.stop());

it('journals a judgment when it says something new; evaluates every one', async () => {
  const rb = loadRunbookText('t.yaml', RUNBOOK).runbook!;
  let canaryShift = 0;
  const series = (base: number, shift: number): RangeResult => ({
    series: [{ labels: {}, points: Array.from({ length: 12 }, (_, i) => [i * 5, base + (i % 4) + shift] as [number, number]) }],
    warnings: [],
  });
  const client = {
    queryRange: async (q: string) => (q === 'canary_q' ? series(100, canaryShift) : series(100, 0)),
  } as unknown as PromClient;
  const ctx = recordingContext();
  const evaluated: JudgeVerdict[] = [];
  driver = startJudge(rb, ctx, { client, evaluate: (e) => evaluated.push(e) });
  await expect.poll(() => evaluated.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
  // The same data twice: one journaled judgment (identical samples: Pass, score 100).
  expect(ctx.events.map((e) => (e as JudgeVerdict).verdict)).toEqual(['pass']);
  canaryShift = 50;
  await expect.poll(() => ctx.events.length, { timeout: 5000 }).toBe(2);
  const high = ctx.events[1] as JudgeVerdict;
  expect(high).toMatchObject({ verdict: 'fail', score: 0 });
  expect(high.metrics[0]).toMatchObject({ class: 'High', canaryCount: 12, baselineCount: 12, estimate: 50 });
  expect(evaluated.length).toBeGreaterThanOrEqual(3);
});

it('a side that returns several series is no data (aggregate the query), never one picked from them; a throwing evaluation does not stop judging', async () => {
  const rb = loadRunbookText('t.yaml', RUNBOOK).runbook!;
  const one = (base: number) => ({
    labels: { pod: String(base) },
    points: Array.from({ length: 12 }, (_, i) => [i * 5, base + (i % 4)] as [number, number]),
  });
  const client = {
    queryRange: async (q: string) => ({ series: q === 'canary_q' ? [one(100), one(300)] : [one(100)], warnings: [] }),
  } as unknown as PromClient;
  const ctx = recordingContext();
  let calls = 0;
  driver = startJudge(rb, ctx, {
    client,
    evaluate: () => {
      calls++;
      throw new Error('a trigger evaluation that throws');
    },
  });
  await expect.poll(() => calls, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
  const j = ctx.events[0] as JudgeVerdict;
  expect(j.metrics[0]).toMatchObject({ class: 'NoData', canaryCount: 0 });
  expect(j.metrics[0].error).toMatch(/canary: query: the query returned 2 series; the judge compares one a side: aggregate it/);
});
