// Given a checklist, when a step is selected, then it shows what it will do before Enter runs it; Enter moves on.
import { afterEach, describe, expect, it } from 'vitest';
import { reduceAll, type SessionEvent } from '../../src/core/index.js';
import { selectChecklist } from '../../src/core/select-checklist.js';
import type { Runbook } from '../../src/runbook/index.js';
import { App } from '../../src/ui/App.js';
import { dialogView } from '../../src/ui/dialogs.js';
import { checklistLines } from '../../src/ui/panes/checklist/rows.js';
import { gateLines } from '../../src/ui/panes/checklist/gate-lines.js';
import { plain } from '../../src/ui/rows.js';
import { T0, at, runbook, started } from '../core/fixtures.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { instantExecutors, liveModel } from './live.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());
const frame = () => r!.lastFrame();

const rb = runbook();
const lines = (cursor: number, height = 30, width = 120, book: Runbook = rb) =>
  checklistLines({
    phases: selectChecklist(reduceAll([started(book)]), T0),
    cursor,
    width,
    height,
    now: T0,
    color: false,
    runbook: book,
  }).map(plain);

describe('the selected step shows what it will do', () => {
  // Items: backup, green-health, err-low, lb-up, GATE 1, shift, soak.
  it.each([
    [0, 'manual', [/manual: Enter records it as done/]],
    [1, 'run', [/ssh green \(2 hosts\): curl -fsS localhost:3000\/api\/health/, /on app-g1\.internal, app-g2\.internal; timeout 10s/]],
    // The check reads in the panel's unit (ratio panel: percent), as the health pane writes it.
    [2, 'expect', [/check Error rate < 0\.1%/, /keeps checking for up to 1m/]],
    [3, 'http', [/GET http:\/\/lb1\.internal\/healthz/, /expects HTTP 200 within 3s/]],
    [5, 'run on one host', [/ssh lb \(1 host\): lbctl weight blue 50/, /on lb1\.internal$/]],
    [6, 'wait', [/wait 2m00s|wait 2m/]],
  ])('item %i (%s): its detail sits right under it', (cursor, _kind, want) => {
    const out = lines(cursor);
    const at = out.findIndex((l) => l.startsWith(' ▸ '));
    expect(at).toBeGreaterThanOrEqual(0);
    for (const [i, re] of want.entries()) expect(out[at + 1 + i]).toMatch(re);
    // Only the selected step has a detail: every other step is one line.
    const details = out.filter((l) => /^ {5}\S/.test(l));
    expect(details).toHaveLength(want.length);
  });

  it('a pane of few rows gets one detail line, and the step and its detail stay in view', () => {
    for (const height of [3, 4, 6]) {
      const out = lines(5, height);
      expect(out.length).toBeLessThanOrEqual(height);
      const at = out.findIndex((l) => l.startsWith(' ▸ '));
      expect(out[at], `height ${height}`).toMatch(/Shift 50%/);
      expect(out[at + 1], `height ${height}`).toMatch(/ssh lb \(1 host\): lbctl weight blue 50 {2}on lb1\.internal/);
    }
  });

  it('a short pane splits the detail in two rather than cut the hosts off', () => {
    const out = lines(1, 4, 70);
    expect(out).toHaveLength(4);
    const at = out.findIndex((l) => l.startsWith(' ▸ '));
    expect(out[at]).toMatch(/Green answers health/);
    expect(out[at + 1]).toMatch(/ssh green \(2 hosts\): curl -fsS localhost:3000\/api\/health$/);
    expect(out[at + 2]).toBe('     on app-g1.internal, app-g2.internal; timeout 10s');
  });

  it('a selected gate shows its description', () => {
    const book = withGateDescription('Go only if the DBA confirmed the backup and error rate is flat.');
    const out = lines(4, 30, 120, book);
    const at = out.findIndex((l) => l.startsWith(' ▸ '));
    expect(out[at]).toMatch(/◆ GATE 1/);
    expect(out[at + 1]).toMatch(/Go only if the DBA confirmed the backup/);
  });
});

describe('Enter runs the step the detail described, then the cursor moves on', () => {
  it('a run step: command and hosts visible first; after Enter the next step is selected', async () => {
    const exec = instantExecutors();
    const { model } = await liveModel(undefined, exec);
    // Enter right after the cursor moved on: no settle wait here (test/ui/checklist-settle.test.tsx covers it).
    r = renderSized(<App model={model} color={false} settleMs={0} />);
    await expect.poll(frame).toMatch(/▸ ○ Database backup/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/▸ ○ Green answers health/);
    expect(frame()).toMatch(/ssh green \(2 hosts\): curl -fsS localhost:3000\/api\/health/);
    expect(frame()).toMatch(/on app-g1\.internal, app-g2\.internal/);
    expect(exec.calls).toEqual([]);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/✓ Green answers health/);
    await expect.poll(frame).toMatch(/▸ ○ Error rate below 0\.1%/);
    expect(frame()).toMatch(/check Error rate < 0\.1%/);
    expect(exec.calls).toHaveLength(2);
  });

  it('a refused Enter leaves the cursor where it is', async () => {
    const { model } = await liveModel();
    r = renderSized(<App model={model} color={false} />);
    await expect.poll(frame).toMatch(/▸ ○ Database backup/);
    r.press(KEY.down);
    await expect.poll(frame).toMatch(/▸ ○ Green answers health/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/run step: waits for "Database backup verified"/);
    expect(frame()).toMatch(/▸ ○ Green answers health/);
  });
});

describe('the gate dialog', () => {
  const book = withGateDescription('Go only if the DBA confirmed the backup.');
  const events: SessionEvent[] = [
    started(book),
    at(1, { type: 'metric/sampled', panel: 'error_rate', at: T0 + 1000, series: [{ labels: {}, value: 0.02 }] }),
    at(1, {
      type: 'metric/sampled',
      panel: 'p95_canary',
      at: T0 + 1000,
      series: [{ labels: {}, value: 0.2 }],
      baseline: [{ labels: {}, value: 0.19 }],
    }),
    at(2, { type: 'alerts/updated', alerts: [{ name: 'HighLatency', severity: 'page', startsAt: T0, labels: {} }] }),
  ];

  it('shows the description and the health now: counts, the panel that is not OK with its check, alerts', () => {
    const state = reduceAll(events);
    const text = gateLines(state, 'pre', T0 + 2000).map(plain);
    expect(text[0]).toBe('Go only if the DBA confirmed the backup.');
    expect(text).toContainEqual('Health now: 1 WARN, 1 OK; 1 alert firing');
    expect(text.find((l) => l.includes('Error rate'))).toMatch(/WARN {2}Error rate: 2% \(warn > 1%\)/);
    expect(text.some((l) => l.includes('p95 canary'))).toBe(false);
    // In the dialog itself, before the go / no-go choice.
    const view = dialogView({ kind: 'gate', phase: 'pre', title: 'GATE 1: go / no-go', input: '' }, state, '').lines.map(plain);
    expect(view.indexOf('Go only if the DBA confirmed the backup.')).toBeLessThan(view.findIndex((l) => l.includes('GO: unlock')));
    expect(view.some((l) => l.startsWith('Health now:'))).toBe(true);
  });

  it('all panels OK, and no description: the health line alone', () => {
    const ok = reduceAll(
      [started(), events[1], events[2]].map((e, i) => (i === 1 ? { ...e, series: [{ labels: {}, value: 0.001 }] } : e)) as SessionEvent[],
    );
    expect(gateLines(ok, 'pre', T0 + 1000).map(plain)).toEqual(['Health now: all 2 panels OK']);
  });

  it('opens from the checklist with the description and the health summary', async () => {
    const { model, session } = await liveModel(book);
    for (const id of ['backup', 'green-health', 'err-low', 'lb-up']) session.skip(id, 'test');
    await session.store.settled();
    r = renderSized(<App model={model} color={false} />);
    for (let i = 0; i < 4; i++) r.press(KEY.down);
    await expect.poll(frame).toMatch(/▸ ◆ GATE 1/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/g GO · n NO-GO/);
    expect(frame()).toMatch(/Go only if the DBA confirmed the backup\./);
    expect(frame()).toMatch(/Health now: 2 WAITING/);
  });
});

function withGateDescription(description: string): Runbook {
  return { ...rb, phases: rb.phases.map((p, i) => (i === 0 ? { ...p, gate: { title: p.gate!.title, description } } : p)) };
}
