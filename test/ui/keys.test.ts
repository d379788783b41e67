// keyName: Ink's (input, key) as one name; the bindings tables match on these names.
import { describe, expect, it } from 'vitest';
import { keyName } from '../../src/ui/keys/bindings.js';

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
