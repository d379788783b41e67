import { describe, expect, it } from 'vitest';
import { overprint, stripControls } from '../../../src/drivers/exec/sanitize.js';

describe('stripControls', () => {
  const cases: [string, string, string][] = [
    ['plain text stays', 'hello world', 'hello world'],
    ['tabs stay', 'a\tb', 'a\tb'],
    ['unicode stays', 'déjà vu ✓ 日本', 'déjà vu ✓ 日本'],
    ['SGR colours go', '\x1b[31mred\x1b[0m \x1b[1;32mbold\x1b[m', 'red bold'],
    ['cursor movement goes', 'a\x1b[2Ab\x1b[10;20Hc\x1b[5D', 'abc'],
    ['clear screen and erase line go', '\x1b[2J\x1b[Hx\x1b[2K\x1b[K', 'x'],
    ['private modes go (alt screen, hide cursor)', '\x1b[?1049h\x1b[?25lx', 'x'],
    ['OSC 52 clipboard with BEL goes', 'a\x1b]52;c;ZWNobyBwd25lZA==\x07b', 'ab'],
    ['OSC 52 clipboard with ST goes', 'a\x1b]52;c;ZWNobw==\x1b\\b', 'ab'],
    ['window title goes', '\x1b]0;pwned title\x07ok', 'ok'],
    ['OSC 8 hyperlink keeps its text', '\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\', 'link'],
    ['unterminated OSC goes to end of line', 'ok\x1b]0;title without end', 'ok'],
    ['DCS goes', 'a\x1bPq#0;2;0;0;0\x1b\\b', 'ab'],
    ['APC, PM and SOS go', 'a\x1b_apc\x1b\\b\x1b^pm\x1b\\c\x1bXsos\x1b\\d', 'abcd'],
    ['8-bit CSI goes', 'a\x9b2Jb', 'ab'],
    ['8-bit OSC goes', 'a\x9d0;t\x9cb', 'ab'],
    ['other C1 controls go', 'a\x85b\x8dc', 'abc'],
    ['two-byte escapes go (reset, charset, save cursor)', '\x1bca\x1b(Bb\x1b7c\x1b8', 'abc'],
    ['BEL, backspace, NUL, DEL go', 'a\x07b\x08c\x00d\x7f', 'abcd'],
    ['lone ESC at the end goes', 'abc\x1b', 'abc'],
    ['cut CSI at the end goes', 'abc\x1b[3', 'abc'],
    ['bidi overrides go', 'a\u202eb\u2066c', 'abc'],
    ['vertical tab and form feed go', 'a\x0bb\x0cc', 'abc'],
  ];
  it.each(cases)('%s', (_, input, want) => {
    expect(stripControls(input)).toBe(want);
  });

  it('leaves no control character in hostile input', () => {
    const hostile = '\x1b]52;c;AAAA\x07\x1b[2J\x1b[H\x1b[10A\x1b]2;title\x1b\\\x1bP1$r\x1b\\\x9b1;1H\x1b[6n' + 'text';
    const out = stripControls(hostile);
    expect(out).toBe('text');
    expect(out).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
  });
});

describe('overprint', () => {
  const cases: [string, string, string][] = [
    ['no CR', 'abc', 'abc'],
    ['progress bar keeps the last state', '10%\r20%\r30%', '30%'],
    ['trailing CR keeps the text before it', 'done\r', 'done'],
    ['CR then shorter text shows only the new text', 'abcdef\rXY', 'XY'],
    ['only CRs', '\r\r', ''],
  ];
  it.each(cases)('%s', (_, input, want) => {
    expect(overprint(input)).toBe(want);
  });
});
