// The player: positions, the virtual clock, transport moves, snapshots (a seek folds at most one
// snapshot interval, and lands on exactly the state a fold from the start would give).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reduceAll, type SessionEvent } from '../../src/core/index.js';
import { openReplay } from '../../src/replay/open.js';
import type { Player } from '../../src/replay/player.js';
import { syntheticEvents, writeJournal } from '../support/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-player-'));
const N = 20_000;
let events: SessionEvent[];
let path: string;
const open: Player[] = [];
afterAll(() => {
  for (const p of open) p.index.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeAll(() => {
  events = syntheticEvents(N, { gapAt: 15_000, gapMs: 120_000 });
  path = join(dir, 'synthetic.jsonl');
  writeJournal(path, events);
});

/** A paused player on the synthetic journal, fully indexed, with a real clock the test moves. */
async function player(o: { skipIdle?: boolean; index?: boolean } = {}): Promise<Player & { real: { t: number } }> {
  const real = { t: 0 };
  const p = await openReplay(path, { paused: true, realNow: () => real.t, ...(o.skipIdle ? { skipIdle: true } : {}) });
  open.push(p);
  if (o.index !== false) await p.index.run();
  return Object.assign(p, { real });
}

const stateAt = (n: number) => reduceAll(events.slice(0, n));

describe('player', () => {
  it('opens on the first instant of the session, with the index and its snapshots', async () => {
    const p = await player();
    expect(p.position).toBe(1);
    expect(p.now()).toBe(events[0].t);
    expect(p.index.count).toBe(N);
    expect(p.index.problems).toEqual([]);
    expect(p.index.snapshots.length).toBeGreaterThan(N / p.index.every - 1);
    expect(p.end).toBe(events.at(-1)!.t);
  });

  it('every seek folds at most one snapshot interval and gives the state a fold from the start gives', async () => {
    const p = await player();
    const moves: [string, () => void][] = [
      ['90%', () => p.seekFraction(0.9)],
      ['10%', () => p.seekFraction(0.1)],
      ['+1 min', () => p.seekBy(60_000)],
      ['-10 s', () => p.seekBy(-10_000)],
      ['70%', () => p.seekFraction(0.7)],
      ['one back', () => p.stepEvent(-1)],
      ['one forward', () => p.stepEvent(1)],
      ['next decision', () => p.jumpDecision(1)],
      ['0%', () => p.seekFraction(0)],
    ];
    for (const [what, move] of moves) {
      move();
      expect(p.lastFolded, what).toBeLessThanOrEqual(p.index.every);
      expect(p.state, what).toStrictEqual(stateAt(p.position));
    }
  });

  it('. and , move one event and the clock to its time; n and p stop at each decision', async () => {
    const p = await player();
    p.seekFraction(0.5);
    const at = p.position;
    p.stepEvent(1);
    expect(p.position).toBe(at + 1);
    expect(p.now()).toBe(events[at].t);
    p.stepEvent(-1);
    p.stepEvent(-1);
    expect(p.position).toBe(at - 1);
    const decided = events
      .map((e, i) => [e.type, i] as const)
      .filter(([t]) => /gate\/decided|trigger\/firing|rollback\/(recommended|confirmed|finished)/.test(t))
      .map(([, i]) => i);
    p.seekFraction(0);
    const stops: number[] = [];
    for (let k = 0; k < decided.length + 1; k++) {
      p.jumpDecision(1);
      stops.push(p.position - 1);
    }
    expect(stops).toEqual([...decided, decided.at(-1)]);
    expect(p.message).toBe('no later decision');
    p.jumpDecision(-1);
    expect(p.position - 1).toBe(decided.at(-2));
  });

  it('plays at speed on the virtual clock, and stops at the end', async () => {
    const p = await player();
    p.changeSpeed(1);
    p.changeSpeed(1);
    expect(p.clock.speed).toBe(4);
    p.togglePlay();
    p.real.t += 1000;
    p.tick();
    expect(p.now()).toBe(events[0].t + 4000);
    expect(p.position).toBe(events.findIndex((e) => e.t > events[0].t + 4000));
    for (let k = 0; k < 9; k++) p.changeSpeed(1);
    expect(p.clock.speed).toBe(64);
    p.real.t += 10_000_000;
    p.tick();
    expect(p.atEnd()).toBe(true);
    expect(p.clock.playing).toBe(false);
    expect(p.state).toStrictEqual(stateAt(N));
    for (let k = 0; k < 12; k++) p.changeSpeed(-1);
    expect(p.clock.speed).toBe(0.25);
  });

  it('skip-idle jumps over a stretch of nothing but metrics, to a second before the next activity', async () => {
    const p = await player({ skipIdle: true });
    p.seekTime(events[14_999].t);
    p.togglePlay();
    p.tick();
    const next = events.findIndex((e, i) => i >= 15_000 && !e.type.startsWith('metric/'));
    expect(events[next].t - events[14_999].t).toBeGreaterThan(100_000);
    expect(p.now()).toBe(events[next].t - 1000);
    const plain = await player();
    plain.seekTime(events[14_999].t);
    plain.togglePlay();
    plain.tick();
    expect(plain.now()).toBe(events[14_999].t);
  });

  it('before indexing is done, moves stay within what is indexed', async () => {
    const p = await player({ index: false });
    while (p.index.count < 3000) p.index.step(1);
    expect(p.index.done).toBe(false);
    p.seekFraction(0.9);
    expect(p.position).toBeLessThanOrEqual(p.index.count);
    expect(p.message).toMatch(/not indexed that far yet/);
    expect(p.state).toStrictEqual(stateAt(p.position));
    await p.index.run();
    p.seekFraction(0.9);
    expect(p.message).toBeUndefined();
    expect(p.now()).toBe(events[0].t + 0.9 * (events.at(-1)!.t - events[0].t));
  });
});
