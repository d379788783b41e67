import { renderSized } from '../support/ink.js';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import type { SessionEvent } from '../../src/core/index.js';
import { T0, at, started } from '../core/fixtures.js';
import { staticModel } from './model.js';

describe('App', () => {
  it('renders four panes', async () => {
    const m = staticModel(
      [
        started(),
        at(1, { type: 'metric/sampled', panel: 'error_rate', at: T0 + 1000, series: [{ labels: {}, value: 0.02 }] }) as SessionEvent,
      ],
      T0 + 2000,
    );
    const r = renderSized(<App model={m} color={false} size={{ columns: 160, rows: 40 }} />);
    await expect.poll(() => r.lastFrame()).toMatch(/Checklist/);
    r.unmount();
  });
});
