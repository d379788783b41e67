// The console, replay and the report tell one story. Given a recorded journal, when the report
// is built and when replay stands at any position, then their timelines are the story the live
// console's selection (core/story.ts) tells of the same events, line for line.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import { sanitizeLine } from '../../src/core/controls.js';
import { SEVERITY_MARK } from '../../src/core/select-timeline.js';
import { storyOf } from '../../src/core/story.js';
import { checkIntegrity } from '../../src/journal/integrity.js';
import { buildReport } from '../../src/report/build.js';
import { collect } from '../../src/report/collect.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { positionView } from '../../src/replay/model.js';
import { openReplay } from '../../src/replay/open.js';
import type { Player } from '../../src/replay/player.js';
import { EventLog } from '../../src/session/event-log.js';

const JOURNALS = ['checkout-rolled-back', 'config-push-completed', 'checkout-resumed', 'demo-degrade'].map(
  (n) => `fixtures/sessions/${n}.jsonl`,
);

/** The journal's events as the session emitted them (without the journal's seq and hash). */
function eventsOf(path: string): SessionEvent[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const { seq: _s, hash: _h, ...e } = JSON.parse(l);
      return e as SessionEvent;
    });
}

const opened: Player[] = [];
afterAll(() => {
  for (const p of opened) p.index.close();
});

describe('one story: console, replay and report', () => {
  it.each(JOURNALS)('%s: the report tells the story the console tells', async (path) => {
    const events = eventsOf(path);
    const live = new EventLog(undefined);
    for (const e of events) live.push(e);
    const told = Array.from({ length: live.story.length }, (_, k) => live.story.get(k));
    expect(told).toEqual(storyOf(events));
    // Fewer lines than events: samples, sparklines and output are not told.
    expect(told.length).toBeLessThan(events.length);

    const report = buildReport(path, await collect(path), await checkIntegrity(path));
    expect(report.timeline.map((l) => [l.elapsed, l.severity, l.kind, l.text])).toEqual(
      told.map((l) => [l.elapsed, l.severity, l.kind, sanitizeLine(l.text)]),
    );
    // Each decision is named as the timeline names it.
    const byTime = new Map(told.map((l) => [`${l.t} ${sanitizeLine(l.text)}`, l]));
    for (const d of report.decisions) expect(byTime.has(`${d.t} ${d.what}`), d.what).toBe(true);
    const md = renderMarkdown(report);
    expect(md).toContain('## Timeline');
    for (const l of told) expect(md).toContain(`- ${l.elapsed} ${SEVERITY_MARK[l.severity].trim()} ${sanitizeLine(l.text)}\n`);
  });

  it.each(JOURNALS)('%s: replay at any position shows the story of the events before it', async (path) => {
    const events = eventsOf(path);
    const p = await openReplay(path, { paused: true });
    opened.push(p);
    await p.index.run();
    for (const f of [0, 0.1, 0.35, 0.5, 0.8, 1]) {
      p.seekFraction(f);
      const view = positionView(p);
      const shown = Array.from({ length: view.story.length }, (_, k) => view.story.get(k));
      expect(shown).toEqual(storyOf(events.slice(0, p.position)));
    }
  });
});
