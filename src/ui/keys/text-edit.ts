/**
 * Editing a one-line text field with the keys a shell's line editor has: typed text goes in at
 * the cursor, Backspace, Ctrl-U (to the start), Ctrl-K (to the end), Ctrl-W (the word before),
 * Home/Ctrl-A, End/Ctrl-E, Left/Right. Positions count code points, so an emoji is one step.
 */

/** A text field's content and cursor (0 = before the first character). */
export interface Field {
  text: string;
  cursor: number;
}

/** The result of one key on a field: the new field, or undefined when the key is not an editing key. */
export function editField(f: Field, key: string, raw: string, maxLength: number): Field | undefined {
  const chars = [...f.text];
  const at = Math.max(0, Math.min(chars.length, f.cursor));
  const before = chars.slice(0, at);
  const after = chars.slice(at);
  const make = (b: string[], a: string[]): Field => ({ text: [...b, ...a].join(''), cursor: b.length });
  switch (key) {
    case 'backspace':
      return make(before.slice(0, -1), after);
    case 'ctrl-u':
      return make([], after);
    case 'ctrl-k':
      return make(before, []);
    case 'ctrl-w':
      return make(before.slice(0, wordStart(before)), after);
    case 'home':
    case 'ctrl-a':
      return make([], chars);
    case 'end':
    case 'ctrl-e':
      return make(chars, []);
    case 'left':
      return { text: f.text, cursor: Math.max(0, at - 1) };
    case 'right':
      return { text: f.text, cursor: Math.min(chars.length, at + 1) };
  }
  if (!isText(key, raw)) return undefined;
  const room = Math.max(0, maxLength - chars.length);
  return make([...before, ...[...raw].slice(0, room)], after);
}

/** Where the word before the end of `chars` starts, as Ctrl-W in a shell: trailing spaces, then non-spaces. */
export function wordStart(chars: string[]): number {
  let i = chars.length;
  while (i > 0 && /\s/u.test(chars[i - 1])) i--;
  while (i > 0 && !/\s/u.test(chars[i - 1])) i--;
  return i;
}

/** Printable text: not a named key, no control characters. */
function isText(key: string, raw: string): boolean {
  return raw !== '' && !key.startsWith('ctrl-') && ![...raw].some((ch) => ch < ' ' || ch === '\x7f');
}
