// Given a step that Enter just started, when the cursor has moved on by itself, then Enter on the
// item it landed on waits until that item has been on screen for a moment: a double press, a key
// repeat or a paste never runs a step nobody has read. A cursor moved by hand does not wait.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/ui/App.js';
import { SETTLE_MS } from '../../src/ui/panes/checklist/settle.js';
import { initialUi, uiReducer } from '../../src/ui/use-console-ui.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { instantExecutors, liveModel } from './live.js';

let r: Rendered | undefined;
afterEach(() => {
  r?.unmount();
  r = undefined;
  vi.restoreAllMocks();
});
const frame = () => r!.lastFrame();

/** performance.now() under the test's hand: the settle time is measured on it. */
function frozenClock(start = 10_000) {
  let now = start;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  return { set: (t: number) => void (now = t), start };
}

/** A live console on the fixture runbook (backup, green-health, err-low, ...); `settleMs` as the caller asks. */
async function console_(settleMs?: number) {
  const exec = instantExecutors();
  const { model, session } = await liveModel(undefined, exec);
  r = renderSized(<App model={model} color={false} {...(settleMs === undefined ? {} : { settleMs })} />);
  await expect.poll(frame).toMatch(/▸ ○ Database backup/);
  const startedSteps = () =>
    session.store
      .events()
      .all()
      .flatMap((e) => (e.type === 'step/started' ? [e.step] : []));
  return { exec, session, startedSteps, status: (id: string) => session.state.steps[id]?.status ?? 'pending' };
}

const WAIT = /run step: just moved here: read it, then press Enter again \("Green answers health"\)/;

describe('Enter on an item the cursor moved to by itself', () => {
  it('two Enters in one read tick the first step and refuse the second, saying why', async () => {
    const c = await console_();
    // A double press as the terminal delivers it: one read holding both keys, before any new frame.
    r!.press(KEY.enter + KEY.enter);
    await expect.poll(frame).toMatch(/✓ Database backup/);
    await expect.poll(frame).toMatch(WAIT);
    expect(frame()).toMatch(/▸ ○ Green answers health/);
    expect(c.status('green-health')).toBe('pending');
    expect(c.startedSteps()).toEqual(['backup']);
    expect(c.exec.calls).toEqual([]);
  });

  it.each([
    ['the console default', undefined, SETTLE_MS],
    ['a shorter wait', 120, 120],
  ])('%s: Enter waits the settle time from when the item was drawn, then runs it', async (_name, asked, wait) => {
    const clock = frozenClock();
    const c = await console_(asked);
    r!.press(KEY.enter);
    // Drawn selected at clock.start: the wait runs from here.
    await expect.poll(frame).toMatch(/▸ ○ Green answers health/);
    r!.press(KEY.enter);
    await expect.poll(frame).toMatch(WAIT);
    // One millisecond short of the wait: still refused (a key clears the flash, Enter brings it back).
    clock.set(clock.start + wait - 1);
    r!.press('x');
    await expect.poll(frame).not.toMatch(WAIT);
    r!.press(KEY.enter);
    await expect.poll(frame).toMatch(WAIT);
    expect(c.startedSteps()).toEqual(['backup']);
    expect(c.exec.calls).toEqual([]);
    // The wait is over: Enter runs the step the detail line showed, and the cursor moves on again.
    clock.set(clock.start + wait);
    r!.press(KEY.enter);
    await expect.poll(() => c.status('green-health')).toBe('passed');
    expect(c.startedSteps()).toEqual(['backup', 'green-health']);
    expect(c.exec.calls).toHaveLength(2);
    await expect.poll(frame).toMatch(/▸ ○ Error rate below 0\.1%/);
    expect(frame()).not.toMatch(WAIT);
  });

  it('a cursor moved by hand (↑ then ↓) does not wait: the operator chose the item', async () => {
    frozenClock();
    const c = await console_();
    r!.press(KEY.enter);
    await expect.poll(frame).toMatch(/▸ ○ Green answers health/);
    r!.press(KEY.up);
    await expect.poll(frame).toMatch(/▸ ✓ Database backup/);
    r!.press(KEY.down);
    await expect.poll(frame).toMatch(/▸ ○ Green answers health/);
    // The clock has not moved at all: only the manual move can have lifted the wait.
    r!.press(KEY.enter);
    await expect.poll(() => c.status('green-health')).toBe('passed');
    expect(c.startedSteps()).toEqual(['backup', 'green-health']);
  });

  it('j and k are moves by hand too', async () => {
    frozenClock();
    const c = await console_();
    r!.press(KEY.enter);
    await expect.poll(frame).toMatch(/▸ ○ Green answers health/);
    r!.press('k');
    await expect.poll(frame).toMatch(/▸ ✓ Database backup/);
    r!.press('j');
    await expect.poll(frame).toMatch(/▸ ○ Green answers health/);
    r!.press(KEY.enter);
    await expect.poll(() => c.status('green-health')).toBe('passed');
  });
});

describe('the UI state behind it', () => {
  const moveTo = (auto: boolean, from = 0) =>
    uiReducer(
      { ...initialUi(), cursor: { ...initialUi().cursor, checklist: from } },
      { type: 'move', pane: 'checklist', by: 1, max: 3, ...(auto ? { auto } : {}) },
    );
  it.each([
    ['moved on by the console', true, 0, { cursor: 1 }],
    ['moved by hand', false, 0, undefined],
    ['at the last item the cursor stays: nothing new to read', true, 2, undefined],
  ])('%s', (_name, auto, from, want) => {
    expect(moveTo(auto, from).moved).toEqual(want);
  });

  it('the wait starts when the item is drawn, once; a move by hand clears it', () => {
    const s = moveTo(true);
    const drawn = uiReducer(s, { type: 'drawn', cursor: 1, readyAt: 500 });
    expect(drawn.moved).toEqual({ cursor: 1, readyAt: 500 });
    // A later frame does not push the wait further.
    expect(uiReducer(drawn, { type: 'drawn', cursor: 1, readyAt: 900 }).moved).toEqual({ cursor: 1, readyAt: 500 });
    // A frame of another item (stale) does not stamp this one.
    expect(uiReducer(s, { type: 'drawn', cursor: 0, readyAt: 500 }).moved).toEqual({ cursor: 1 });
    expect(uiReducer(drawn, { type: 'move', pane: 'checklist', by: -1, max: 3 }).moved).toBeUndefined();
    // Other panes' cursors leave it alone.
    expect(uiReducer(drawn, { type: 'move', pane: 'rollback', by: 1, max: 3 }).moved).toEqual({ cursor: 1, readyAt: 500 });
  });
});
