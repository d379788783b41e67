// Given a live session whose panels are sampled many times, when the operator looks at the
// timeline, then it tells the story (no samples, a severity mark on every line, without colour);
// e shows every event and back, and scroll, follow, filter and note work in both views.
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import { App } from '../../src/ui/App.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { liveModel } from './live.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());
const frame = () => r!.lastFrame();
/** The timeline pane's inner rows: the frame's rows between its borders, blank ones left out. */
const pane = () => {
  const rows = frame().split('\n');
  const top = rows.findIndex((l) => l.includes('3 Timeline'));
  const from = rows[top].indexOf('3 Timeline') - 2;
  const to = rows[top].indexOf('╗', from);
  const body: string[] = [];
  for (const l of rows.slice(top + 1)) {
    if (l[from - 1] === '╚') break;
    if (l.slice(from, to).trim()) body.push(l.slice(from, to));
  }
  return body.join('\n');
};

async function busySession() {
  const { model, session } = await liveModel();
  const sample = (value: number) =>
    void session.emit({
      type: 'metric/sampled',
      t: session.now(),
      panel: 'error_rate',
      at: session.now(),
      series: [{ labels: {}, value }],
    });
  for (let i = 0; i < 20; i++) sample(0.001 + i / 1e5);
  void session.emit({ type: 'gate/decided', t: session.now(), phase: 'pre', decision: 'go', operator: 'alice' } as SessionEvent);
  void session.emit({ type: 'step/started', t: session.now(), phase: 'cutover-50', step: 'shift' });
  for (let i = 0; i < 20; i++) sample(0.08);
  void session.emit({
    type: 'trigger/firing',
    t: session.now(),
    trigger: 'errors-high',
    value: 0.08,
    check: '> 0.05',
    since: session.now(),
  });
  for (let i = 0; i < 40; i++) sample(0.08 + i / 1e4);
  await session.store.settled();
  return { model, session };
}

describe('timeline: the story by default, every event on e', () => {
  it('tells the story with marks, without colour; e toggles the raw stream and the title says which', async () => {
    const { model } = await busySession();
    r = renderSized(<App model={model} color={false} />, 220, 40);
    r.press('3');
    await expect.poll(frame).toMatch(/╔═ 3 Timeline: story \(following\)/);
    await expect.poll(pane).toMatch(/!! trigger errors-high FIRING: Error rate 8% > 5% for 30s \(critical\)/);
    const story = pane();
    expect(story).toMatch(/ok gate pre: GO by alice/);
    expect(story).toMatch(/· {2}step shift started: Shift 50%/);
    // Eighty samples, one state change.
    expect(story.match(/Error rate: CRITICAL 8% > 5%/g)).toHaveLength(1);
    expect(story).not.toMatch(/error_rate = /);
    expect(frame()).toMatch(/e all events/);

    r.press('e');
    await expect.poll(frame).toMatch(/╔═ 3 Timeline: all events \(following\)/);
    await expect.poll(pane).toMatch(/error_rate = 0\.08/);
    expect(frame()).toMatch(/e story/);

    r.press('e');
    await expect.poll(frame).toMatch(/╔═ 3 Timeline: story \(following\)/);
    await expect.poll(pane).not.toMatch(/error_rate = /);
  });

  it('scrolled up, the window stays on its lines while new ones are told below it, in both views', async () => {
    const { model, session } = await busySession();
    r = renderSized(<App model={model} color={false} />, 220, 40);
    r.press('3');
    await expect.poll(pane).toMatch(/trigger errors-high FIRING/);
    for (const view of ['story', 'all events']) {
      if (view === 'all events') {
        r.press('e');
        await expect.poll(frame).toMatch(/3 Timeline: all events/);
      }
      r.press('k');
      await expect.poll(frame).not.toMatch(/3 Timeline: [a-z ]+ \(following\)/);
      const before = pane();
      // Lines of both views arrive: the soak starts (then passes) and a note is added.
      void session.emit(
        view === 'story'
          ? { type: 'step/started', t: session.now(), phase: 'cutover-50', step: 'soak' }
          : ({ type: 'step/passed', t: session.now(), step: 'soak' } as SessionEvent),
      );
      void session.emit({ type: 'note/added', t: session.now(), operator: 'alice', text: `new line in ${view}` });
      await session.store.settled();
      // A frame drawn after the events were folded (the checklist shows the soak's new state): the window has not moved.
      await expect.poll(frame).toMatch(view === 'story' ? /◐ Soak 2 minutes/ : /✓ Soak 2 minutes/);
      expect(pane()).toBe(before);
      expect(pane()).not.toMatch(new RegExp(`new line in ${view}`));
      // Following again shows them.
      r.press('f');
      await expect.poll(pane).toMatch(new RegExp(`new line in ${view}`));
    }
  });

  it('in a 78-column pane the wall clock gives way: the firing line keeps its value and condition whole', async () => {
    const { model } = await busySession();
    r = renderSized(<App model={model} color={false} />, 160, 40);
    r.press('3');
    await expect.poll(pane).toMatch(/T\+00:00 !! trigger errors-high FIRING: Error rate 8% > 5% for 30s/);
    expect(pane()).not.toMatch(/\d\d:\d\d:\d\d T\+/);
  });

  it('scroll, follow and filter work in both views', async () => {
    const { model } = await busySession();
    r = renderSized(<App model={model} color={false} />, 220, 40);
    r.press('3');
    await expect.poll(pane).toMatch(/FIRING/);

    // Story: scrolled up, the newest line leaves the pane; f follows again.
    const newest = pane().split('\n').at(-1)!;
    r.press(KEY.up);
    await expect.poll(frame).toMatch(/╔═ 3 Timeline: story ═/);
    expect(pane()).not.toContain(newest);
    r.press('f');
    await expect.poll(frame).toMatch(/3 Timeline: story \(following\)/);

    // Raw: scrolled back to the start, then the filter finds one event among the samples.
    r.press('e');
    await expect.poll(frame).toMatch(/3 Timeline: all events \(following\)/);
    for (let i = 0; i < 20; i++) r.press('\x1b[5~');
    await expect.poll(pane).toMatch(/session started by alice/);
    expect(frame()).toMatch(/╔═ 3 Timeline: all events ═/);
    r.press('f');
    r.press('/');
    r.press('firing');
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/filter: firing/);
    await expect.poll(pane).toMatch(/trigger errors-high FIRING: 0\.08 > 0\.05/);
    expect(pane()).not.toMatch(/error_rate = /);

    // The filter holds in the story too, where the line reads in the panel's unit.
    r.press('e');
    await expect.poll(pane).toMatch(/trigger errors-high FIRING: Error rate 8% > 5% for 30s \(critical\)/);
    expect(pane()).not.toMatch(/gate pre/);
  });

  it('e keeps the same moment at the bottom: a story line, then the samples around it, then back', async () => {
    const { model } = await busySession();
    r = renderSized(<App model={model} color={false} />, 220, 40);
    r.press('3');
    await expect.poll(pane).toMatch(/FIRING/);
    const bottom = () => pane().split('\n').at(-1)!;
    // Story: session, gate, step, the error rate's change, the trigger. Three up: the gate is at the bottom.
    for (let i = 0; i < 3; i++) r.press(KEY.up);
    await expect.poll(bottom).toMatch(/ok gate pre: GO by alice/);
    r.press('e');
    await expect.poll(frame).toMatch(/3 Timeline: all events ═/);
    expect(bottom()).toMatch(/gate pre: GO by alice/);
    // Above it, the samples the story leaves out.
    expect(pane()).toMatch(/error_rate = 0\.00119 *\n[^\n]*gate pre: GO/);
    r.press(KEY.up);
    await expect.poll(bottom).toMatch(/error_rate = 0\.00119/);
    r.press('e');
    await expect.poll(frame).toMatch(/3 Timeline: story ═/);
    // The last story line told before that sample: the session's start.
    expect(bottom()).toMatch(/session started by alice/);
  });

  it('n adds a note that shows in the raw view as in the story', async () => {
    const { model, session } = await busySession();
    r = renderSized(<App model={model} color={false} />, 220, 40);
    r.press('3');
    r.press('e');
    await expect.poll(frame).toMatch(/3 Timeline: all events/);
    r.press('n');
    await expect.poll(frame).toMatch(/Add a note to the timeline/);
    r.press('blue looks hot');
    r.press(KEY.enter);
    await expect.poll(pane).toMatch(/· {2}note \(alice\): blue looks hot/);
    expect(session.state.notes.at(-1)).toMatchObject({ text: 'blue looks hot' });
    r.press('e');
    await expect.poll(frame).toMatch(/3 Timeline: story/);
    await expect.poll(pane).toMatch(/note \(alice\): blue looks hot/);
  });
});
