// Widths are terminal columns: a wide (CJK, emoji) character takes two, a combining mark or a
// joiner none. Every cut is by columns, keeps graphemes whole, and gives exactly the width asked
// for (a wide character that would straddle the edge becomes a space), whatever a host sent.
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { inputLine } from '../../src/ui/dialogs.js';
import { abbreviate } from '../../src/ui/panes/health/rows.js';
import { ellipsize, fit as fitLine, lineWidth, pad, plain, textWidth, wrap } from '../../src/ui/rows.js';

const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);

/** Columns as Ink and the terminal count them: the oracle, independent of the code under test. */
const cols = (s: string) => stringWidth(s);

/** True when `cut` is whole graphemes from the start of `text`. */
function graphemePrefix(cut: string, text: string): boolean {
  const a = graphemes(cut);
  return a.every((g, i) => g === graphemes(text)[i]);
}

// name, text, columns
const SAMPLES: [string, string, number][] = [
  ['ASCII', 'deploy blue', 11],
  ['CJK', '部署完了', 8],
  ['full-width Latin', 'ＯＫ', 4],
  ['emoji', '🚀', 2],
  ['emoji with variation selector', '❤️', 2],
  ['text-style character with VS15', '☺︎', 1],
  ['ZWJ family', '👨‍👩‍👧', 2],
  ['ZWJ profession with skin tone', '🧑🏽‍💻', 2],
  ['flag', '🇯🇵', 2],
  ['combining acute', 'e\u0301', 1],
  ['stacked combining marks', 'a\u0301\u0302\u0303\u0304', 1],
  ['zero-width joiner alone between letters', 'a\u200Db', 2],
  ['Hangul', '한국어', 6],
  ['mixed', 'ok 部署 🚀 é', 12],
];

/** The longest run of whole graphemes from the start of `text` within `n` columns. */
function longestPrefix(text: string, n: number): string {
  let out = '';
  for (const g of graphemes(text)) {
    if (cols(out + g) > n) break;
    out += g;
  }
  return out;
}

/** Every sample in one line, so cuts land on every kind of edge. */
const MIXED = SAMPLES.map(([, t]) => t).join(' ');

describe('textWidth', () => {
  it.each(SAMPLES)('%s: %s takes %i columns', (_, text, columns) => {
    expect(textWidth(text)).toBe(columns);
    expect(lineWidth([{ text }, { text }])).toBe(2 * columns);
  });
});

describe('textWidth measures by length only what string-width measures so', () => {
  it('every character up to U+2FFF, alone and between letters, and a combining mark or variation selector after it', () => {
    const wrong: string[] = [];
    for (let c = 0x20; c < 0x3000; c++) {
      if (c >= 0x7f && c < 0xa0) continue; // C1 controls: sanitizeLine removes them before anything is measured
      const ch = String.fromCodePoint(c);
      for (const t of [ch, `a${ch}b`, `${ch}\u0301`, `${ch}\ufe0f`])
        if (textWidth(t) !== cols(t)) wrong.push(`U+${c.toString(16)} in ${JSON.stringify(t)}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('cuts by columns', () => {
  const texts = [...SAMPLES.map(([, t]) => t.repeat(3)), MIXED];

  it.each(texts)('pad(%s, n) is exactly n columns, whole graphemes from the start then spaces, for every n', (text) => {
    for (let n = 0; n <= cols(text) + 3; n++) {
      const out = pad(text, n);
      expect(cols(out), `n=${n}`).toBe(n);
      // The most whole graphemes that fit, then spaces: only a character that would straddle the edge is given up.
      expect(out, `n=${n}`).toBe(longestPrefix(text, n).padEnd(n - cols(longestPrefix(text, n)) + longestPrefix(text, n).length));
    }
  });

  it.each(texts)('fit(%s, n) is exactly n columns when it cuts, with an ellipsis, for every n', (text) => {
    const g = graphemes(text);
    const src = [{ text: g.slice(0, 2).join('') }, { text: g.slice(2).join(''), bold: true }];
    for (let n = 1; n <= cols(text) + 3; n++) {
      const out = fitLine(src, n);
      if (cols(text) <= n) expect(plain(out)).toBe(text);
      else {
        expect(cols(plain(out)), `n=${n}`).toBe(n);
        expect(plain(out), `n=${n}`).toMatch(/… ?$/);
        expect(graphemePrefix(plain(out).replace(/… ?$/, ''), text), `n=${n}: ${plain(out)}`).toBe(true);
      }
    }
  });

  it.each(texts)('ellipsize(%s, n) takes at most n columns, exactly n when it cuts', (text) => {
    for (let n = 1; n <= cols(text) + 2; n++) {
      const out = ellipsize(text, n);
      if (cols(text) <= n) expect(out).toBe(text);
      else expect(cols(out), `n=${n}`).toBe(n);
    }
  });

  it.each(texts)('wrap(%s, w) gives lines of at most w columns that keep every character, for every w from 2', (text) => {
    for (let w = 2; w <= cols(text) + 2; w++) {
      const lines = wrap(text, w);
      for (const l of lines) expect(cols(l), `w=${w}: ${l}`).toBeLessThanOrEqual(w);
      // Pieces of a word are whole graphemes: joined back, the words come out unchanged.
      expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    }
    // A character wider than the line does not make it overflow either.
    for (const l of wrap(text, 1)) expect(cols(l)).toBeLessThanOrEqual(1);
  });

  it.each(texts)('abbreviate(%s, n) is exactly n columns for every n', (title) => {
    for (let n = 1; n <= cols(title) + 3; n++) expect(cols(abbreviate(title, n)), `n=${n}`).toBe(n);
  });

  it('abbreviate keeps the title whole graphemes, its head and its last word', () => {
    const out = abbreviate('本番 エラー率 (東京リージョン) 🚀', 20);
    expect(cols(out)).toBe(20);
    expect(out).toMatch(/^本番 .*…🚀 *$/);
  });
});

describe('the text field', () => {
  it.each(texts())('keeps %s within the width, the cursor on a whole character, at every cursor and width', (text) => {
    const count = [...text].length;
    for (let width = 6; width <= cols(text) + 4; width++) {
      for (let cursor = 0; cursor <= count; cursor++) {
        const l = inputLine(text, cursor, width);
        const where = `width=${width} cursor=${cursor}: ${plain(l)}`;
        expect(cols(plain(l)), where).toBeLessThanOrEqual(width);
        const under = l.find((s) => s.inverse || s.text === '█');
        expect(under, where).toBeDefined();
        // The character under the cursor is the grapheme that holds the cursor's code point.
        const holder = graphemes(text).find((_, i, all) => [...all.slice(0, i + 1).join('')].length > cursor);
        expect(under!.text, where).toBe(holder ?? '█');
        // What is shown is the text itself, in whole graphemes, with an ellipsis where it is cut.
        for (const part of plain(l).slice(2).replace('█', '').split('…').filter(Boolean)) expect(text).toContain(part);
      }
    }
  });

  function texts() {
    return ['メモ: 本番のデプロイを開始', '🚀 ❤️ 👨‍👩‍👧 e\u0301 done', 'plain ascii note that is long enough'];
  }

  it('a wide field uses its room: a CJK note fills the window to within a column', () => {
    const l = inputLine('部署'.repeat(30), 0, 40);
    expect(cols(plain(l))).toBeGreaterThanOrEqual(39);
  });
});
