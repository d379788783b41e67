// The progress line is a pure function of the player's view: table-driven checks of what it shows.
import { describe, expect, it } from 'vitest';
import { progressLine, type ProgressView } from '../../src/replay/progress.js';
import { plain } from '../../src/ui/rows.js';

const base: ProgressView = {
  playing: false,
  atEnd: false,
  speed: 1,
  skipIdle: false,
  now: 0,
  start: 0,
  end: 100_000,
  indexedUntil: 100_000,
  done: true,
  indexed: 1,
  decisions: [
    { t: 25_000, kind: 1 },
    { t: 50_000, kind: 2 },
    { t: 75_000, kind: 3 },
  ],
  position: 1,
  count: 1000,
  integrity: 'unchecked',
};
const show = (v: Partial<ProgressView>, width = 80) => plain(progressLine({ ...base, ...v }, width, false));

describe('progress line', () => {
  it('shows play state, speed, T+ position and length, the bar and the event count', () => {
    expect(show({})).toMatch(/^ ❚❚ 1x T\+00:00 \/ T\+01:40 ●─+◆─+▲─+R─+ 1\/1,000 events$/);
    expect(show({ playing: true, speed: 64, skipIdle: true, now: 50_000, position: 500 })).toMatch(
      /^ ▶ 64x skip-idle T\+00:50 \/ T\+01:40 ━+◆━+●─+R─+ 500\/1,000 events$/,
    );
    expect(show({ atEnd: true, now: 100_000, position: 1000 })).toMatch(/^ ■ 1x T\+01:40 .*━R━*●/);
  });

  it('marks the decisions where they happened: the cursor wins a shared cell, then rollback over trigger over gate', () => {
    const bar = show({
      decisions: [
        { t: 60_000, kind: 1 },
        { t: 60_100, kind: 3 },
        { t: 60_200, kind: 2 },
      ],
    });
    expect(bar.match(/[◆▲R]/g)).toEqual(['R']);
    expect(show({ now: 25_000 })).not.toMatch(/◆/);
  });

  it('while indexing: what is not read yet, and how far it got', () => {
    // Decisions are known only as far as indexing got.
    expect(show({ done: false, indexed: 0.42, indexedUntil: 40_000, decisions: [{ t: 25_000, kind: 1 }] })).toMatch(
      /●─+◆─+┄+ 1\/1,000 events {2}indexing 42%$/,
    );
  });

  it('says where the integrity check stands (the warning line above says why), then any message', () => {
    expect(show({ integrity: 'checking' }, 160)).toMatch(/ 1\/1,000 events {2}checking integrity…$/);
    expect(show({ integrity: 'intact' }, 160)).toMatch(/ 1\/1,000 events {2}✓ intact$/);
    expect(show({ integrity: 'not intact' }, 160)).toMatch(/ 1\/1,000 events {2}✗ NOT INTACT$/);
    expect(show({ integrity: 'not intact', message: 'no later decision' }, 160)).toMatch(/✗ NOT INTACT {2}no later decision$/);
  });

  it('keeps a bar of at least 10 cells and fits the width', () => {
    const narrow = show({ integrity: 'checking', message: 'a long reason '.repeat(5) }, 60);
    expect([...narrow].length).toBeLessThanOrEqual(60);
    expect(narrow).toMatch(/[─●◆▲R]{10}/);
  });
});
