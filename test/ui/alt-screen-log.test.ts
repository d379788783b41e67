// The alternate-screen frame writer: absolute rows, changed lines only, full repaint on resize.
import { describe, expect, it } from 'vitest';
import { altScreenLog } from '../../src/ui/alt-screen-log.js';

function stream(columns = 20, rows = 5) {
  const writes: string[] = [];
  return { columns, rows, writes, write: (s: string) => void writes.push(s) } as unknown as NodeJS.WriteStream & { writes: string[] };
}

describe('altScreenLog', () => {
  it('writes every line at its own row first, then only what changed', () => {
    const s = stream();
    const log = altScreenLog(s);
    expect(log('a\nb\nc\n')).toBe(true);
    expect(s.writes[0]).toBe('\x1b[H\x1b[2J\x1b[1;1Ha\x1b[K\x1b[2;1Hb\x1b[K\x1b[3;1Hc\x1b[K');
    expect(log('a\nB\nc\n')).toBe(true);
    expect(s.writes[1]).toBe('\x1b[2;1HB\x1b[K');
    expect(log('a\nB\nc\n')).toBe(false);
    expect(s.writes).toHaveLength(2);
  });

  it('clears lines a shorter frame no longer uses, and repaints everything after a resize', () => {
    const s = stream();
    const log = altScreenLog(s);
    log('a\nb\nc');
    log('a\nb');
    expect(s.writes[1]).toBe('\x1b[3;1H\x1b[K');
    (s as unknown as { columns: number }).columns = 30;
    log('a\nb');
    expect(s.writes[2]).toBe('\x1b[H\x1b[2J\x1b[1;1Ha\x1b[K\x1b[2;1Hb\x1b[K');
  });
});
