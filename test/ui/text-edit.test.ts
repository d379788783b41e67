// Editing a dialog's text field: each key, in order, at the cursor (text-edit.ts, typeInto, the field's line).
import { describe, expect, it } from 'vitest';
import { editField, wordStart, type Field } from '../../src/ui/keys/text-edit.js';
import { typeInto } from '../../src/ui/dialog-keys.js';
import { inputLine } from '../../src/ui/dialogs.js';
import { keyName, splitKeys } from '../../src/ui/keys/bindings.js';
import { lineWidth, plain } from '../../src/ui/rows.js';
import type { Dialog } from '../../src/ui/use-console-ui.js';

/** A field written as text with `|` where the cursor is. */
const at = (s: string): Field => ({ text: s.replace('|', ''), cursor: [...s].indexOf('|') });
const show = (f: Field | undefined) =>
  f ? [...[...f.text].slice(0, f.cursor), '|', ...[...f.text].slice(f.cursor)].join('') : 'not an editing key';

describe('editField', () => {
  it.each([
    // field before, key, raw input, field after
    ['ab|', 'c', 'c', 'abc|'],
    ['a|c', 'b', 'b', 'ab|c'],
    ['ab|', 'backspace', '', 'a|'],
    ['|ab', 'backspace', '', '|ab'],
    ['a|bc', 'backspace', '', '|bc'],
    ['deploy now|', 'ctrl-u', 'u', '|'],
    ['deploy| now', 'ctrl-u', 'u', '| now'],
    ['deploy| now', 'ctrl-k', 'k', 'deploy|'],
    ['deploy now|', 'ctrl-w', 'w', 'deploy |'],
    ['deploy now  |', 'ctrl-w', 'w', 'deploy |'],
    ['deploy| now', 'ctrl-w', 'w', '| now'],
    ['|deploy', 'ctrl-w', 'w', '|deploy'],
    ['ab|c', 'home', '', '|abc'],
    ['ab|c', 'ctrl-a', 'a', '|abc'],
    ['a|bc', 'end', '', 'abc|'],
    ['a|bc', 'ctrl-e', 'e', 'abc|'],
    ['ab|c', 'left', '', 'a|bc'],
    ['|abc', 'left', '', '|abc'],
    ['ab|c', 'right', '', 'abc|'],
    ['abc|', 'right', '', 'abc|'],
    ['🚀|x', 'backspace', '', '|x'],
    ['a|', 'up', '', 'not an editing key'],
    ['a|', 'enter', '', 'not an editing key'],
    ['a|', 'esc', '', 'not an editing key'],
    ['a|', 'ctrl-x', 'x', 'not an editing key'],
  ])('%s  %s  →  %s', (before, key, raw, after) => {
    expect(show(editField(at(before), key, raw, 300))).toBe(after);
  });

  it('stops at the longest text a field takes', () => {
    expect(show(editField(at('abc|'), 'd', 'd', 3))).toBe('abc|');
    expect(show(editField(at('a|b'), 'xyz', 'xyz', 4))).toBe('axy|b');
  });

  it('finds where the word before the cursor starts', () => {
    expect(wordStart([...'go now'])).toBe(3);
    expect(wordStart([...'go   '])).toBe(0);
    expect(wordStart([])).toBe(0);
  });
});

describe('a dialog takes keys in the order they arrive', () => {
  /** Feeds one read of the terminal to the dialog, as the console does: split into keys, each applied to the last result. */
  const type = (d: Dialog, read: string) => splitKeys(read, {}).reduce((cur, [i, k]) => typeInto(cur, keyName(i, k), i) ?? cur, d);

  it('applies two backspaces sent in one read as two', () => {
    const d = type({ kind: 'note', input: '' }, 'ab\x7f\x7fc');
    expect(d).toMatchObject({ input: 'c' });
  });

  it('applies Ctrl-U and Ctrl-W sent in one read with the text around them', () => {
    expect(type({ kind: 'note', input: '' }, 'junk\x15go now\x17later')).toMatchObject({ input: 'go later' });
  });

  it.each([
    ['note', { kind: 'note', input: '' }],
    ['filter', { kind: 'filter', input: '' }],
    ['skip', { kind: 'skip', step: 's', title: 'S', input: '' }],
    ['gate reason', { kind: 'gate', phase: 'p', title: 'G', decision: 'no-go', input: '' }],
  ] as [string, Dialog][])('edits the %s field at its cursor', (_, d) => {
    let cur = type(d, 'slow down');
    cur = typeInto(cur, 'ctrl-w', 'w') ?? cur;
    cur = type(cur, 'up');
    cur = typeInto(cur, 'home', '') ?? cur;
    cur = type(cur, 'we ');
    expect(cur).toMatchObject({ input: 'we slow up', cursor: 3 });
    expect(typeInto(cur, 'ctrl-u', 'u')).toMatchObject({ input: 'slow up', cursor: 0 });
  });

  it('leaves dialogs without a text field alone', () => {
    expect(typeInto({ kind: 'rollback', level: 'l' }, 'a', 'a')).toBeUndefined();
    expect(typeInto({ kind: 'gate', phase: 'p', title: 'G', input: '' }, 'a', 'a')).toBeUndefined();
  });
});

describe('inputLine', () => {
  it('shows the cursor as a block at the end, or the character under it', () => {
    expect(inputLine('abc', undefined)).toEqual([{ text: '> ' }, { text: 'abc' }, { text: '█', dim: true }]);
    const mid = inputLine('abc', 1);
    expect(plain(mid)).toBe('> abc');
    expect(mid.find((s) => s.inverse)).toEqual({ text: 'b', inverse: true });
  });

  it.each([0, 1, 10, 25, 49, 50])('keeps a long field within its width with the cursor in sight (cursor at %i)', (cursor) => {
    const text = 'abcdefghijklmnopqrstuvwxyABCDEFGHIJKLMNOPQRSTUVWXY';
    const l = inputLine(text, cursor, 20);
    expect(lineWidth(l)).toBeLessThanOrEqual(20);
    const under = cursor < text.length ? text[cursor] : '█';
    expect(l.some((s) => s.text === under && (s.inverse || s.dim))).toBe(true);
    // What is shown is the text itself around the cursor, with an ellipsis where it is cut.
    const shown = plain(l).slice(2).replace('█', '');
    for (const part of shown.split('…').filter(Boolean)) expect(text).toContain(part);
  });
});
