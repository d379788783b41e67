import { afterEach, describe, expect, it, vi } from 'vitest';
import fs, { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JournalWriter, readJournal, verifyChain, type JournalEvent } from '../../src/journal/index.js';
import { linesOf, sampleEvents, tempDir, until } from './helpers.js';

const chatty = (i: number): JournalEvent => ({ type: 'metric/sample', t: 1000 + i, i });

afterEach(() => vi.restoreAllMocks());

/** Makes the next journal write wait; `release` lets it go, `writeFirst` decides whether the bytes land before the hold. */
function holdNextWrite(writeFirst: boolean) {
  const realWrite = fs.write;
  const held: { fd?: number; release?: () => void } = {};
  vi.spyOn(fs, 'write').mockImplementationOnce(((...args: unknown[]) => {
    const cb = args.pop() as (...r: unknown[]) => void;
    held.fd = args[0] as number;
    if (writeFirst) {
      // The bytes reach the file now; only the completion is delayed.
      (realWrite as (...a: unknown[]) => void)(...args, (...r: unknown[]) => (held.release = () => cb(...r)));
    } else {
      held.release = () => (realWrite as (...a: unknown[]) => void)(...args, cb);
    }
  }) as typeof fs.write);
  return held;
}

describe('JournalWriter.closeSync', () => {
  it('writes buffered lines synchronously and settles their promises', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    const pending = Array.from({ length: 5 }, (_, i) => w.append(chatty(i)));
    expect(linesOf(p)).toHaveLength(0);
    w.closeSync();
    expect(linesOf(p)).toHaveLength(5);
    expect((await Promise.all(pending)).map((a) => a.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(verifyChain(p)).toEqual({ ok: true, lines: 5, torn: false });
    await expect(w.append(chatty(6))).rejects.toThrow(/is closed/);
    await w.close(); // harmless after closeSync
  });

  it.each([
    ['not yet written', false],
    ['written, completion pending', true],
  ])('is safe while an async write is in flight (%s): no line lost, none doubled', async (_, writeFirst) => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    await w.append({ type: 'session/started', t: 1 });
    const held = holdNextWrite(writeFirst);
    const close = vi.spyOn(fs, 'close');
    const inFlight = Array.from({ length: 50 }, (_, i) => w.append(chatty(i)));
    const flushed = w.flush();
    await until(() => held.release !== undefined, 'the batch write to start');
    const later = [w.append(chatty(50)), w.append(chatty(51))]; // buffered behind the in-flight batch
    w.closeSync();
    expect(linesOf(p)).toHaveLength(53);
    // The held write still uses the fd, so closeSync must not close it yet.
    expect(close.mock.calls.some((c) => c[0] === held.fd)).toBe(false);
    held.release!();
    await flushed;
    await Promise.all([...inFlight, ...later]);
    await until(() => close.mock.calls.some((c) => c[0] === held.fd), 'the deferred close');
    expect(linesOf(p)).toHaveLength(53);
    expect(readJournal(p).entries.map((e) => e.seq)).toEqual(Array.from({ length: 53 }, (_, i) => i + 1));
    expect(verifyChain(p)).toEqual({ ok: true, lines: 53, torn: false });
  });
});

describe('JournalWriter.openForAppend', () => {
  async function journalOf(n: number): Promise<string> {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    await Promise.all(sampleEvents(n).map((e) => w.append(e)));
    await w.close();
    return p;
  }

  it('cuts a torn last line and continues seq and the hash chain', async () => {
    const p = await journalOf(5);
    const before = readJournal(p).entries;
    appendFileSync(p, '{"seq":6,"type":"note/added","t":17,"text":"TORN-TA');
    expect(readJournal(p).torn).toBe(true);
    const w = await JournalWriter.openForAppend(p);
    expect(w.lastSeq).toBe(5);
    expect(w.lastHash).toBe(before[4].hash);
    await w.append({ type: 'session/resumed', t: 2 });
    await w.append(chatty(7));
    await w.close();
    expect(readFileSync(p, 'utf8')).not.toContain('TORN-TA');
    const read = readJournal(p);
    expect(read).toMatchObject({ torn: false, problems: [] });
    expect(read.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(verifyChain(p)).toEqual({ ok: true, lines: 7, torn: false });
  });

  it('adds the missing newline after a whole last line instead of gluing onto it', async () => {
    const p = await journalOf(3);
    writeFileSync(p, readFileSync(p, 'utf8').replace(/\n$/, ''));
    const w = await JournalWriter.openForAppend(p);
    await w.append({ type: 'session/resumed', t: 2 });
    await w.close();
    expect(linesOf(p)).toHaveLength(4);
    expect(verifyChain(p)).toEqual({ ok: true, lines: 4, torn: false });
  });

  it('starts the chain afresh on an empty file', async () => {
    const p = join(tempDir(), 'j.jsonl');
    writeFileSync(p, '');
    const w = await JournalWriter.openForAppend(p);
    expect(w.lastSeq).toBe(0);
    await w.append({ type: 'session/started', t: 1 });
    await w.close();
    expect(verifyChain(p)).toEqual({ ok: true, lines: 1, torn: false });
  });

  it('refuses a journal whose chain is broken, saying where and why', async () => {
    const p = await journalOf(5);
    writeFileSync(p, readFileSync(p, 'utf8').replace('error rate fine', 'error rate awful'));
    await expect(JournalWriter.openForAppend(p)).rejects.toThrow(`cannot resume journal ${p}: line 5:`);
    await expect(JournalWriter.openForAppend(p)).rejects.toThrow(/line 5: edited: seq 5 does not match its hash/);
  });

  it('names the path when the journal does not exist', async () => {
    const p = join(tempDir(), 'missing.jsonl');
    await expect(JournalWriter.openForAppend(p)).rejects.toThrow(`cannot resume journal ${p}: ENOENT`);
  });
});
