import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLine, readJournal, streamJournal, type ReadProblem } from '../../src/journal/index.js';
import { chainLines, sampleEvents, tempDir } from './helpers.js';

function fileOf(text: string): string {
  const p = join(tempDir(), 'j.jsonl');
  writeFileSync(p, text);
  return p;
}

const lines = chainLines(sampleEvents(6));
const text = (ls: string[]) => ls.map((l) => `${l}\n`).join('');

describe('readJournal', () => {
  it('tolerates a torn last line: left out, flagged, not a problem', () => {
    const whole = text(lines);
    const read = readJournal(fileOf(whole + lines[0].slice(0, 30)));
    expect(read.torn).toBe(true);
    expect(read.problems).toEqual([]);
    expect(read.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(read.end).toBe(Buffer.byteLength(whole));
  });

  it('keeps a whole last line that merely lacks its newline', () => {
    const read = readJournal(fileOf(text(lines).slice(0, -1)));
    expect(read).toMatchObject({ torn: false, problems: [] });
    expect(read.entries.at(-1)).toMatchObject({ seq: 6, line: 6 });
  });

  it('reports a corrupt middle line by its line number and reads the rest', () => {
    const ls = [...lines];
    ls[2] = '{"seq":3,"type":"metric/sam';
    const read = readJournal(fileOf(text(ls)));
    expect(read.problems).toEqual([{ line: 3, message: 'not valid JSON' }]);
    expect(read.entries.map((e) => [e.line, e.seq])).toEqual([
      [1, 1],
      [2, 2],
      [4, 4],
      [5, 5],
      [6, 6],
    ]);
    expect(read.torn).toBe(false);
  });

  it.each([
    ['[1,2]', 'not a JSON object'],
    ['', 'empty line'],
    ['{"type":"x","t":1,"hash":"0123456789abcdef0123456789abcdef"}', 'seq missing or not a positive integer'],
    ['{"seq":2,"type":"x","t":1}', 'hash missing or not 32 hex characters'],
    ['{"seq":2,"type":7,"t":1,"hash":"0123456789abcdef0123456789abcdef"}', 'type missing or not a string'],
  ])('reports %j in the middle as "%s"', (bad, message) => {
    const read = readJournal(fileOf(text([lines[0], bad, lines[1]])));
    expect(read.problems).toEqual([{ line: 2, message }]);
    expect(read.entries.map((e) => e.line)).toEqual([1, 3]);
  });

  it('gives the same entries whatever the chunk size, multibyte text straddling chunks included', () => {
    const ls = chainLines([{ type: 'note/added', t: 1, text: 'żółć 🚀 ünïcödé '.repeat(20) }, ...sampleEvents(8)]);
    const p = fileOf(`${text(ls)}torn{`);
    const whole = readJournal(p);
    expect(whole.entries).toHaveLength(9);
    for (const chunkBytes of [1, 3, 7, 64, 1000]) expect(readJournal(p, { chunkBytes })).toEqual(whole);
  });

  it('reads an empty file as an empty journal', () => {
    expect(readJournal(fileOf(''))).toEqual({ entries: [], torn: false, problems: [], end: 0 });
  });
});

describe('streamJournal', () => {
  it('yields the entries readJournal returns, and hands problems to onProblem', async () => {
    const ls = [...lines];
    ls[3] = 'garbage';
    const p = fileOf(`${text(ls)}{"seq":7`);
    const problems: ReadProblem[] = [];
    const streamed = [];
    for await (const e of streamJournal(p, { chunkBytes: 5, onProblem: (x) => problems.push(x) })) streamed.push(e);
    expect(streamed).toEqual(readJournal(p).entries);
    expect(problems).toEqual([{ line: 4, message: 'not valid JSON' }]);
  });
});

describe('parseLine', () => {
  it('splits a line into seq, hash and the event without them', () => {
    expect(parseLine(lines[4])).toEqual({ ok: true, seq: 5, hash: JSON.parse(lines[4]).hash, event: sampleEvents(5)[4] });
  });
});

describe('a line too long for memory', () => {
  it('readJournal reports it by number and reads on; verifyChain stops there as corrupt', async () => {
    const { mkdtempSync, rmSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { JournalWriter, verifyChain } = await import('../../src/journal/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'cutover-longline-'));
    try {
      const p = join(dir, 'j.jsonl');
      const w = await JournalWriter.create(p);
      for (let i = 0; i < 3; i++) await w.append({ type: 'note/added', t: i, text: `n${i}` });
      await w.close();
      const [a, b, c] = readFileSync(p, 'utf8').trimEnd().split('\n');
      writeFileSync(p, `${a}\n${'x'.repeat(65 * 1024 * 1024)}\n${b}\n${c}\n`);
      const r = readJournal(p);
      expect(r.problems).toEqual([{ line: 2, message: 'longer than 64 MB; not a journal line' }]);
      expect(r.entries.map((e) => e.line)).toEqual([1, 3, 4]);
      expect(verifyChain(p)).toMatchObject({ ok: false, line: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
