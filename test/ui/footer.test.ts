// The footer at any width: whole entries in order (urgent keys first), never one cut in the
// middle, and `?`, which lists everything left out, always at its end.
import { describe, expect, it } from 'vitest';
import type { Binding } from '../../src/ui/keys/bindings.js';
import { plain } from '../../src/ui/rows.js';
import { footerLine } from '../../src/ui/status.js';

const b = (key: string, description: string, o: Partial<Binding> = {}): Binding => ({
  keys: [key],
  description,
  handler: () => undefined,
  ...o,
});
const pane = [b('enter', 'run step'), b('r', 'retry'), b('s', 'skip…')];
const global = [b('R', 'roll back traffic-back…', { urgent: true, dangerous: true }), b('z', 'zoom pane'), b('?', 'help'), b('q', 'quit')];
const entries = ['R roll back traffic-back…', 'enter run step', 'r retry', 's skip…', 'z zoom pane', 'q quit'];

describe('footer', () => {
  it.each([40, 50, 60, 70, 80, 100, 160])('at %i columns: whole entries in order, then ? help', (width) => {
    const text = plain(footerLine(pane, global, false, width, false)).trimEnd();
    expect(text.length).toBeLessThanOrEqual(width);
    expect(text.endsWith('? help')).toBe(true);
    const shown = text
      .slice(0, -'? help'.length)
      .split(/ {2}/)
      .map((x) => x.trim())
      .filter(Boolean);
    // The first entries of the list, each whole, none skipped.
    expect(shown).toEqual(entries.slice(0, shown.length));
    expect(shown.length).toBeGreaterThan(0);
    if (width >= 100) expect(shown).toEqual(entries);
  });
});
