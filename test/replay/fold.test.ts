// The replay's fast fold gives exactly the states the reducer gives: for random event sequences
// folded in random slices, and for every snapshot of an indexed journal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { reduceAll, type SessionEvent } from '../../src/core/index.js';
import { Folder, foldAll } from '../../src/replay/fold.js';
import { JournalIndex } from '../../src/replay/indexer.js';
import { Packer, unpack } from '../../src/replay/snapshot.js';
import { started, T0 } from '../core/fixtures.js';
import { syntheticEvents, writeJournal } from '../support/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-fold-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cmd = fc.constantFrom('c1', 'c2', 'c3', 'c4');
const panel = fc.constantFrom('error_rate', 'p95_canary', 'other');
const value = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((v) => !Object.is(v, -0)), fc.constantFrom('NaN' as const, '+Inf' as const));
const event: fc.Arbitrary<Omit<SessionEvent, 't'>> = fc.oneof(
  // Partial lines, empty chunks, many lines (tails are cut to 200): what output folding must get right.
  { weight: 6, arbitrary: fc.record({ type: fc.constant('command/output' as const), cmd, host: fc.constant('h'), stream: fc.constantFrom('stdout' as const, 'stderr' as const), text: fc.oneof(fc.stringMatching(/^[ab\n]{0,8}$/), fc.constantFrom('', '\n', 'x'.repeat(3), 'line\n'.repeat(150), 'a\nb')) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('metric/sampled' as const), panel, at: fc.nat(), series: fc.array(fc.record({ labels: fc.constant({}), value }), { maxLength: 2 }) }) },
  fc.record({ type: fc.constant('metric/failed' as const), panel, kind: fc.constantFrom('refused' as const, 'timeout' as const), message: fc.string({ maxLength: 10 }) }),
  fc.record({ type: fc.constant('metric/range' as const), panel, from: fc.nat(), step: fc.nat(), points: fc.array(fc.tuple(fc.nat(), value), { maxLength: 3 }) }),
  fc.record({ type: fc.constant('command/started' as const), cmd, step: fc.constantFrom('backup', 'shift-back'), host: fc.constant('h'), command: fc.constant('x') }),
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
        const f = new Folder(reduceAll([]));
        const states: unknown[] = [];
        events.forEach((e, i) => {
          f.add(e);
          if (cuts.includes(i)) states.push([i, f.state()]);
        });
        expect(f.state()).toStrictEqual(reduceAll(events));
        for (const [i, st] of states as [number, unknown][]) expect(st).toStrictEqual(reduceAll(events.slice(0, i + 1)));
      }),
      { numRuns: 300 },
    );
  });

  it('a packed snapshot unpacks to the same state, whatever the text (lone surrogates, emoji, empty lines)', () => {
    const text = ['plain', '', 'emoji 🚀 and ünïcödé', 'lone \ud800 surrogate', '\u0000nul', 'tab\there'].join('\n').repeat(10) + '\npartial';
    const events: SessionEvent[] = [started(), { type: 'command/started', t: T0, cmd: 'c1', step: 'backup', host: 'h', command: 'x' }, { type: 'command/output', t: T0, cmd: 'c1', host: 'h', stream: 'stdout', text }];
    const state = reduceAll(events);
    expect(state.commands.c1.tail.length).toBeGreaterThan(16);
    const packed = new Packer().pack(3, state);
    expect(packed.tails?.get('c1')).toBeDefined();
    expect(packed.state.commands.c1.tail).toEqual([]);
    expect(unpack(packed)).toStrictEqual(state);
  });

  it('every snapshot of an indexed journal is the state after its events', async () => {
    const events = syntheticEvents(6000);
    const path = join(dir, 'j.jsonl');
    writeJournal(path, events);
    const ix = JournalIndex.open(path);
    await ix.run();
    ix.close();
    expect(ix.snapshots.length).toBeGreaterThan(10);
    // Snapshots keep long output tails compressed; unpacked, each is the state after its events.
    expect(ix.snapshots.some((s) => s.tails?.size)).toBe(true);
    for (const s of ix.snapshots) expect(unpack(s)).toStrictEqual(reduceAll(events.slice(0, s.index)));
    expect(foldAll(events.slice(100), reduceAll(events.slice(0, 100)))).toStrictEqual(reduceAll(events));
  });
});
