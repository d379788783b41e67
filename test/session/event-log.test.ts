// The live session keeps only its recent events in memory; older ones come back from the journal,
// equal to what was emitted. Events the journal has not written stay in memory, so nothing the
// session folded is ever missing from its timeline (or from `cutover run`'s printed one).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionEvent } from '../../src/core/index.js';
import { JournalWriter } from '../../src/journal/index.js';
import { EventStore } from '../../src/session/store.js';
import { Session } from '../../src/session/session.js';
import { printTimeline } from '../../src/cli/run/headless.js';
import { readForResume } from '../../src/cli/run/start.js';
import { failWrites } from '../support/disk-full.js';
import { T0, runbook, started } from '../core/fixtures.js';
import { instantExecutors } from '../ui/live.js';
import { tempDir } from '../journal/helpers.js';

afterEach(() => vi.restoreAllMocks());

const WINDOW = 50;

/** A session's worth of events: output, samples and notes, each one different. */
function events(n: number): SessionEvent[] {
  const out: SessionEvent[] = [started(), { type: 'command/started', t: T0, cmd: 'c1', step: 'backup', host: 'h', command: 'x' }];
  for (let i = out.length; i < n; i++) {
    const t = T0 + i;
    if (i % 7 === 0)
      out.push({ type: 'metric/sampled', t, panel: 'error_rate', at: t, series: [{ labels: { i: String(i) }, value: i / 1000 }] });
    else if (i % 11 === 0) out.push({ type: 'note/added', t, operator: 'alice', text: `note ${i} ✓ ünïcödé` });
    else out.push({ type: 'command/output', t, cmd: 'c1', host: 'h', stream: 'stdout', text: `line ${i}\n` });
  }
  return out;
}

async function store(dir: string) {
  const path = join(dir, 'j.jsonl');
  const journal = await JournalWriter.create<SessionEvent>(path);
  const s = new EventStore(journal, 0, undefined, WINDOW);
  journal.watchStatus((f) => s.journalStatus(f));
  return { s, journal, path };
}

describe('the live event log', () => {
  it('holds only the recent window once the journal has the rest, and reads every event back equal', async () => {
    const { s, journal } = await store(tempDir());
    const sent = events(1000);
    for (const e of sent) void s.emit(e);
    await s.settled();
    await journal.flush();
    const log = s.events();
    await expect.poll(() => log.inMemory).toBeLessThanOrEqual(WINDOW);
    expect(log.length).toBe(sent.length);
    expect(log.all()).toEqual(sent);
    // One at a time, backwards (the timeline's filter), and in ranges that straddle memory and disk.
    for (let i = sent.length - 1; i >= 0; i -= 37) expect(log.get(i)).toEqual(sent[i]);
    const seen: SessionEvent[] = [];
    log.each(900, 990, (e) => void seen.push(e));
    expect(seen).toEqual(sent.slice(900, 990));
    await journal.close();
  });

  it('says so in the timeline when the journal was changed under it, instead of throwing', async () => {
    const { s, journal, path } = await store(tempDir());
    const sent = events(300);
    for (const e of sent) void s.emit(e);
    await s.settled();
    await journal.close();
    await expect.poll(() => s.events().inMemory).toBeLessThanOrEqual(WINDOW);
    truncateSync(path, 1000);
    expect(s.events().get(100)).toMatchObject({
      type: 'note/added',
      operator: 'cutover',
      text: `event 101 cannot be read back from ${path} (its line is not what was written): the journal was moved or changed while the session ran`,
    });
    rmSync(path);
    const all = s.events().all();
    expect(all).toHaveLength(300);
    expect(all[0]).toEqual(sent[0]);
    expect(all[200]).toMatchObject({ type: 'note/added', text: expect.stringContaining('(ENOENT)') });
    expect(all.slice(-WINDOW)).toEqual(sent.slice(-WINDOW));
  });

  it('keeps in memory what the journal could not write, and lets go once the disk takes it', async () => {
    const { s, journal } = await store(tempDir());
    let full = false;
    failWrites(() => full);
    const sent = events(300);
    for (const e of sent.slice(0, 100)) void s.emit(e);
    await s.settled();
    await journal.flush();
    await expect.poll(() => s.events().inMemory).toBeLessThanOrEqual(WINDOW);
    full = true;
    for (const e of sent.slice(100)) void s.emit(e);
    await s.settled();
    await expect.poll(() => s.notRecording).toMatch(/ENOSPC/);
    // Nothing after the failure is on disk: all of it stays, and reads back, with the older part from the file.
    expect(s.events().inMemory).toBeGreaterThanOrEqual(200);
    expect(s.events().all()).toEqual(sent);
    full = false;
    await expect.poll(() => s.notRecording, { timeout: 5000 }).toBeUndefined();
    await journal.flush();
    await expect.poll(() => s.events().inMemory).toBeLessThanOrEqual(WINDOW);
    expect(s.events().all()).toEqual(sent);
    await journal.close();
  });

  it('a resumed session finds the loaded events in its journal, so they leave memory too', async () => {
    const dir = tempDir();
    const { s, journal, path } = await store(dir);
    const sent = events(400);
    for (const e of sent) void s.emit(e);
    await s.settled();
    await journal.close();

    const back = readForResume(path);
    const reopened = await JournalWriter.openForAppend<SessionEvent>(path);
    const session = new Session({
      runbook: back.runbook,
      runbookPath: 'rb.yaml',
      runbookSha256: '',
      operator: 'bob',
      mode: 'live',
      version: 't',
      journal: reopened,
      executors: instantExecutors(),
      publishMs: 1,
      resumeFrom: back.events,
      recentEvents: WINDOW,
    });
    await session.start();
    session.note('after the restart');
    await session.store.settled();
    await reopened.flush();
    const log = session.store.events();
    await expect.poll(() => log.inMemory).toBeLessThanOrEqual(WINDOW);
    const all = log.all();
    expect(all.slice(0, sent.length)).toEqual(sent);
    expect(all.slice(sent.length).map((e) => e.type)).toEqual(['session/resumed', 'note/added']);
    await session.end();
  });

  it('cutover run prints every event, also those that left memory between two publishes', async () => {
    const path = join(tempDir(), 'j.jsonl');
    const journal = await JournalWriter.create<SessionEvent>(path);
    const session = new Session({
      runbook: runbook(),
      runbookPath: 'rb.yaml',
      runbookSha256: '',
      operator: 'alice',
      mode: 'live',
      version: 't',
      journal,
      executors: instantExecutors(),
      publishMs: 60_000,
      recentEvents: 10,
    });
    const printed: string[] = [];
    await session.start();
    const stop = printTimeline(session, (s) => void printed.push(s));
    for (let i = 0; i < 300; i++) session.note(`burst ${i}`);
    await session.store.settled();
    await journal.flush();
    await expect.poll(() => session.store.events().inMemory).toBeLessThanOrEqual(10);
    stop();
    expect(printed).toHaveLength(301);
    expect(printed.slice(1).map((l) => /note \(alice\): (.*)$/.exec(l.trim())?.[1])).toEqual(
      Array.from({ length: 300 }, (_, i) => `burst ${i}`),
    );
    await session.end();
  });
});
