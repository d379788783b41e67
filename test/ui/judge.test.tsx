// Given a live session whose canary judgment is marginal, when the operator looks at the health
// pane and presses J, then the pane shows the score, the question and each judged metric's figures,
// and the decision is journaled like a gate's (no-go needs a reason).
import { afterEach, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import { App } from '../../src/ui/App.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { T0, at, started } from '../core/fixtures.js';
import { liveModel } from './live.js';
import { staticModel } from './model.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());
const frame = () => r!.lastFrame();

const marginal = (t: number): SessionEvent => ({
  type: 'judge/verdict',
  t,
  score: 80,
  verdict: 'marginal',
  pass: 95,
  marginal: 75,
  metrics: [
    {
      panel: 'p95_canary',
      group: 'p95_canary',
      critical: false,
      mustHaveData: false,
      confidence: 0.98,
      window: { start: t - 600_000, end: t, step: 15_000 },
      class: 'High',
      canaryCount: 40,
      baselineCount: 39,
      canaryMean: 0.3,
      baselineMean: 0.2,
      u: 1400,
      p: 0.0004,
      estimate: 0.1,
      lower: 0.06,
      upper: 0.14,
      effect: 1.5,
      why: '98% interval of the shift lies above +0.025 (tolerance 0.25 × |estimate|), effect 1.5× ≥ 1',
    },
  ],
});

it('a marginal canary is a question on the health pane; J decides it, no-go with a reason', async () => {
  const { model, session } = await liveModel();
  await session.emit(marginal(session.state.t + 1000));
  r = renderSized(<App model={model} color={false} />, 160, 48);
  r.press('1');
  // Zoomed: the figures are one long line.
  r.press('z');
  await expect.poll(frame).toMatch(/◆ canary score 80 of 100: MARGINAL \(pass ≥ 95, marginal ≥ 75\)/);
  expect(frame()).toMatch(/INCONCLUSIVE: decide the canary/);
  // The judged panel: class, counts, U, p, shift with its interval, effect size; and why.
  expect(frame()).toMatch(/judge HIGH {2}40 vs 39 values, U 1400, p 4\.0e-4, shift \+100ms \[\+60ms, \+140ms\] 98%, effect 1\.5×/);
  expect(frame()).toMatch(/98% interval of the shift lies above/);
  r.press('J');
  await expect.poll(frame).toMatch(/Canary inconclusive: your decision/);
  r.press('n');
  await expect.poll(frame).toMatch(/Reason \(required\)/);
  r.press(KEY.enter);
  await expect.poll(frame).toMatch(/no-go needs a reason/);
  expect(session.state.judge?.decided).toBeUndefined();
  r.press('p95 keeps climbing');
  r.press(KEY.enter);
  await expect
    .poll(() => session.state.judge?.decided)
    .toMatchObject({ decision: 'no-go', operator: 'alice', reason: 'p95 keeps climbing', score: 80 });
  await expect.poll(frame).toMatch(/NO-GO by alice: p95 keeps climbing/);
  expect(frame()).not.toMatch(/INCONCLUSIVE/);
  // Decided once: J now says why there is nothing to decide.
  r.press('J');
  await expect.poll(frame).toMatch(/already decided: no-go by alice/);
});

it('a panel past a threshold says its value, the condition it meets and by how much', async () => {
  const events: SessionEvent[] = [
    started(),
    at(10, { type: 'metric/sampled', panel: 'error_rate', at: T0 + 10_000, series: [{ labels: {}, value: 0.08 }] }),
    at(10, {
      type: 'metric/sampled',
      panel: 'p95_canary',
      at: T0 + 10_000,
      series: [{ labels: {}, value: 0.5 }],
      baseline: [{ labels: {}, value: 0.2 }],
    }),
  ];
  r = renderSized(<App model={staticModel(events, T0 + 10_000)} color={false} />, 160, 48);
  await expect.poll(frame).toMatch(/crit: 8% > 5%, past it by 3%/);
  expect(frame()).toMatch(/crit: ratio 2\.5× > 2×, past it by 0\.5×/);
});
