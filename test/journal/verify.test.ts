import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { encodeLine, verifyChain, verifyText } from '../../src/journal/index.js';
import { chainLines, sampleEvents, tempDir } from './helpers.js';

const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

/** A forged line: plausible seq and content, made-up hash. */
function forged(seq: number): string {
  return encodeLine(seq, 'f'.repeat(32), { type: 'gate/decided', t: 1, gate: 'canary', decision: 'go', reason: 'forged' }).text.replace(
    /"hash":"[0-9a-f]{32}"/,
    '"hash":"0123456789abcdef0123456789abcdef"',
  );
}

type Tamper = 'edited' | 'dropped' | 'inserted' | 'reordered';

/** Applies one tampering at 0-based index `at`; returns the lines and the 1-based line where it should be reported. */
function tamper(lines: string[], kind: Tamper, at: number, forgedSeq = at + 1): { lines: string[]; line: number } {
  const out = [...lines];
  if (kind === 'edited') out[at] = out[at].replace(/"(reason|query)":"/, '"$1":"EDITED ');
  if (kind === 'dropped') out.splice(at, 1);
  if (kind === 'inserted') out.splice(at, 0, forged(forgedSeq));
  if (kind === 'reordered') [out[at], out[at + 1]] = [out[at + 1], out[at]];
  return { lines: out, line: at + 1 };
}

describe('verifyChain', () => {
  const lines = chainLines(sampleEvents(10));

  it('accepts an intact journal, and an empty one', () => {
    expect(verifyText(text(lines))).toEqual({ ok: true, lines: 10, torn: false });
    expect(verifyText('')).toEqual({ ok: true, lines: 0, torn: false });
  });

  it('accepts a torn last line as a crash, not tampering', () => {
    const torn = text(lines) + lines[0].slice(0, 25);
    expect(verifyText(torn)).toEqual({ ok: true, lines: 10, torn: true });
  });

  it('reads the same verdict from a file as from text', () => {
    const p = join(tempDir(), 'j.jsonl');
    const t = tamper(lines, 'reordered', 6);
    writeFileSync(p, text(t.lines));
    expect(verifyChain(p)).toEqual(verifyText(text(t.lines)));
    expect(verifyChain(p)).toMatchObject({ ok: false, line: 7, kind: 'reordered' });
  });

  it.each([
    ['edited', 3],
    ['dropped', 3],
    ['inserted', 3],
    ['reordered', 3],
    ['edited', 0],
    ['dropped', 0],
    ['inserted', 0],
    ['reordered', 0],
    ['reordered', 8],
  ] as const)('detects a line %s at index %i, reported at its line', (kind, at) => {
    const t = tamper(lines, kind, at);
    const v = verifyText(text(t.lines));
    expect(v).toMatchObject({ ok: false, line: t.line, kind });
    expect(v.ok === false && v.message.length).toBeGreaterThan(10);
  });

  it('detects a forged insertion whatever plausible seq it claims', () => {
    for (const seq of [3, 4, 5])
      expect(verifyText(text(tamper(lines, 'inserted', 3, seq).lines))).toMatchObject({ ok: false, line: 4, kind: 'inserted' });
  });

  it('points at a forged line even when its hash was forged correctly', () => {
    const out = [...lines];
    out.splice(4, 0, encodeLine(5, JSON.parse(lines[3]).hash, { type: 'gate/decided', t: 1, decision: 'go' }).text);
    expect(verifyText(text(out))).toMatchObject({ ok: false, line: 5, kind: 'inserted' });
  });

  it('calls a garbage line in the middle corrupt', () => {
    const out = [...lines];
    out[5] = '{"seq":6,"type":"metric/sa';
    expect(verifyText(text(out))).toMatchObject({ ok: false, line: 6, kind: 'corrupt', message: 'not valid JSON' });
  });

  it('classifies each tampering of any journal at the right line (property)', () => {
    const kinds: Tamper[] = ['edited', 'dropped', 'inserted', 'reordered'];
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.constantFrom(...kinds), fc.nat(), (n, kind, pick) => {
        const ls = chainLines(sampleEvents(n));
        // Dropping the very last line leaves a valid shorter chain; swapping needs a next line.
        const span = kind === 'edited' || kind === 'inserted' ? n : n - 1;
        const t = tamper(ls, kind, pick % span);
        expect(verifyText(text(t.lines))).toMatchObject({ ok: false, line: t.line, kind });
      }),
      { numRuns: 300 },
    );
  });
});
