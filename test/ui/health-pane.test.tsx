// Given a journal with samples, sparkline windows (a compare panel's with its baseline) and firing
// alerts, when the console shows it at 160x48, then the health pane draws them from the state.
import { afterEach, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import { App } from '../../src/ui/App.js';
import { T0, at, started } from '../core/fixtures.js';
import { renderSized, type Rendered } from '../support/ink.js';
import { staticModel } from './model.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());

const STEP = 10_000;
const window = (f: (i: number) => number) => Array.from({ length: 30 }, (_, i) => [T0 + i * STEP, f(i)] as [number, number]);
const T = 30 * STEP;

it('draws the error rate against its thresholds, canary against baseline, and the firing alerts', async () => {
  const events: SessionEvent[] = [
    started(),
    at(T / 1000, { type: 'metric/sampled', panel: 'error_rate', at: T0 + T, series: [{ labels: {}, value: 0.03 }] }),
    at(T / 1000, {
      type: 'metric/sampled',
      panel: 'p95_canary',
      at: T0 + T,
      series: [{ labels: {}, value: 0.5 }],
      baseline: [{ labels: {}, value: 0.2 }],
    }),
    at(T / 1000, { type: 'metric/range', panel: 'error_rate', from: T0, step: STEP, points: window((i) => i * 0.001) }),
    at(T / 1000, {
      type: 'metric/range',
      panel: 'p95_canary',
      from: T0,
      step: STEP,
      points: window((i) => 0.2 + i * 0.01),
      baseline: window(() => 0.2),
    }),
    at(T / 1000, {
      type: 'alerts/updated',
      alerts: [{ name: 'CheckoutErrors', severity: 'critical', startsAt: T0 + T - 90_000, labels: {} }],
    }),
  ];
  r = renderSized(<App model={staticModel(events, T0 + T)} color={false} />, 160, 48);
  await expect.poll(() => r!.lastFrame()).toMatch(/ALERTS FIRING \(1\)/);
  const frame = r.lastFrame();
  expect(frame).toMatch(/critical {2}CheckoutErrors {2}for 1m30s/);
  // Error rate from 0% to 3% (the window, then the latest sample): warn (1%) is a rule across the chart; crit (5%) is above it.
  expect(frame).toMatch(/3% [⠀-⣿ ]+↑ crit > 5%/);
  expect(frame).toMatch(/┄ warn/);
  // The compare panel: both series, the ratio now (500ms / 200ms) and over the window with the latest sample.
  expect(frame).toMatch(/── canary {2}·· baseline {2}ratio 2\.5× now, 1×–2\.5× over 5m/);
  expect(frame).toMatch(/500ms [⠀-⣿ ]+│/);
});
