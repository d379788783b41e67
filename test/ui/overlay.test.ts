// The overlay's rectangle as lines: every cell written, borders intact, centred, never taller than the screen.
import { describe, expect, it } from 'vitest';
import { overlayBox, type OverlayView } from '../../src/ui/components/Overlay.js';
import stringWidth from 'string-width';
import { line, lineWidth, plain } from '../../src/ui/rows.js';
import { dialogView } from '../../src/ui/dialogs.js';
import { reduceAll } from '../../src/core/index.js';
import { started } from '../core/fixtures.js';

const view = (n: number, o: Partial<OverlayView> = {}): OverlayView => ({
  title: 'A dialog',
  lines: Array.from({ length: n }, (_, i) => line(`line ${i + 1}`)),
  hint: 'enter ok · esc cancel',
  danger: false,
  ...o,
});

describe('overlayBox', () => {
  it.each([
    [80, 24, 3],
    [80, 24, 40],
    [160, 48, 40],
    [220, 60, 5],
    [40, 10, 12],
  ])('at %ix%i with %i lines: a closed frame of exactly its size, centred, between status bar and footer', (columns, rows, n) => {
    const b = overlayBox(view(n), columns, rows, 0, false);
    expect(b.lines).toHaveLength(b.height);
    for (const l of b.lines) expect(lineWidth(l)).toBe(b.width);
    const text = b.lines.map(plain);
    expect(text[0]).toBe(`╔${'═'.repeat(b.width - 2)}╗`);
    expect(text.at(-1)).toMatch(/^╚═[^║]*═╝$/);
    for (const t of text.slice(1, -1)) expect(t).toMatch(/^║ .* ║$/);
    expect(b.width).toBeLessThanOrEqual(columns - 4);
    expect(b.top).toBeGreaterThanOrEqual(1);
    expect(b.top + b.height).toBeLessThanOrEqual(rows - 1);
    expect(b.left).toBe(Math.floor((columns - b.width) / 2));
    expect(b.top).toBe(Math.floor((rows - b.height) / 2));
    expect(text[1].slice(2, -2).trimEnd()).toBe('A dialog');
    expect(text[2].slice(2, -2)).toBe(' '.repeat(b.width - 4));
    expect(text.at(-2)!.slice(2, -2).trimEnd()).toBe('enter ok · esc cancel');
  });

  it('scrolls a body taller than the screen, says where it is, and clamps', () => {
    const first = overlayBox(view(40), 80, 24, 0, false);
    expect(first.maxScroll).toBe(40 - first.page);
    expect(first.page).toBe(24 - 2 - 5);
    const body = (b: typeof first) => b.lines.slice(3, 3 + b.page).map((l) => plain(l).slice(2, -2).trimEnd());
    expect(body(first)[0]).toBe('line 1');
    expect(plain(first.lines.at(-1)!)).toContain(` 1-${first.page} of 40 `);
    const last = overlayBox(view(40), 80, 24, 1000, false);
    expect(last.scroll).toBe(last.maxScroll);
    expect(body(last).at(-1)).toBe('line 40');
    expect(plain(last.lines.at(-1)!)).toContain(` ${41 - last.page}-40 of 40 `);
    expect(overlayBox(view(40), 80, 24, -5, false).scroll).toBe(0);
    // A body that fits does not scroll and shows no position.
    const fits = overlayBox(view(5), 80, 24, 3, false);
    expect([fits.scroll, fits.maxScroll]).toEqual([0, 0]);
    expect(plain(fits.lines.at(-1)!)).toMatch(/^╚═+╝$/);
  });

  it('cuts lines wider than the screen inside the frame, and a dangerous hint is one inverse bar', () => {
    const b = overlayBox(view(1, { lines: [line('x'.repeat(200))], danger: true, hint: 'Y roll back now' }), 80, 24, 0, true);
    for (const l of b.lines) expect(lineWidth(l)).toBe(b.width);
    expect(plain(b.lines[3])).toMatch(/^║ x+… ║$/);
    const hint = b.lines.at(-2)!.find((s) => s.inverse);
    expect(hint?.text.trimEnd()).toBe('Y roll back now');
    expect([...hint!.text]).toHaveLength(b.width - 4);
    expect(b.lines[0][0].color).toBe('red');
  });

  // Wide characters take two columns: the frame counts columns, so its right border stays in place.
  it.each([
    [80, 24],
    [160, 48],
    [220, 60],
  ])('at %ix%i a CJK note under an emoji title: every row is exactly the overlay wide, borders in place', (columns, rows) => {
    const note = 'デプロイ後にエラー率が上昇、🚀 ロールバックを検討 👨‍👩‍👧 café\u0301 '.repeat(4);
    for (const cursor of [0, 7, [...note].length]) {
      const d = dialogView({ kind: 'note', input: note, cursor }, reduceAll([started()]), 'enter add · esc cancel', undefined, columns - 8);
      const v = { ...d, title: '📝 メモを追加 ❤️ (note)', lines: [...d.lines, line(`前回: ${note}`)] };
      const b = overlayBox(v, columns, rows, 0, false);
      expect(b.width).toBeLessThanOrEqual(columns - 4);
      for (const l of b.lines) {
        expect(lineWidth(l)).toBe(b.width);
        // Measured as Ink and the terminal measure it, not by the code under test.
        expect(stringWidth(plain(l))).toBe(b.width);
      }
      const text = b.lines.map(plain);
      expect(text[0]).toBe(`╔${'═'.repeat(b.width - 2)}╗`);
      expect(text.at(-1)).toMatch(/^╚═+╝$/);
      for (const t of text.slice(1, -1)) expect(t).toMatch(/^║ .* ║$/);
      expect(text[1]).toContain('📝 メモを追加 ❤️ (note)');
      // The field shows part of the note around its cursor, and the line under it is cut with an ellipsis.
      expect(text[3]).toMatch(/^║ > /);
      expect(text[4]).toMatch(/^║ 前回: デプロイ.*… *║$/);
    }
  });
});
