// Given a live session far longer than the events it keeps in memory, when the operator scrolls
// the timeline's raw view (every event) back or filters it, then the older events show, read back
// from the journal.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { App } from '../../src/ui/App.js';
import type { SessionEvent } from '../../src/core/index.js';
import { JournalWriter } from '../../src/journal/index.js';
import { Session } from '../../src/session/session.js';
import { sessionModel } from '../../src/ui/session-model.js';
import { runbook } from '../core/fixtures.js';
import { tempDir } from '../journal/helpers.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { instantExecutors } from './live.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());
const frame = () => r!.lastFrame();
const PAGE_UP = '\x1b[5~';

describe('timeline of a long session', () => {
  it('scrolls back to events that left memory, and a filter finds them', async () => {
    const journal = await JournalWriter.create<SessionEvent>(join(tempDir(), 'j.jsonl'));
    const session = new Session({
      runbook: runbook(),
      runbookPath: 'rb.yaml',
      runbookSha256: '',
      operator: 'alice',
      mode: 'live',
      version: 't',
      journal,
      executors: instantExecutors(),
      publishMs: 5,
      recentEvents: 20,
    });
    await session.start();
    for (let i = 0; i < 300; i++) session.note(`entry ${String(i).padStart(3, '0')}`);
    await session.store.settled();
    await journal.flush();
    await expect.poll(() => session.store.events().inMemory).toBeLessThanOrEqual(20);

    r = renderSized(<App model={sessionModel(session, { onQuit: () => {} })} color={false} />, 160, 40);
    r.press('3');
    r.press('e');
    await expect.poll(frame).toMatch(/3 Timeline: all events \(following\)/);
    await expect.poll(frame).toMatch(/note \(alice\): entry 299/);
    // Three pages back: 300 notes, only the last 20 of them in memory.
    for (let i = 0; i < 3; i++) r.press(PAGE_UP);
    await expect.poll(frame).toMatch(/note \(alice\): entry 2[0-6]\d/);
    expect(frame()).not.toMatch(/entry 299/);
    // To the top (the first event alone), then down to the first notes.
    for (let i = 0; i < 40; i++) r.press(PAGE_UP);
    await expect.poll(frame).toMatch(/session started by alice/);
    for (let i = 0; i < 3; i++) r.press(KEY.down);
    await expect.poll(frame).toMatch(/note \(alice\): entry 002/);
    expect(frame()).toMatch(/session started by alice[^\n]*\n[^\n]*note \(alice\): entry 000/);

    r.press('f');
    r.press('/');
    r.press('entry 007');
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/filter: entry 007/);
    expect(frame()).toMatch(/note \(alice\): entry 007/);
    await session.end();
  });
});
