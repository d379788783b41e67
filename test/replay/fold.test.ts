// The replay's fast fold gives exactly the states the reducer gives, and the output tails an
// OutputTails fed the events one by one holds: for random event sequences folded in random
// slices, and for every snapshot of an indexed journal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputTails, reduceAll, type SessionEvent } from '../../src/core/index.js';
import { Folder, foldAll } from '../../src/replay/fold.js';
import { JournalIndex } from '../../src/replay/indexer.js';
import { Packer, unpack, unpackTails, type Snapshot } from '../../src/replay/snapshot.js';
import { started, T0 } from '../core/fixtures.js';
import { syntheticEvents, writeJournal } from '../support/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-fold-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cmd = fc.constantFrom('c1', 'c2', 'c3', 'c4');

/** The tails after `events`, fed one at a time (what the live store does). */
function tailsOf(events: readonly SessionEvent[]): OutputTails {
  const t = new OutputTails();
  for (const e of events) t.add(e);
  return t;
}

/** A snapshot's tails, restored into a buffer. */
const restored = (s: Snapshot) => {
  const u = unpackTails(s);
  return OutputTails.restore(u.record, u.started);
};
const panel = fc.constantFrom('error_rate', 'p95_canary', 'other');
const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((v) => !Object.is(v, -0)),
  fc.constantFrom('NaN' as const, '+Inf' as const),
);
const event: fc.Arbitrary<Omit<SessionEvent, 't'>> = fc.oneof(
  // Partial lines, empty chunks, many lines (tails are cut to 200): what output folding must get right.
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('command/output' as const),
      cmd,
      host: fc.constant('h'),
      stream: fc.constantFrom('stdout' as const, 'stderr' as const),
      text: fc.oneof(fc.stringMatching(/^[ab\n]{0,8}$/), fc.constantFrom('', '\n', 'x'.repeat(3), 'line\n'.repeat(150), 'a\nb')),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('metric/sampled' as const),
      panel,
      at: fc.nat(),
      series: fc.array(fc.record({ labels: fc.constant({}), value }), { maxLength: 2 }),
    }),
  },
  fc.record({
    type: fc.constant('metric/failed' as const),
    panel,
    kind: fc.constantFrom('refused' as const, 'timeout' as const),
    message: fc.string({ maxLength: 10 }),
  }),
  fc.record({
    type: fc.constant('metric/range' as const),
    panel,
    from: fc.nat(),
    step: fc.nat(),
    points: fc.array(fc.tuple(fc.nat(), value), { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('command/started' as const),
    cmd,
    step: fc.constantFrom('backup', 'shift-back'),
    host: fc.constant('h'),
    command: fc.constant('x'),
  }),
  fc.record({ type: fc.constant('command/exited' as const), cmd, host: fc.constant('h'), code: fc.constantFrom(0, 1, null), ms: fc.nat() }),
  fc.record({ type: fc.constant('step/started' as const), phase: fc.constant('pre'), step: fc.constantFrom('backup', 'green-health') }),
  fc.record({ type: fc.constant('rollback/confirmed' as const), level: fc.constant('traffic'), operator: fc.constant('a') }),
  fc.record({ type: fc.constant('session/resumed' as const), operator: fc.constant('b'), afterSeq: fc.nat() }),
) as fc.Arbitrary<Omit<SessionEvent, 't'>>;

describe('fast fold', () => {
  it('equals reduceAll, however the events are sliced (property)', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 80 }), fc.array(fc.nat({ max: 80 }), { maxLength: 6 }), (raw, cuts) => {
        const events = [started(), ...raw.map((e, i) => ({ ...e, t: T0 + i * 7 }) as SessionEvent)];
        const f = new Folder(reduceAll([]), new OutputTails());
        const states: unknown[] = [];
        events.forEach((e, i) => {
          f.add(e);
          if (cuts.includes(i)) states.push([i, f.state(), f.tails!.record()]);
        });
        expect(f.state()).toStrictEqual(reduceAll(events));
        expect(f.tails!.record()).toStrictEqual(tailsOf(events).record());
        for (const [i, st, tails] of states as [number, unknown, unknown][]) {
          expect(st).toStrictEqual(reduceAll(events.slice(0, i + 1)));
          expect(tails).toStrictEqual(tailsOf(events.slice(0, i + 1)).record());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a packed snapshot unpacks to the same state and tails, whatever the text (lone surrogates, emoji, empty lines)', () => {
    const text = `${['plain', '', 'emoji 🚀 and ünïcödé', 'lone \ud800 surrogate', '\u0000nul', 'tab\there'].join('\n').repeat(30)}\npartial`;
    const events: SessionEvent[] = [
      started(),
      { type: 'command/started', t: T0, cmd: 'c1', step: 'backup', host: 'h', command: 'x' },
      { type: 'command/output', t: T0, cmd: 'c1', host: 'h', stream: 'stdout', text },
      { type: 'command/started', t: T0, cmd: 'c2', step: 'backup', host: 'h', command: 'y' },
      { type: 'command/output', t: T0, cmd: 'c2', host: 'h', stream: 'stdout', text: 'short\n\n' },
      { type: 'command/exited', t: T0, cmd: 'c2', host: 'h', code: 0, ms: 1 },
    ];
    const state = reduceAll(events);
    const tails = tailsOf(events);
    expect(tails.lines('c1')!.length).toBeGreaterThan(16);
    const packer = new Packer();
    const packed = packer.pack(events.length, state, tails);
    // The long tail is compressed, the short one kept as it is.
    expect(packed.tails?.entries.map(([id, p]) => [id, p.data !== undefined])).toEqual([
      ['c1', true],
      ['c2', false],
    ]);
    expect(unpack(packed)).toBe(state);
    expect(restored(packed).record()).toStrictEqual(tails.record());
    // Nothing changed: the next snapshot shares the packed tails.
    const again = packer.pack(events.length, state, tails);
    expect(again.tails!.entries[0][1]).toBe(packed.tails!.entries[0][1]);
  });

  it('every snapshot of an indexed journal is the state after its events', async () => {
    const events = syntheticEvents(6000);
    const path = join(dir, 'j.jsonl');
    writeJournal(path, events);
    const ix = JournalIndex.open(path);
    await ix.run();
    ix.close();
    expect(ix.snapshots.length).toBeGreaterThan(10);
    // Snapshots keep long output tails compressed; unpacked, each is the state and the tails after its events.
    expect(ix.snapshots.some((s) => s.tails?.entries.some(([, p]) => p.data))).toBe(true);
    for (const s of ix.snapshots) {
      expect(unpack(s)).toStrictEqual(reduceAll(events.slice(0, s.index)));
      expect(restored(s).record()).toStrictEqual(tailsOf(events.slice(0, s.index)).record());
    }
    const tails = tailsOf(events.slice(0, 100));
    expect(foldAll(events.slice(100), reduceAll(events.slice(0, 100)), tails)).toStrictEqual(reduceAll(events));
    expect(tails.record()).toStrictEqual(tailsOf(events).record());
  });
});
