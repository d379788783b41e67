// The output tails buffer: lines, partial lines and counters as the old in-state tail had them,
// and its bounds: lines and characters per command, finished tails evicted earliest first, all
// tails together kept near their total (running ones shrink to a share, never evicted).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OUTPUT_TAIL_LINES, OutputTails, type SessionEvent, type TailLimits } from '../../src/core/index.js';
import { T0, started } from './fixtures.js';

const begin = (cmd: string): SessionEvent => ({ type: 'command/started', t: T0, cmd, step: 'backup', host: 'h', command: 'x' });
const out = (cmd: string, text: string): SessionEvent => ({ type: 'command/output', t: T0, cmd, host: 'h', stream: 'stdout', text });
const exit = (cmd: string): SessionEvent => ({ type: 'command/exited', t: T0, cmd, host: 'h', code: 0, ms: 1 });

/** A buffer fed `events` after a session/started. */
function tailsOf(events: SessionEvent[], limits?: TailLimits): OutputTails {
  const t = new OutputTails(limits);
  for (const e of [started(), ...events]) t.add(e);
  return t;
}

const lines = (from: number, n: number, width = 0) => Array.from({ length: n }, (_, i) => `line ${from + i}`.padEnd(width, '.'));

describe('OutputTails', () => {
  it('keeps output as lines: a partial line is joined by the next chunk; counters cover all output', () => {
    const t = tailsOf([begin('c1'), out('c1', 'hel'), out('c1', 'lo\nworld\n'), out('c1', ''), out('c1', '\nnext')]);
    expect(t.lines('c1')).toEqual(['hello', 'world', '', 'next']);
    expect(t.stats('c1')).toEqual({ lines: 4, bytes: 17, partial: true });
    expect(t.lines('c1', 2)).toEqual(['', 'next']);
  });

  it('is the last lines of the whole output, however it is chunked (property, against splitting the joined text)', () => {
    const chunk = fc.oneof(fc.stringMatching(/^[ab\n]{0,12}$/), fc.constantFrom('', '\n', 'x\ny\nz\n'));
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 40 }), fc.integer({ min: 1, max: 6 }), (chunks, keep) => {
        const t = tailsOf([begin('c1'), ...chunks.map((c) => out('c1', c))], { lines: keep, chars: 1e6, finished: 10, totalChars: 1e6 });
        const all = chunks.join('');
        const parts = all === '' ? [] : all.split('\n');
        if (all.endsWith('\n')) parts.pop();
        expect(t.lines('c1')).toEqual(parts.slice(-keep));
        expect(t.lines('c1', 2)).toEqual(parts.slice(-Math.min(2, keep)));
        expect(t.stats('c1')).toEqual({ lines: parts.length, bytes: all.length, partial: all !== '' && !all.endsWith('\n') });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the last OUTPUT_TAIL_LINES lines, whether they come in one chunk or one by one', () => {
    const many = `${lines(0, OUTPUT_TAIL_LINES + 50).join('\n')}\n`;
    const oneChunk = tailsOf([begin('c1'), out('c1', many)]);
    const byLine = tailsOf([begin('c1'), ...lines(0, OUTPUT_TAIL_LINES + 50).map((l) => out('c1', `${l}\n`))]);
    for (const t of [oneChunk, byLine]) {
      expect(t.lines('c1')).toEqual(lines(50, OUTPUT_TAIL_LINES));
      expect(t.stats('c1')).toMatchObject({ lines: OUTPUT_TAIL_LINES + 50, partial: false });
    }
    // One line at a time, whole chunks that are no longer needed are let go.
    expect(byLine.record().tails[0][1].chunks).toHaveLength(OUTPUT_TAIL_LINES);
  });

  it('ignores output of a command it does not know; a command started again starts a new tail', () => {
    const t = tailsOf([out('ghost', 'boo\n'), begin('c1'), out('c1', 'first run\n'), begin('c1'), out('c1', 'second run\n')]);
    expect(t.lines('ghost')).toBeUndefined();
    expect(t.lines('c1')).toEqual(['second run']);
    expect(t.size).toBe(1);
  });

  it('bounds one command by characters, oldest lines first; one chunk over the bound keeps its end', () => {
    const limits = { lines: 200, chars: 100, finished: 10, totalChars: 10_000 };
    const t = tailsOf([begin('c1'), ...lines(0, 30, 20).map((l) => out('c1', `${l}\n`))], limits);
    expect(t.chars).toBeLessThanOrEqual(100);
    expect(t.lines('c1')).toEqual(lines(26, 4, 20));
    t.add(out('c1', `${'x'.repeat(150)}\n`));
    expect(t.chars).toBe(100);
    expect(t.lines('c1')).toEqual(['x'.repeat(99)]);
  });

  it('evicts finished tails earliest finished first, beyond FINISHED_TAILS; running ones stay', () => {
    const limits = { lines: 10, chars: 1000, finished: 2, totalChars: 10_000 };
    const ids = ['a', 'b', 'c', 'd'];
    const t = tailsOf([...ids.flatMap((id) => [begin(id), out(id, `${id}\n`)]), exit('c'), exit('a'), exit('b')], limits);
    expect(t.lines('c')).toBeUndefined();
    expect(t.lines('a')).toEqual(['a']);
    expect(t.lines('b')).toEqual(['b']);
    expect(t.lines('d')).toEqual(['d']);
    expect(t.finishedOrder()).toEqual(['a', 'b']);
    // Output after its tail is gone does not bring it back.
    t.add(out('c', 'late\n'));
    expect(t.lines('c')).toBeUndefined();
  });

  it('over the total, finished tails go first, then the running tail that grew shrinks to its share', () => {
    const limits = { lines: 200, chars: 1000, finished: 100, totalChars: 1000 };
    const t = tailsOf([begin('old'), out('old', `${'o'.repeat(299)}\n`), exit('old'), begin('a'), begin('b')], limits);
    for (let i = 0; i < 40; i++) {
      t.add(out('a', `a${String(i).padStart(18, '0')}\n`));
      t.add(out('b', `b${String(i).padStart(18, '0')}\n`));
    }
    expect(t.lines('old')).toBeUndefined();
    expect(t.chars).toBeLessThanOrEqual(1000);
    // Two running commands: each keeps about half, its newest lines.
    for (const id of ['a', 'b']) {
      expect(t.lines(id)!.length).toBeGreaterThanOrEqual(20);
      expect(t.lines(id)!.at(-1)).toBe(`${id}${'39'.padStart(18, '0')}`);
    }
  });

  it('session/resumed ends every running command: their tails can be evicted from then on', () => {
    const t = tailsOf([begin('a'), begin('b'), exit('a'), { type: 'session/resumed', t: T0, operator: 'bob', afterSeq: 4 }]);
    expect(t.finishedOrder()).toEqual(['a', 'b']);
  });

  it('a record restores to an equal buffer that goes on on its own', () => {
    const t = tailsOf([begin('12'), out('12', 'a\nb'), begin('c1'), out('c1', 'x\n'), exit('c1')]);
    const copy = t.clone();
    expect(copy.record()).toStrictEqual(t.record());
    // Start order survives, even for ids an object would sort first.
    expect(copy.record().tails.map(([id]) => id)).toEqual(['12', 'c1']);
    copy.add(out('12', 'c\n'));
    expect(copy.lines('12')).toEqual(['a', 'bc']);
    expect(t.lines('12')).toEqual(['a', 'b']);
  });

  it('counts a change in version on every tail change, so a memoized pane redraws', () => {
    const t = tailsOf([begin('c1')]);
    const v = t.version;
    t.add(out('c1', 'x\n'));
    expect(t.version).toBeGreaterThan(v);
  });
});
