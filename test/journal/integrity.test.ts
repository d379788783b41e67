// checkIntegrity's chain and head layers on the tamperings the chain alone misses, each named with its line.
import { describe, expect, it } from 'vitest';
import fs, { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkIntegrity, headPath, JournalWriter, type JournalEvent } from '../../src/journal/index.js';
import { chainLines, linesOf, tempDir } from './helpers.js';

const H = '[0-9a-f]{32}';

/** A journal written by the writer: a start, then decisions and samples, closed (so its head is final). */
async function recorded(n: number, close = true, session = 's1'): Promise<{ path: string; hashes: string[]; w: JournalWriter }> {
  const path = join(tempDir(), 'j.jsonl');
  const w = await JournalWriter.create(path);
  const hashes: string[] = [];
  for (let i = 1; i <= n; i++) {
    const e: JournalEvent =
      i === 1
        ? { type: 'session/started', t: 1000, sessionId: session }
        : i % 3 === 0
          ? { type: 'gate/decided', t: 1000 + i, gate: `g${i}`, decision: 'go' }
          : { type: 'metric/sample', t: 1000 + i, value: i };
    hashes.push((await w.append(e)).hash);
  }
  if (close) await w.close();
  else await w.headSettled();
  return { path, hashes, w };
}

const rewrite = (path: string, lines: string[]) => writeFileSync(path, lines.map((l) => `${l}\n`).join(''));

describe('checkIntegrity: chain and head', () => {
  it('an intact journal: no problem, and what was checked is said', async () => {
    const { path } = await recorded(10);
    const r = await checkIntegrity(path);
    expect(r).toMatchObject({ intact: true, lines: 10, problems: [] });
    expect(r.checked).toEqual([
      'chain: 10 lines chained',
      'head: line 10 has the hash the head names (written when the journal was closed)',
    ]);
    expect(r.notes).toEqual([
      `${path}.head.sig: signature absent: the journal was not signed (the operator had no SSH key, or signing was skipped)`,
    ]);
  });

  it('a dropped tail: the chain still holds, the head says how far the journal went', async () => {
    const { path, hashes } = await recorded(10);
    rewrite(path, linesOf(path).slice(0, 7));
    const r = await checkIntegrity(path);
    expect(r.chain).toEqual({ ok: true, lines: 7, torn: false });
    expect(r.intact).toBe(false);
    expect(r.problems).toEqual([`${path}:7: truncated after line 7 (head says seq 10, hash ${hashes[9]})`]);
  });

  it('a tail cut mid-line (as a crash would, but after the head was written): still truncated', async () => {
    const { path } = await recorded(10);
    const text = fs.readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, text.length - 30));
    const r = await checkIntegrity(path);
    expect(r.problems).toEqual([
      expect.stringMatching(new RegExp(`^${path}:9: truncated after line 9 \\(head says seq 10, hash ${H}\\)$`)),
    ]);
  });

  it('every line gone: truncated, with nothing left', async () => {
    const { path } = await recorded(3);
    writeFileSync(path, '');
    expect((await checkIntegrity(path)).problems).toEqual([
      expect.stringMatching(new RegExp(`^${path}: truncated: no line left \\(head says seq 3`)),
    ]);
  });

  it('a line edited and the chain recomputed after it: the chain holds, the head does not match', async () => {
    const { path, hashes } = await recorded(10);
    const events = linesOf(path).map((l) => JSON.parse(l) as JournalEvent);
    events[5] = { ...events[5], decision: 'no-go' };
    rewrite(path, chainLines(events));
    const r = await checkIntegrity(path);
    expect(r.chain.ok).toBe(true);
    expect(r.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${path}:10: head mismatch at line 10: the head says hash ${hashes[9]}, the chain gives ${H} \\(a line up to 10 was changed`,
        ),
      ),
    ]);
  });

  it('line 1 recomputed (or the head of another journal): head mismatch at line 1', async () => {
    const a = await recorded(4);
    const b = await recorded(4, true, 's2');
    fs.copyFileSync(headPath(b.path), headPath(a.path));
    expect((await checkIntegrity(a.path)).problems).toEqual([
      expect.stringMatching(
        new RegExp(`^${a.path}:1: head mismatch at line 1: the head was written for a first line with hash ${b.hashes[0]}`),
      ),
    ]);
  });

  it('lines after a closed head were appended later: a problem; after a head of a session still running: a note', async () => {
    const closed = await recorded(6);
    const forged = chainLines([
      ...linesOf(closed.path).map((l) => JSON.parse(l) as JournalEvent),
      { type: 'note/added', t: 9999, text: 'all fine' },
    ]);
    rewrite(closed.path, forged);
    const r = await checkIntegrity(closed.path);
    expect(r.problems).toEqual([`${closed.path}:7: line 7 appended after the journal was closed (the head says it ended at seq 6)`]);

    const open = await recorded(6, false); // seq 6 is a decision, then samples follow before a "crash"
    await open.w.append({ type: 'metric/sample', t: 5000, value: 1 });
    await open.w.append({ type: 'metric/sample', t: 5001, value: 2 });
    await open.w.flush();
    const o = await checkIntegrity(open.path);
    expect(o.intact).toBe(true);
    expect(o.notes[0]).toBe(
      `${open.path}:7: lines 7-8 come after the last anchored line (seq 6): the chain holds them, nothing outside the file vouches for them (written after the last decision, before a crash; or appended from a fallback file)`,
    );
    open.w.closeSync();
  });

  it('no head: intact, with a note that says what that cannot catch', async () => {
    const { path } = await recorded(5);
    fs.rmSync(headPath(path));
    const r = await checkIntegrity(path);
    expect(r.intact).toBe(true);
    expect(r.notes[0]).toBe(
      `${path}.head: no head anchor (journal written before anchors, or the sidecar was removed): lines cut off the end or a recomputed chain would go unnoticed`,
    );
  });

  it('a head that is not one cutover wrote is a problem, named', async () => {
    const { path } = await recorded(3);
    writeFileSync(headPath(path), '{"format":"cutover-journal-head/1","first":"x","seq":3}\n');
    expect((await checkIntegrity(path)).problems).toEqual([
      `${path}.head: not a head anchor cutover wrote (first is not 32 hex characters)`,
    ]);
    writeFileSync(headPath(path), 'x'.repeat(5000));
    expect((await checkIntegrity(path)).problems).toEqual([
      `${path}.head: 5000 bytes, too long for a head anchor (cutover writes about 200)`,
    ]);
  });

  it('a 100 MB line is named with its line and size, not as an empty line', async () => {
    const { path } = await recorded(3);
    // One buffer, written once: no 100 MB string is ever built.
    const fd = fs.openSync(path, 'a');
    fs.writeSync(fd, Buffer.alloc(100 * 1024 * 1024, 0x61));
    fs.writeSync(fd, '\n{"seq":5}\n');
    fs.closeSync(fd);
    const r = await checkIntegrity(path);
    expect(r.intact).toBe(false);
    expect(r.problems).toEqual([`${path}:4: corrupt: line 4 is longer than the limit (64 MB): 100 MB, which cutover never writes`]);
  }, 30_000);
});

describe('checkIntegrity on a console thread (yielding)', () => {
  it('lets the event loop run between steps of 2,000 lines, gives the same verdict, and stops when asked', async () => {
    const path = join(tempDir(), 'big.jsonl');
    rewrite(
      path,
      chainLines(Array.from({ length: 10_000 }, (_, i): JournalEvent => ({ type: i ? 'metric/sample' : 'session/started', t: 1000 + i }))),
    );
    let ticks = 0;
    let on = true;
    const tick = () => {
      ticks++;
      if (on) setImmediate(tick);
    };
    setImmediate(tick);
    const r = await checkIntegrity(path, { yielding: true });
    on = false;
    expect(r).toEqual(await checkIntegrity(path));
    expect(r.intact).toBe(true);
    // Five pauses at least (10,000 lines, one every 2,000): the loop ran in each.
    expect(ticks).toBeGreaterThanOrEqual(5);
    let asked = 0;
    await expect(checkIntegrity(path, { yielding: true, stop: () => ++asked >= 2 })).rejects.toThrow(/stopped/);
    expect(asked).toBe(2);
  });
});
