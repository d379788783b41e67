import { afterEach, describe, expect, it, vi } from 'vitest';
import fs, { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { JournalWriter, readJournal, verifyChain, type JournalEvent } from '../../src/journal/index.js';
import { linesOf, sampleEvents, tempDir, until } from './helpers.js';
import { failWrites } from '../support/disk-full.js';

const LINE_RE = /^\{"seq":(\d+),.*,"hash":"[0-9a-f]{32}"\}$/s;
const chatty = (i: number): JournalEvent => ({ type: 'metric/sample', t: 1000 + i, i, value: i * 1.5 });
const decision = (i: number): JournalEvent => ({ type: 'gate/decided', t: 1000 + i, i, decision: 'go' });

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('JournalWriter', () => {
  it('round-trips events, with seq and hash on every line', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const events = [...sampleEvents(12), { type: 'note/added', t: 5, text: 'ünïcödé ✓ "quoted"\nnewline \u2028' }];
    const w = await JournalWriter.create(p);
    const acks = await Promise.all(events.map((e) => w.append(e)));
    await w.close();
    expect(acks.map((a) => a.seq)).toEqual(events.map((_, i) => i + 1));
    expect(w.lastSeq).toBe(13);
    expect(w.lastHash).toBe(acks[12].hash);
    const lines = linesOf(p);
    expect(lines.map((l) => l.match(LINE_RE)?.[1])).toEqual(events.map((_, i) => String(i + 1)));
    expect(lines[12]).toContain('newline \\u2028"'); // escaped, so no tool can mistake it for a line break
    const read = readJournal(p);
    expect(read.entries.map((e) => e.event)).toEqual(events);
    expect(read.entries.map((e) => e.hash)).toEqual(acks.map((a) => a.hash));
    expect(verifyChain(p)).toEqual({ ok: true, lines: 13, torn: false });
  });

  it('keeps its own seq and hash when an event carries those keys', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    await w.append({ type: 'note/added', t: 1, seq: 99, hash: 'bogus' });
    await w.close();
    const [line] = linesOf(p);
    expect(line.match(/"seq"/g)).toHaveLength(1);
    expect(line.match(/"hash"/g)).toHaveLength(1);
    expect(line).toMatch(/^\{"seq":1,"type":"note\/added","t":1,"hash":"[0-9a-f]{32}"\}$/);
    expect(verifyChain(p).ok).toBe(true);
  });

  it('creates the file with mode 0600, even under a umask that strips owner bits', async () => {
    const dir = tempDir();
    const w = await JournalWriter.create(join(dir, 'a.jsonl'));
    expect(statSync(join(dir, 'a.jsonl')).mode & 0o777).toBe(0o600);
    await w.close();
    let old: number | undefined;
    try {
      old = process.umask(0o277); // not allowed in worker threads; the plain check above still holds there
    } catch {}
    try {
      const w2 = await JournalWriter.create(join(dir, 'b.jsonl'));
      await w2.append(decision(1));
      await w2.close();
    } finally {
      if (old !== undefined) process.umask(old);
    }
    expect(statSync(join(dir, 'b.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite an existing file, naming it', async () => {
    const p = join(tempDir(), 'j.jsonl');
    writeFileSync(p, 'precious\n');
    await expect(JournalWriter.create(p)).rejects.toThrow(`journal ${p} already exists`);
    expect(readFileSync(p, 'utf8')).toBe('precious\n');
  });

  it('batches chatty events: nothing written at append time, then a single write after the delay', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const write = vi.spyOn(fs, 'write');
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    const done = Array.from({ length: 1000 }, (_, i) => w.append(chatty(i)));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(statSync(p).size).toBe(0); // still waiting for the 50 ms batch timer
    vi.advanceTimersByTime(50);
    await Promise.all(done);
    expect(linesOf(p)).toHaveLength(1000);
    expect(write.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(write.mock.calls.length).toBeLessThanOrEqual(2);
    await w.close();
  });

  it('writes at once, without the timer, when more than 256 KiB are buffered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    const big = 'x'.repeat(1024);
    const done = Array.from({ length: 300 }, (_, i) => w.append({ ...chatty(i), big }));
    await Promise.all(done); // would hang if only the (frozen) timer could start a write
    expect(linesOf(p)).toHaveLength(300);
    await w.close();
  });

  it('resolves a decision only once it and every earlier line are written and synced', async () => {
    const sync = vi.spyOn(fs, 'fdatasync');
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    let chattyDone = 0;
    for (let i = 1; i <= 3; i++) void w.append(chatty(i)).then(() => chattyDone++);
    await w.append(decision(4));
    expect(sync).toHaveBeenCalled();
    expect(linesOf(p).map((l) => JSON.parse(l).i)).toEqual([1, 2, 3, 4]);
    await until(() => chattyDone === 3, 'chatty appends to resolve');
    await w.close();
  });

  it('keeps call order on disk under a storm of mixed appends', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    await Promise.all(Array.from({ length: 500 }, (_, i) => w.append(i % 13 === 0 ? decision(i) : chatty(i))));
    await w.close();
    expect(readJournal(p).entries.map((e) => [e.seq, e.event.i])).toEqual(Array.from({ length: 500 }, (_, i) => [i + 1, i]));
    expect(verifyChain(p)).toEqual({ ok: true, lines: 500, torn: false });
  });

  it('rejects appends after close, with a clear error, and close is idempotent', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    await w.append(decision(1));
    await w.close();
    await w.close();
    await expect(w.append(chatty(2))).rejects.toThrow(`journal ${p} is closed; cannot append metric/sample event`);
    expect(w.lastSeq).toBe(1);
  });

  it('runs the assert hook on each event, and a failing check costs no seq', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const seen: string[] = [];
    const w = await JournalWriter.create<JournalEvent>(p, {
      assert: (e) => {
        seen.push(e.type);
        if ('bad' in e) throw new Error('not plain JSON');
      },
    });
    await w.append(decision(1));
    await expect(w.append({ ...chatty(2), bad: true })).rejects.toThrow(/not plain JSON/);
    await w.append(decision(3));
    await w.close();
    expect(seen).toEqual(['gate/decided', 'metric/sample', 'gate/decided']);
    expect(readJournal(p).entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(verifyChain(p).ok).toBe(true);
  });

  it('holds events while writes fail (ENOSPC), reports it, and writes them all once the disk takes them again', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    const status: (string | undefined)[] = [];
    w.watchStatus((f) => status.push(f?.message));
    await w.append(decision(1));
    let full = true;
    failWrites(() => full);
    const pending = [w.append(chatty(2)), w.append(chatty(3)), w.append(decision(4))];
    await expect.poll(() => w.failure?.message).toMatch(new RegExp(`journal ${p}: write failed \\(ENOSPC.*seq 2 on are held in memory`));
    expect(status[0]).toMatch(/ENOSPC/);
    expect(readJournal(p).entries.map((e) => e.seq)).toEqual([1]);
    full = false;
    await Promise.all(pending);
    expect(w.failure).toBeUndefined();
    expect(status.at(-1)).toBeUndefined();
    await w.append(chatty(5));
    await w.close();
    expect(readJournal(p).entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(verifyChain(p).ok).toBe(true);
  });

  it('on close, keeps the events the disk never took (for a fallback file) and leaves no torn line', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    await w.append(decision(1));
    vi.spyOn(fs, 'write').mockImplementation(((
      fd: number,
      buf: Buffer,
      off: number,
      _len: number,
      pos: number,
      cb: (e: Error | null, n?: number) => void,
    ) => {
      // A short write, then the disk is full: half a line reaches the file.
      if (off === 0) return (fs.writeSync(fd, buf, 0, 10, pos), setImmediate(() => cb(null, 10)));
      setImmediate(() => cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })));
    }) as unknown as typeof fs.write);
    const pending = [w.append(chatty(2)), w.append(decision(3))].map((x) => x.catch((e: Error) => e.message));
    await expect.poll(() => w.failure?.message).toMatch(/ENOSPC/);
    await expect(w.close()).rejects.toThrow(/2 events from seq 2 on could not be written/);
    for (const m of await Promise.all(pending)) expect(m).toMatch(/could not be written/);
    vi.restoreAllMocks();
    const lost = w.unwritten().toString('utf8').trim().split('\n');
    expect(lost.map((l) => JSON.parse(l).seq)).toEqual([2, 3]);
    // Appending the kept lines completes the journal: one chain, nothing torn.
    writeFileSync(p, readFileSync(p, 'utf8') + w.unwritten().toString('utf8'));
    expect(readJournal(p).entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verifyChain(p)).toEqual({ ok: true, lines: 3, torn: false });
  });

  it('round-trips arbitrary JSON payloads and keeps a valid chain (property)', async () => {
    const dir = tempDir();
    let n = 0;
    const event = fc.record({
      type: fc.constantFrom('metric/sample', 'gate/decided', 'command/output', 'rollback/started'),
      t: fc.integer({ min: 0 }),
      data: fc.jsonValue(),
      text: fc.string({ unit: 'binary' }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 20 }), async (events) => {
        const p = join(dir, `p${n++}.jsonl`);
        const w = await JournalWriter.create(p);
        await Promise.all(events.map((e) => w.append(e)));
        await w.close();
        expect(readJournal(p).entries.map((e) => e.event)).toEqual(JSON.parse(JSON.stringify(events)));
        expect(verifyChain(p)).toEqual({ ok: true, lines: events.length, torn: false });
      }),
      { numRuns: 40 },
    );
  });
});
