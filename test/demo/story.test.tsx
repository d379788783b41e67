// The demo's default scenario as the operator reads it when it goes wrong: at the moment its
// trigger fires, the timeline still shows the step that shifted traffic, the gate decision before
// it and the firing line with value and condition in one unit, at 160x48 and, zoomed, at 80x24.
import { describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { sessionModel } from '../../src/ui/session-model.js';
import { renderSized } from '../support/ink.js';
import { type Driven, operate, startDriven } from './drive.js';

/** The inside of the pane whose title holds `title`, at the left edge of a frame (as the timeline is in war-room, stacked and zoomed). */
function paneText(frame: string, title: string): string {
  const rows = frame.split('\n');
  const top = rows.findIndex((r) => r.includes(title));
  if (top < 0) return '';
  const out: string[] = [];
  for (const r of rows.slice(top + 1)) {
    if (/^[└╚]/.test(r)) break;
    const inner = r.slice(1);
    const end = inner.search(/[│║]/);
    out.push(end < 0 ? inner : inner.slice(0, end));
  }
  return out.join('\n');
}

describe('demo: the timeline tells the story when the trigger fires', () => {
  it('shows the traffic shift, the gate decision and the firing line in one unit, at 160x48 and zoomed at 80x24', async () => {
    const d: Driven = await startDriven('blue-green-gates.yaml', { timeScale: 10 });
    const small = renderSized(
      <App model={sessionModel(d.session, { journalPath: d.journalPath, onQuit: () => undefined })} color={false} />,
      80,
      24,
    );
    try {
      await expect.poll(d.frame, { timeout: 10_000 }).toMatch(/simulated ok/);
      // The narrow console: the timeline focused and zoomed to the whole screen.
      await expect.poll(() => small.lastFrame()).toMatch(/3 Timeline/);
      small.press('3');
      small.press('z');
      await expect.poll(() => small.lastFrame()).toMatch(/3 Timeline.*\[zoomed/);

      await operate(d, 'soak-50');
      const firing = /trigger errors-high FIRING: Error rate \d+(\.\d+)?% > 10% for 3s/;
      await expect.poll(() => paneText(d.frame(), '3 Timeline'), { timeout: 60_000 }).toMatch(firing);
      for (const [size, frame] of [
        ['160x48', d.frame()],
        ['80x24', small.lastFrame()],
      ] as const) {
        const timeline = paneText(frame, '3 Timeline');
        expect(timeline, size).toMatch(firing);
        expect(timeline, size).toMatch(/gate deploy-blue: GO by alice/);
        expect(timeline, size).toMatch(/step shift-50 (started|passed)/);
        // Samples are not lines.
        expect(timeline, size).not.toMatch(/sparkline|error_rate =/);
      }
    } finally {
      small.unmount();
      await d.close();
    }
  }, 120_000);
});
