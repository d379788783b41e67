// keyName: Ink's (input, key) as one name; the bindings tables match on these names.
import { describe, expect, it } from 'vitest';
import { keyName, splitKeys } from '../../src/ui/keys/bindings.js';

describe('keyName', () => {
  it.each([
    ['return flag', '', { return: true }, 'enter'],
    // Enter typed before raw mode arrives as a line feed (the terminal's ICRNL): it is still Enter.
    ['a bare line feed', '\n', {}, 'enter'],
    ['a bare carriage return', '\r', {}, 'enter'],
    ['capital Y', 'Y', { shift: true }, 'Y'],
    ['lowercase y', 'y', {}, 'y'],
    ['Ctrl-C', 'c', { ctrl: true }, 'ctrl-c'],
    ['Shift-Tab', '', { tab: true, shift: true }, 'shift-tab'],
    ['Escape', '', { escape: true }, 'esc'],
  ])('%s', (_n, input, key, name) => {
    expect(keyName(input, key)).toBe(name);
  });
});

describe('splitKeys', () => {
  const names = (input: string, key = {}) => splitKeys(input, key).map(([i, k]) => keyName(i, k));
  it('a typed reason and Enter in one read are each key', () => {
    expect(names('db lag\r')).toEqual(['d', 'b', ' ', 'l', 'a', 'g', 'enter']);
  });
  it('two Backspaces in one read are two', () => {
    expect(names('\x7f\x7f')).toEqual(['backspace', 'backspace']);
  });
  it('a single key, an escape sequence or a modified key stay one', () => {
    expect(names('Y', { shift: true })).toEqual(['Y']);
    expect(splitKeys('\x1b[A', { upArrow: true })).toHaveLength(1);
    expect(names('c', { ctrl: true })).toEqual(['ctrl-c']);
  });
  it('Ctrl-letter keys inside a read are Ctrl keys (Ctrl-U, Ctrl-W clear a field), never typed', () => {
    expect(names('a\x15b\x17\x07')).toEqual(['a', 'ctrl-u', 'b', 'ctrl-w', 'ctrl-g']);
  });
  it('other control characters are dropped, never typed', () => {
    expect(names('a\x1fb\x00')).toEqual(['a', 'b']);
  });
});
