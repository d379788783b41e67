// Given a journal the console is still writing, when the follower reads it as it grows, then each
// complete line becomes a fact once (a torn last line only once its newline is there), lines the
// judge refuses are problems and never facts, and a broken chain or a cut file is said.
import { appendFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeLine } from '../../src/journal/index.js';
import type { FollowIndex } from '../../src/live/follow-index.js';
import { openFollow } from '../../src/live/follow-open.js';
import { Follower } from '../../src/live/follow-tail.js';
import { liveJournal, tempDir } from './journal.js';

const open: FollowIndex[] = [];
afterEach(() => {
  for (const ix of open.splice(0)) ix.close();
});

/** Looks and reads to the end of what the file holds now. */
function readAll(ix: FollowIndex): void {
  ix.look();
  while (!ix.step(50));
}

async function follow(path: string): Promise<FollowIndex> {
  const ix = await openFollow(path);
  open.push(ix);
  return ix;
}

describe('FollowIndex', () => {
  it('takes lines appended after it opened, and folds them into the state', async () => {
    const j = await liveJournal(tempDir());
    const ix = await follow(j.path);
    readAll(ix);
    expect(ix.count).toBe(1);
    await j.add({ type: 'step/started', phase: 'pre', step: 'backup' });
    readAll(ix);
    expect(ix.count).toBe(2);
    expect(ix.state.steps.backup?.status).toBe('running');
    expect(ix.story.text(ix.story.length - 1)).toMatch(/step backup started/);
    expect(ix.problems).toEqual([]);
    expect(ix.chainProblem).toBeUndefined();
  });

  it('reads a torn last line only once the console has finished writing it', async () => {
    const j = await liveJournal(tempDir());
    const ix = await follow(j.path);
    readAll(ix);
    const next = `${encodeLine(2, j.writer.lastHash, { type: 'note/added', t: Date.now(), operator: 'alice', text: 'half way' }).text}\n`;
    appendFileSync(j.path, next.slice(0, 40));
    readAll(ix);
    expect(ix.count).toBe(1);
    expect(ix.problems).toEqual([]);
    appendFileSync(j.path, next.slice(40));
    readAll(ix);
    expect(ix.count).toBe(2);
    expect(ix.state.notes.at(-1)?.text).toBe('half way');
    expect(ix.problems).toEqual([]);
    expect(ix.chainProblem).toBeUndefined();
  });

  it('shows a line the judge refuses as a problem, never as a fact', async () => {
    const j = await liveJournal(tempDir());
    const ix = await follow(j.path);
    await j.add({ type: 'step/started', phase: 'pre', step: 'no-such-step' });
    await j.add({ type: 'note/added', operator: 'alice', text: '\x1b]52;c;aGk=\x07after' });
    readAll(ix);
    expect(ix.problems).toHaveLength(1);
    expect(ix.problems[0]).toMatchObject({ line: 2, message: expect.stringMatching(/no-such-step/) });
    expect(ix.state.steps['no-such-step']).toBeUndefined();
    expect(ix.count).toBe(2);
  });

  it('says where the hash chain breaks', async () => {
    const dir = tempDir();
    const j = await liveJournal(dir);
    await j.add({ type: 'note/added', operator: 'alice', text: 'original' });
    const lines = readFileSync(j.path, 'utf8').split('\n');
    lines[1] = lines[1].replace('original', 'rewrite!');
    const edited = join(dir, 'edited.jsonl');
    writeFileSync(edited, lines.join('\n'));
    const ix = await follow(edited);
    readAll(ix);
    expect(ix.chainProblem).toMatch(/edited\.jsonl:2: the hash chain breaks here/);
  });

  it('stops and says so when the file is cut below what it showed', async () => {
    const j = await liveJournal(tempDir());
    await j.add({ type: 'note/added', operator: 'alice', text: 'soon gone' });
    const ix = await follow(j.path);
    readAll(ix);
    truncateSync(j.path, 10);
    expect(ix.look()).toBe(false);
    expect(ix.halted).toMatch(/cut to 10 bytes while followed/);
  });
});

describe('Follower', () => {
  for (const watch of [true, false])
    it(`keeps up with the console${watch ? '' : ' by polling alone (fs.watch can miss events)'}`, async () => {
      const j = await liveJournal(tempDir());
      const f = new Follower(await follow(j.path), { watch });
      let told = 0;
      f.subscribe(() => told++);
      f.start();
      try {
        await expect.poll(() => f.index.count).toBe(1);
        expect(f.operator).toBe('alice');
        await j.add({ type: 'step/started', phase: 'pre', step: 'backup' });
        await expect.poll(() => f.state.steps.backup?.status, { timeout: 2000 }).toBe('running');
        await j.add({ type: 'session/resumed', operator: 'bob', afterSeq: 2 });
        await expect.poll(() => f.operator, { timeout: 2000 }).toBe('bob');
        await j.add({ type: 'session/ended', outcome: 'quit' });
        await expect.poll(() => f.ended, { timeout: 2000 }).toBe(true);
        expect(told).toBeGreaterThan(0);
      } finally {
        f.stop();
      }
    });

  it('reads a journal that grows by MBs at once in slices, yielding to the event loop', async () => {
    const j = await liveJournal(tempDir());
    const f = new Follower(await follow(j.path), { sliceMs: 5 });
    f.start();
    try {
      await expect.poll(() => f.index.count).toBe(1);
      await j.add({ type: 'step/started', phase: 'pre', step: 'green-health' });
      await j.add({ type: 'command/started', cmd: 'c1', step: 'green-health', host: 'app-g1.internal', command: 'curl' });
      // Twenty thousand output lines of ~250 bytes (5 MB), chained as the writer chains them, in one write.
      let prev = j.writer.lastHash;
      const lines: string[] = [];
      for (let i = 0; i < 20_000; i++) {
        const e = {
          type: 'command/output',
          t: Date.now(),
          cmd: 'c1',
          host: 'app-g1.internal',
          stream: 'stdout',
          text: `${'x'.repeat(200)} ${i}\n`,
        };
        const l = encodeLine(j.writer.lastSeq + 1 + i, prev, e);
        prev = l.hash;
        lines.push(l.text);
      }
      // What a timer sees while the read goes on: counts part way mean the event loop was free between slices.
      const seen: number[] = [];
      const timer = setInterval(() => seen.push(f.index.count), 1);
      appendFileSync(j.path, `${lines.join('\n')}\n`);
      await expect.poll(() => f.index.count, { timeout: 10_000 }).toBe(20_003);
      clearInterval(timer);
      expect(seen.some((n) => n > 3 && n < 20_003)).toBe(true);
      expect(f.index.problems).toEqual([]);
      expect(f.index.tails.lines('c1', 1)?.[0]).toMatch(/x+ 19999/);
    } finally {
      f.stop();
    }
  });
});
