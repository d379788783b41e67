// The head anchor as the writer keeps it: after each fsynced decision and at close, 0600, atomic,
// never in the way of the journal's own writes, and checked before a journal is resumed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import fs, { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { headPath, JournalWriter, readHead, sigPath, type Head, type JournalEvent } from '../../src/journal/index.js';
import { failWrites } from '../support/disk-full.js';
import { chainLines, linesOf, tempDir, until } from './helpers.js';

const chatty = (i: number): JournalEvent => ({ type: 'metric/sample', t: 1000 + i, i, value: i * 1.5 });
const decision = (i: number): JournalEvent => ({ type: 'gate/decided', t: 1000 + i, i, decision: 'go' });
const started: JournalEvent = { type: 'session/started', t: 1000, sessionId: 'sess-42' };

afterEach(() => vi.restoreAllMocks());

function head(p: string): Head {
  const h = readHead(p);
  if (!('head' in h)) throw new Error(`no head: ${JSON.stringify(h)}`);
  return h.head;
}

describe('the head anchor', () => {
  it('names the last decision once it is fsynced, ignores chatty events, and is final (closed) at close', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    const first = await w.append(started);
    await w.headSettled();
    expect(head(p)).toEqual({
      format: 'cutover-journal-head/1',
      first: first.hash,
      session: 'sess-42',
      seq: 1,
      hash: first.hash,
      closed: false,
    });
    const d = await w.append(decision(2));
    await w.append(chatty(3)).then(() => w.flush());
    await w.headSettled();
    expect(head(p)).toMatchObject({ seq: 2, hash: d.hash, closed: false }); // the chatty line is not anchored yet
    const last = await w.append(chatty(4));
    await w.close();
    expect(head(p)).toMatchObject({ first: first.hash, seq: 4, hash: last.hash, closed: true });
    expect(statSync(headPath(p)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dirname(p)).sort()).toEqual([basename(p), basename(headPath(p))]); // no temp file left behind
  });

  it('is replaced atomically: every rename puts a complete, fsynced head in place, and the head itself is never written to', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const renames: string[] = [];
    const synced = new Set<number>();
    const opened = new Map<number, string>();
    const realOpen = fs.open;
    vi.spyOn(fs, 'open').mockImplementation(((path: string, flags: string, mode: number, cb: (e: Error | null, fd?: number) => void) => {
      if (path === headPath(p)) throw new Error('the head was opened in place');
      realOpen(path, flags, mode, (e, fd) => (fd !== undefined && opened.set(fd, path), cb(e, fd)));
    }) as unknown as typeof fs.open);
    const realFsync = fs.fsync;
    vi.spyOn(fs, 'fsync').mockImplementation(((fd: number, cb: (e: Error | null) => void) =>
      realFsync(fd, (e) => (!e && opened.has(fd) && synced.add(fd), cb(e)))) as typeof fs.fsync);
    const realRename = fs.renameSync;
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      expect(to).toBe(headPath(p));
      expect(String(from)).toMatch(/\.head\.tmp-\d+-\d+$/);
      // What is about to become the head is whole, and was fsynced through its own descriptor.
      expect(JSON.parse(readFileSync(from, 'utf8')).format).toBe('cutover-journal-head/1');
      expect([...opened].some(([fd, path]) => path === from && synced.has(fd))).toBe(true);
      renames.push(String(from));
      realRename(from, to);
    });
    // A reader polling the head all along sees a whole head every time, never an empty or half file.
    const seen: number[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        if (existsSync(headPath(p))) seen.push(JSON.parse(readFileSync(headPath(p), 'utf8')).seq);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const w = await JournalWriter.create(p);
    for (let i = 1; i <= 40; i++) await w.append(i === 1 ? started : decision(i));
    await w.close();
    reading = false;
    await reader;
    expect(renames.length).toBeGreaterThan(1);
    expect(new Set(renames).size).toBe(renames.length); // a fresh temp file each time
    expect(seen.length).toBeGreaterThan(0);
    expect(head(p)).toMatchObject({ seq: 40, closed: true });
  });

  it.each([0o022, 0o277])('is 0600 whatever the umask (%o), written after a decision or by closeSync', async (umask) => {
    const p = join(tempDir(), 'j.jsonl');
    let old: number | undefined;
    try {
      old = process.umask(umask); // not allowed in worker threads; the pool is forks
    } catch {}
    try {
      const w = await JournalWriter.create(p);
      await w.append(started);
      await w.headSettled();
      expect(statSync(headPath(p)).mode & 0o777).toBe(0o600);
      w.closeSync();
      expect(statSync(headPath(p)).mode & 0o777).toBe(0o600);
    } finally {
      if (old !== undefined) process.umask(old);
    }
  });

  it('does not hold up a decision: its append resolves while the head write is stuck in fsync', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    const stuck: (() => void)[] = [];
    const realFsync = fs.fsync;
    // Only the head's temp file is fsynced with fsync while the journal is open (decisions use fdatasync).
    vi.spyOn(fs, 'fsync').mockImplementation(
      ((fd: number, cb: (e: Error | null) => void) => void stuck.push(() => realFsync(fd, cb))) as typeof fs.fsync,
    );
    await w.append(started);
    for (let i = 2; i <= 5; i++) await w.append(decision(i));
    expect(linesOf(p)).toHaveLength(5);
    expect(stuck).toHaveLength(1); // one head write in flight; the others wait behind it, coalesced
    vi.restoreAllMocks();
    for (const go of stuck) go();
    await w.close();
    expect(head(p)).toMatchObject({ seq: 5, closed: true });
  }, 10_000);

  it('a head that cannot be written is reported on its own channel; the journal goes on and the next decision writes it', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    const status: (string | undefined)[] = [];
    const journalStatus: (string | undefined)[] = [];
    w.watchHeadStatus((f) => status.push(f?.message));
    w.watchStatus((f) => journalStatus.push(f?.message));
    await w.append(started);
    await w.headSettled();
    let full = true;
    failWrites((bytes) => full && bytes.includes('cutover-journal-head'));
    await w.append(decision(2));
    await until(() => w.headFailure !== undefined, 'the head failure');
    expect(w.headFailure?.message).toMatch(
      new RegExp(`journal head ${headPath(p)}: cannot write it \\(ENOSPC.*the journal itself is unaffected`),
    );
    expect(head(p).seq).toBe(1); // the previous head stands, whole
    expect(w.failure).toBeUndefined();
    expect(journalStatus).toEqual([]); // not NOT RECORDING: forward actions are not refused for it
    await w.append(decision(3));
    expect(linesOf(p)).toHaveLength(3);
    full = false;
    const d = await w.append(decision(4));
    await w.headSettled();
    expect(w.headFailure).toBeUndefined();
    expect(status.at(-1)).toBeUndefined();
    expect(head(p)).toMatchObject({ seq: 4, hash: d.hash });
    await w.close();
    expect(readdirSync(dirname(p)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('closeSync writes the final head at once, and a head write still in flight cannot replace it', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    const stuck: (() => void)[] = [];
    const realFsync = fs.fsync;
    vi.spyOn(fs, 'fsync').mockImplementation(
      ((fd: number, cb: (e: Error | null) => void) => void stuck.push(() => realFsync(fd, cb))) as typeof fs.fsync,
    );
    await w.append(started);
    void w.append(decision(2));
    const last = w.append(chatty(3));
    w.closeSync();
    expect(head(p)).toMatchObject({ seq: 3, hash: (await last).hash, closed: true });
    vi.restoreAllMocks();
    for (const go of stuck) go();
    await w.headSettled();
    expect(head(p)).toMatchObject({ seq: 3, closed: true });
    expect(readdirSync(dirname(p)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('at close with events the disk never took, the head names the last line written and is not closed', async () => {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    const d = await w.append(started);
    failWrites(() => true);
    const lost = w.append(decision(2)).catch(() => {});
    await expect.poll(() => w.failure?.message).toMatch(/ENOSPC/);
    vi.restoreAllMocks();
    failWrites((bytes) => !bytes.includes('cutover-journal-head'));
    await expect(w.close()).rejects.toThrow(/could not be written/);
    await lost;
    expect(head(p)).toEqual(expect.objectContaining({ seq: 1, hash: d.hash, closed: false }));
  });
});

describe('resuming a journal checks its head first', () => {
  async function recorded(n: number): Promise<string> {
    const p = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.create(p);
    await w.append(started);
    for (let i = 2; i <= n; i++) await w.append(i % 2 ? decision(i) : chatty(i));
    await w.close();
    return p;
  }

  it('refuses a journal whose last lines were cut off', async () => {
    const p = await recorded(6);
    writeFileSync(p, `${linesOf(p).slice(0, 4).join('\n')}\n`);
    await expect(JournalWriter.openForAppend(p)).rejects.toThrow(
      new RegExp(
        `cannot resume journal ${p}: line 4: truncated after line 4 \\(head says seq 6, hash [0-9a-f]{32}\\); cutover will not extend`,
      ),
    );
  });

  it('refuses a journal edited with its chain recomputed', async () => {
    const p = await recorded(6);
    const events = linesOf(p).map((l) => JSON.parse(l) as JournalEvent);
    events[2] = { ...events[2], value: 0 };
    writeFileSync(p, `${chainLines(events).join('\n')}\n`);
    await expect(JournalWriter.openForAppend(p)).rejects.toThrow(`cannot resume journal ${p}: line 6: head mismatch at line 6`);
  });

  it('extends an intact journal: the old signature goes (its head is moving on) and the head follows the new lines', async () => {
    const p = await recorded(4);
    writeFileSync(sigPath(p), 'an old signature\n');
    const w = await JournalWriter.openForAppend(p);
    expect(existsSync(sigPath(p))).toBe(false);
    await w.headSettled();
    expect(head(p)).toMatchObject({ seq: 4, closed: false, session: 'sess-42' });
    const r = await w.append({ type: 'session/resumed', t: 2000 });
    await w.close();
    expect(head(p)).toMatchObject({ seq: 5, hash: r.hash, closed: true, session: 'sess-42' });
  });
});
